"""The family profiles, seen through the real google-genai client over TLS."""

from __future__ import annotations

import pytest
from emulator_sdk import (
    ADD,
    MODEL_3,
    MODEL_25,
    audio_bytes,
    closed_with,
    is_turn_complete,
    sdk_session,
    speech,
    take_until,
)
from google.genai import types

from voicelive.testing import EmulatorClose, LiveEmulator
from voicelive.testing import messages as m
from voicelive.testing.conversation import INVALID_ARGUMENT
from voicelive.testing.script import on_audio, on_setup, on_text, on_tool_response

REPLY = bytes(range(256)) * 10
TOOLS = [types.Tool(function_declarations=[ADD])]


def tool_script() -> list:  # type: ignore[type-arg]
    half = len(REPLY) // 2
    return [
        on_audio(
            3200,
            m.input_transcript("so what's two plus three", finished=True),
            m.tool_call("c1", "add", {"a": 2, "b": 3}),
            m.turn_complete(),  # written as if for 2.5; the 3.x profile holds it back
        ),
        on_tool_response(
            "c1",
            m.audio(REPLY[:half]),
            m.output_transcript("that makes five"),
            m.audio(REPLY[half:]),
            m.turn_complete(),
        ),
    ]


def config() -> types.LiveConnectConfig:
    return types.LiveConnectConfig(response_modalities=[types.Modality.AUDIO], tools=TOOLS)


async def answer_add(session: object) -> None:
    await session.send_tool_response(  # type: ignore[attr-defined]
        function_responses=[types.FunctionResponse(id="c1", name="add", response={"sum": 5})]
    )


@pytest.mark.anyio
async def test_25_sends_turn_complete_right_after_the_tool_call_and_one_part_per_message() -> None:
    async with LiveEmulator(tool_script()) as emu, sdk_session(emu, MODEL_25, config()) as s:
        await s.send_realtime_input(audio=types.Blob(data=speech(3200), mime_type="audio/pcm"))
        first = await take_until(s, is_turn_complete)
        assert [bool(x.tool_call) for x in first] == [False, True, False]
        assert first[-1].usage_metadata is not None  # usage rides on turnComplete
        assert emu.tool_responses() == []  # the turn completed before any result existed
        await answer_add(s)
        second = await take_until(s, is_turn_complete)
    contents = [x.server_content for x in second if x.server_content]
    assert [bool(c.model_turn) for c in contents] == [True, False, True, False]
    assert contents[1].output_transcription is not None
    assert all(len(c.model_turn.parts or []) == 1 for c in contents if c.model_turn)
    assert audio_bytes(second) == REPLY
    assert emu.profile_names() == ["gemini-2.5"]
    assert emu.withheld == []


@pytest.mark.anyio
async def test_3x_sends_no_turn_complete_until_the_result_and_several_parts_at_once() -> None:
    async with LiveEmulator(tool_script()) as emu, sdk_session(emu, MODEL_3, config()) as s:
        await s.send_realtime_input(audio=types.Blob(data=speech(3200), mime_type="audio/pcm"))
        first = await take_until(s, lambda x: x.tool_call is not None)
        await answer_add(s)
        rest = await take_until(s, is_turn_complete)
    assert first[-1].tool_call is not None
    assert not is_turn_complete(rest[0])  # nothing closed the turn between call and result
    merged = rest[0].server_content
    assert merged is not None and merged.model_turn is not None
    assert len(merged.model_turn.parts or []) == 2 and merged.output_transcription is not None
    assert audio_bytes(rest) == REPLY
    assert rest[-1].usage_metadata is not None
    assert emu.profile_names() == ["gemini-3"]
    assert len(emu.withheld) == 1 and emu.withheld[0]["serverContent"] == {"turnComplete": True}


@pytest.mark.anyio
async def test_3x_takes_realtime_text_and_closes_on_client_content_mid_conversation() -> None:
    script = [on_text(m.text("a banana has about 105"), m.turn_complete(), contains="banana")]
    async with LiveEmulator(script) as emu, sdk_session(emu, MODEL_3) as s:
        await s.send_realtime_input(text="and a banana, how much is that")
        reply = await take_until(s, is_turn_complete)
        assert reply[0].text == "a banana has about 105"
        await s.send_client_content(
            turns=types.Content(role="user", parts=[types.Part(text="and an apple")])
        )
        error = await closed_with(s)
    assert error.code == 1007 and INVALID_ARGUMENT in str(error)
    assert emu.closes == [EmulatorClose(1, 1007, INVALID_ARGUMENT)]


@pytest.mark.anyio
async def test_3x_accepts_client_content_as_initial_history_only_when_the_setup_says_so() -> None:
    history = types.Content(role="user", parts=[types.Part(text="I had a banana earlier")])
    seeded = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        history_config=types.HistoryConfig(initial_history_in_client_content=True),
    )
    script = [on_text(m.text("noted"), m.turn_complete(), contains="banana")]
    async with LiveEmulator(script) as emu:
        async with sdk_session(emu, MODEL_3, seeded) as s:
            await s.send_client_content(turns=history)
            assert (await take_until(s, is_turn_complete))[0].text == "noted"
        async with sdk_session(emu, MODEL_3) as s:  # no historyConfig: refused at once
            await s.send_client_content(turns=history)
            error = await closed_with(s)
    assert error.code == 1007
    assert [c.code for c in emu.closes] == [1007]


@pytest.mark.anyio
async def test_25_accepts_client_content_mid_conversation() -> None:
    script = [
        on_text(m.text("sure"), m.turn_complete(), contains="first"),
        on_text(m.text("again"), m.turn_complete(), contains="second"),
    ]
    async with LiveEmulator(script) as emu, sdk_session(emu, MODEL_25) as s:
        for word in ("first", "second"):
            content = types.Content(role="user", parts=[types.Part(text=f"the {word} one")])
            await s.send_client_content(turns=content)
            await take_until(s, is_turn_complete)
    assert emu.closes == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("model", "thinking", "reason"),
    [
        (MODEL_3, types.ThinkingConfig(thinking_budget=512), "use thinking_level"),
        (MODEL_25, types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW), "Thinking level"),
    ],
)
async def test_the_other_familys_thinking_setting_is_refused(
    model: str, thinking: types.ThinkingConfig, reason: str
) -> None:
    cfg = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO], thinking_config=thinking
    )
    async with LiveEmulator([on_setup(m.turn_complete())]) as emu:
        with pytest.raises(Exception, match=reason):
            async with sdk_session(emu, model, cfg) as s:
                await take_until(s, is_turn_complete)
    assert emu.closes[0].code == 1007 and emu.script_done is False


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("model", "thinking"),
    [
        (MODEL_3, types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW)),
        (MODEL_25, types.ThinkingConfig(thinking_budget=512)),
    ],
)
async def test_the_familys_own_thinking_setting_is_accepted(
    model: str, thinking: types.ThinkingConfig
) -> None:
    cfg = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO], thinking_config=thinking
    )
    script = [on_setup(m.turn_complete())]
    async with LiveEmulator(script) as emu, sdk_session(emu, model, cfg) as s:
        await take_until(s, is_turn_complete)
    assert emu.closes == []


@pytest.mark.anyio
async def test_3x_cancels_a_pending_blocking_call_when_the_user_says_something_new() -> None:
    blocking = ADD.model_copy(update={"behavior": types.Behavior.BLOCKING})
    cfg = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        tools=[types.Tool(function_declarations=[blocking])],
    )
    script = [on_audio(3200, m.tool_call("c1", "add", {"a": 1, "b": 2}))]
    async with LiveEmulator(script) as emu, sdk_session(emu, MODEL_3, cfg) as s:
        await s.send_realtime_input(audio=types.Blob(data=speech(3200), mime_type="audio/pcm"))
        await take_until(s, lambda x: x.tool_call is not None)
        await s.send_realtime_input(text="oh wait, forget that")
        got = await take_until(s, lambda x: x.tool_call_cancellation is not None)
    assert got[-1].tool_call_cancellation is not None
    assert got[-1].tool_call_cancellation.ids == ["c1"]
    assert emu.cancelled == ["c1"]


@pytest.mark.anyio
@pytest.mark.parametrize("model", [MODEL_25, MODEL_3])
async def test_interrupted_is_followed_by_turn_complete(model: str) -> None:
    script = [on_audio(3200, m.audio(REPLY), m.interrupted())]
    async with LiveEmulator(script) as emu, sdk_session(emu, model) as s:
        await s.send_realtime_input(audio=types.Blob(data=speech(3200), mime_type="audio/pcm"))
        got = await take_until(s, is_turn_complete)
    flags = [
        (bool(x.server_content and x.server_content.interrupted), is_turn_complete(x))
        for x in got[1:]
    ]
    assert flags == [(True, False), (False, True)]
    assert emu.profile_names() == ["gemini-2.5" if model == MODEL_25 else "gemini-3"]


@pytest.mark.anyio
async def test_3x_when_idle_result_waits_until_the_user_has_finished() -> None:
    manual = types.RealtimeInputConfig(
        automatic_activity_detection=types.AutomaticActivityDetection(disabled=True)
    )
    cfg = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO], tools=TOOLS, realtime_input_config=manual
    )
    script = [
        on_audio(3200, m.tool_call("c1", "add", {"a": 2, "b": 3})),
        on_tool_response("c1", m.audio(REPLY), m.turn_complete()),
    ]
    async with LiveEmulator(script) as emu, sdk_session(emu, MODEL_3, cfg) as s:
        await s.send_realtime_input(activity_start=types.ActivityStart())
        await s.send_realtime_input(audio=types.Blob(data=speech(3200), mime_type="audio/pcm"))
        await take_until(s, lambda x: x.tool_call is not None)
        await s.send_tool_response(
            function_responses=[
                types.FunctionResponse(
                    id="c1",
                    name="add",
                    response={"sum": 5},
                    scheduling=types.FunctionResponseScheduling.WHEN_IDLE,
                )
            ]
        )
        await emu.wait_for(lambda e: len(e.conversation(1).deferred) == 2)
        await s.send_realtime_input(activity_end=types.ActivityEnd())
        got = await take_until(s, is_turn_complete)
    assert audio_bytes(got) == REPLY
    assert emu.conversation(1).deferred == []
