"""GeminiBackend with the real google-genai client against LiveEmulator (connection level)."""

from __future__ import annotations

import pytest
from gemini_helpers import (
    StandInTools,
    all_closed,
    audio_of,
    connected,
    next_of,
    no_leaks,
    pcm,
    until_turn_complete,
)
from google.genai import types

from voicelive.backends.base import Backend, BackendConnection
from voicelive.backends.gemini import GeminiBackend
from voicelive.config import SessionConfig, VadConfig
from voicelive.events import (
    AudioOut,
    Interrupted,
    ToolCall,
    Usage,
    UserTranscript,
)
from voicelive.exceptions import ConfigError, ConnectError
from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import on_audio, on_text, on_tool_response


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_audio_tool_call_and_reply_round_trip() -> None:
    user = pcm(4800)
    reply = pcm(9600, seed=3)
    script = [
        on_audio(
            len(user),
            m.input_transcript("add two and three", finished=True),
            m.tool_call("c1", "add", {"a": 2, "b": 3}),
        ),
        on_tool_response(
            "c1",
            m.audio(reply[:4000]),
            m.audio(reply[4000:]),
            m.output_transcript("five"),
            m.generation_complete(),
            m.usage(10, 20),
            m.turn_complete(),
        ),
    ]
    async with no_leaks(), connected(script) as (emu, conn):
        assert isinstance(conn, BackendConnection)
        events = conn.events()
        for i in range(0, len(user), 1600):
            await conn.send_audio(user[i : i + 1600])
        transcript = await next_of(events, UserTranscript)
        assert (transcript.text, transcript.final) == ("add two and three", True)
        call = await next_of(events, ToolCall)
        assert call == ToolCall(id="c1", name="add", args={"a": 2, "b": 3})
        await conn.send_tool_result(call.id, call.name, {"output": 5})
        turn = await until_turn_complete(events)
        assert audio_of(turn) == reply
        assert {e.sample_rate for e in turn if isinstance(e, AudioOut)} == {24000}
        assert Usage(prompt_tokens=10, response_tokens=20, total_tokens=30) in turn

        assert emu.audio() == user
        mimes = {r["audio"]["mime_type"] for r in emu.realtime_inputs() if "audio" in r}
        assert mimes == {"audio/pcm;rate=16000"}
        assert emu.tool_responses() == [
            {"id": "c1", "name": "add", "response": {"status": "ok", "output": 5}}]
        assert emu.paths[0].startswith("/ws/google.ai.generativelanguage.")


@pytest.mark.anyio
async def test_setup_carries_the_session_config() -> None:
    config = SessionConfig(
        voice="Puck",
        instructions="Be brief.",
        language="en-US",
        affective_dialog=True,
        proactive_audio=True,
        media_resolution="low",
    )
    async with no_leaks(), connected([], config) as (emu, _conn):
        (setup,) = emu.setups
    assert setup["model"] == "models/gemini-3.8-live"
    generation = setup["generation_config"]
    assert generation["response_modalities"] == ["AUDIO"]
    assert generation["media_resolution"] == "MEDIA_RESOLUTION_LOW"
    assert generation["enable_affective_dialog"] is True
    voice = generation["speech_config"]["voice_config"]["prebuilt_voice_config"]["voice_name"]
    assert voice == "Puck"
    assert setup["system_instruction"]["parts"] == [{"text": "Be brief."}]
    assert setup["tools"][0]["function_declarations"][0]["name"] == "add"
    assert "input_audio_transcription" in setup and "output_audio_transcription" in setup
    assert "session_resumption" in setup
    assert "sliding_window" in setup["context_window_compression"]
    assert setup["proactivity"] == {"proactive_audio": True}
    detection = setup["realtime_input_config"]["automatic_activity_detection"]
    assert detection["disabled"] is False and detection["silence_duration_ms"] == 400


@pytest.mark.anyio
async def test_manual_activity_text_and_frames_reach_the_emulator() -> None:
    config = SessionConfig(vad=VadConfig(manual=True))
    script = [on_audio(2, m.turn_complete())]
    async with no_leaks(), connected(script, config) as (emu, conn):
        await conn.send_activity(start=True)
        await conn.send_frame(b"\xff\xd8jpeg\xff\xd9")
        await conn.send_audio(b"\x01\x00")
        await conn.send_activity(start=False)
        await conn.send_text("hello there")
        await until_turn_complete(conn.events())
        await emu.wait_for(lambda e: len(e.received) >= 6)
        inputs = emu.realtime_inputs()
        assert [next(iter(body)) for body in inputs] == [
            "activity_start", "video", "audio", "activity_end", "text"
        ]
        assert inputs[1]["video"] == {"data": b"\xff\xd8jpeg\xff\xd9", "mime_type": "image/jpeg"}
        assert inputs[4]["text"] == "hello there"  # 3.x: typed text is realtime input
        assert [r for r in emu.received if r.kind == "client_content"] == []
        detection = emu.setups[0]["realtime_input_config"]["automatic_activity_detection"]
        assert detection == {"disabled": True}


@pytest.mark.anyio
async def test_typed_text_on_a_25_model_is_a_client_content_turn() -> None:
    config = SessionConfig(model="gemini-2.5-flash-native-audio-preview-09-2025")
    async with no_leaks(), connected([on_text(m.turn_complete())], config) as (emu, conn):
        await conn.send_text("hello there")
        await until_turn_complete(conn.events())
        (text,) = [r.body for r in emu.received if r.kind == "client_content"]
        assert text["turns"][0]["parts"] == [{"text": "hello there"}]
        assert text["turn_complete"] is True
        assert [r for r in emu.realtime_inputs() if "text" in r] == []


@pytest.mark.anyio
async def test_interrupted_arrives_as_an_event() -> None:
    script = [
        on_audio(320, m.audio(pcm(480)), m.interrupted()),
        on_audio(320, m.audio(pcm(960, seed=1)), m.turn_complete()),
    ]
    async with no_leaks(), connected(script) as (_emu, conn):
        events = conn.events()
        await conn.send_audio(pcm(320))
        first = await anext(events)
        assert first == AudioOut(data=pcm(480))
        assert await anext(events) == Interrupted()
        await conn.send_audio(pcm(320))
        turn = await until_turn_complete(events)
        assert audio_of(turn) == pcm(960, seed=1)


@pytest.mark.anyio
async def test_three_turns_on_one_connection() -> None:
    replies = [pcm(2400, seed=s) for s in range(3)]
    script = [on_audio(640, m.audio(r), m.turn_complete()) for r in replies]
    async with no_leaks(), connected(script) as (emu, conn):
        events = conn.events()
        for reply in replies:
            await conn.send_audio(pcm(640))
            assert audio_of(await until_turn_complete(events)) == reply
        assert emu.connections == 1
        assert emu.script_done


@pytest.mark.anyio
async def test_wrong_api_key_is_a_connect_error() -> None:
    async with no_leaks(), LiveEmulator(api_key="right-key") as emu:
        backend = GeminiBackend(
            "wrong-key",
            http_options=types.HttpOptions(base_url=emu.base_url),
            ssl_context=emu.client_ssl_context(),
        )
        with pytest.raises(ConnectError, match="403") as caught:
            async with backend.connect(SessionConfig(), StandInTools()):
                pass
        assert caught.value.retryable is False
        assert emu.connections == 0


@pytest.mark.anyio
async def test_environment_variables_point_the_unpatched_client_at_the_emulator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = [on_audio(2, m.audio(b"\x05\x06"), m.turn_complete())]
    async with no_leaks(), LiveEmulator(script) as emu:
        for name, value in emu.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
        async with GeminiBackend().connect(SessionConfig(), StandInTools()) as conn:
            await conn.send_audio(b"\x01\x02")
            assert audio_of(await until_turn_complete(conn.events())) == b"\x05\x06"
        await all_closed(emu)
        assert emu.audio() == b"\x01\x02"


def test_missing_api_key_names_both_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="GEMINI_API_KEY") as caught:
        GeminiBackend()
    assert "GOOGLE_API_KEY" in str(caught.value)


def test_backend_satisfies_the_backend_protocol() -> None:
    backend: Backend = GeminiBackend("k")  # mypy checks the structure statically
    assert isinstance(backend, Backend)


def test_backend_identity_and_key_not_in_repr() -> None:
    backend = GeminiBackend("secret-key")
    assert backend.name == "gemini"
    assert backend.default_model() == "gemini-3.8-live"
    assert "secret-key" not in repr(backend)
