"""The service's habits every profile keeps: deadlines, waits, resumption, auth, strict setup."""

from __future__ import annotations

import base64
import json
import warnings
from typing import Any

import anyio
import pytest
from emulator_sdk import MODEL_3, MODEL_25, closed_with, is_turn_complete, sdk_session, take_until
from google.genai import types
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from voicelive.testing import LiveEmulator
from voicelive.testing import messages as m
from voicelive.testing.conversation import DEADLINE_REASON
from voicelive.testing.script import on_audio, on_setup, on_tool_response, wait
from voicelive.testing.setup_check import HANDLE_REFUSED

GEMINI_PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
VERTEX_PATH = "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def raw(emu: LiveEmulator, path: str = GEMINI_PATH, query: str = "?key=test-key") -> connect:
    return connect(f"wss://localhost:{emu.port}{path}{query}", ssl=emu.client_ssl_context())


async def recv(ws: ClientConnection) -> dict[str, Any]:
    with anyio.fail_after(10):  # deadlock guard
        decoded = json.loads(await ws.recv())
    assert isinstance(decoded, dict)
    return decoded


async def close_of(ws: ClientConnection) -> tuple[int | None, str | None]:
    with anyio.fail_after(10), pytest.raises(ConnectionClosed) as caught:
        while True:
            await ws.recv()
    received = caught.value.rcvd
    return (received.code, received.reason) if received else (None, None)


@pytest.mark.anyio
async def test_go_away_deadline_closes_with_1011_when_time_left_runs_out() -> None:
    async with LiveEmulator([on_setup(m.go_away(0.05))]) as emu, sdk_session(emu, MODEL_3) as s:
        first = await take_until(s, lambda x: x.go_away is not None)
        error = await closed_with(s)
    assert first[-1].go_away is not None and first[-1].go_away.time_left == "0.05s"
    assert error.code == 1011 and DEADLINE_REASON in str(error)
    assert [(c.code, c.reason) for c in emu.closes] == [(1011, DEADLINE_REASON)]


@pytest.mark.anyio
async def test_a_wait_step_sends_later_in_order() -> None:
    script = [on_setup(m.text("one moment")), wait(30, m.text("here it is"), m.turn_complete())]
    async with LiveEmulator(script, profile="scripted") as emu, sdk_session(emu, MODEL_3) as s:
        got = await take_until(s, is_turn_complete)
    assert [x.text for x in got[:2]] == ["one moment", "here it is"]
    assert emu.script_done


@pytest.mark.anyio
async def test_media_chunks_count_as_user_audio() -> None:
    chunk = bytes(range(200)) * 16
    blob = {"mimeType": "audio/pcm;rate=16000", "data": base64.b64encode(chunk).decode()}
    script = [on_audio(len(chunk) * 2, m.turn_complete())]
    async with LiveEmulator(script) as emu, raw(emu) as ws:
        await ws.send(json.dumps({"setup": {"model": f"models/{MODEL_25}"}}))
        assert await recv(ws) == {"setupComplete": {}}
        await ws.send(json.dumps({"realtimeInput": {"mediaChunks": [blob, blob]}}))
        done = await recv(ws)
    assert done["serverContent"] == {"turnComplete": True}
    assert emu.audio() == chunk * 2


@pytest.mark.anyio
async def test_voice_activity_turn_complete_reason_and_waiting_for_input_reach_the_sdk() -> None:
    script = [
        on_setup(
            m.voice_activity(True, audio_offset_s=0.4),
            m.voice_activity(False),
            m.waiting_for_input(),
            m.turn_complete("NEED_MORE_INPUT"),
        )
    ]
    async with LiveEmulator(script) as emu, sdk_session(emu, MODEL_3) as s:
        got = await take_until(s, is_turn_complete)
    kinds = [x.voice_activity.voice_activity_type for x in got[:2] if x.voice_activity]
    assert kinds == [types.VoiceActivityType.ACTIVITY_START, types.VoiceActivityType.ACTIVITY_END]
    assert got[0].voice_activity is not None and got[0].voice_activity.audio_offset == "0.4s"
    assert got[2].server_content is not None and got[2].server_content.waiting_for_input
    end = got[3].server_content
    assert end is not None and end.turn_complete_reason == types.TurnCompleteReason.NEED_MORE_INPUT


@pytest.mark.anyio
async def test_no_resumable_handle_while_a_call_is_pending_and_unknown_handles_refused() -> None:
    cfg = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        session_resumption=types.SessionResumptionConfig(),
    )
    script = [
        on_audio(320, m.tool_call("c1", "add", {"a": 1}), m.resumption_update("during-call")),
        on_tool_response("c1", m.resumption_update("after-call"), m.turn_complete()),
    ]
    async with LiveEmulator(script) as emu:
        async with sdk_session(emu, MODEL_3, cfg) as s:
            blob = types.Blob(data=b"\x10\x20" * 160, mime_type="audio/pcm")
            await s.send_realtime_input(audio=blob)
            during = await take_until(s, lambda x: x.session_resumption_update is not None)
            await s.send_tool_response(
                function_responses=[types.FunctionResponse(id="c1", name="add", response={"ok": 1})]
            )
            after = await take_until(s, lambda x: x.session_resumption_update is not None)
        update = during[-1].session_resumption_update
        assert update is not None and update.resumable is False and not update.new_handle
        later = after[-1].session_resumption_update
        assert later is not None and later.new_handle == "after-call" and later.resumable
        refused = cfg.model_copy(
            update={"session_resumption": types.SessionResumptionConfig(handle="during-call")}
        )
        with pytest.raises(Exception, match="resumption handle"):
            async with sdk_session(emu, MODEL_3, refused) as s:
                await take_until(s, is_turn_complete)
        resumed = cfg.model_copy(
            update={"session_resumption": types.SessionResumptionConfig(handle="after-call")}
        )
        async with sdk_session(emu, MODEL_3, resumed):
            pass
    assert [(c.connection, c.code, c.reason) for c in emu.closes] == [(2, 1008, HANDLE_REFUSED)]
    assert emu.connections == 3


@pytest.mark.anyio
async def test_transparent_resumption_reports_the_last_consumed_client_message() -> None:
    script = [on_audio(4, m.resumption_update("h1"))]
    audio = {"audio": {"mimeType": "audio/pcm;rate=16000", "data": "AAAAAA=="}}
    async with LiveEmulator(script, known_handles=["earlier"]) as emu, raw(emu) as ws:
        setup = {"model": f"models/{MODEL_3}", "sessionResumption": {"transparent": True}}
        await ws.send(json.dumps({"setup": setup}))
        await recv(ws)
        await ws.send(json.dumps({"realtimeInput": audio}))
        update = await recv(ws)
    assert update["sessionResumptionUpdate"] == {
        "newHandle": "h1",
        "resumable": True,
        "lastConsumedClientMessageIndex": "1",  # setup is 0, the audio 1
    }


@pytest.mark.anyio
async def test_strict_setup_refuses_unknown_fields_and_models_like_the_service() -> None:
    async with LiveEmulator(strict=True) as emu:
        async with raw(emu) as ws:
            await ws.send(json.dumps({"setup": {"model": f"models/{MODEL_3}", "voicePreset": 1}}))
            code, reason = await close_of(ws)
        assert code == 1007 and reason is not None
        assert reason.startswith('Invalid JSON payload received. Unknown name "voicePreset"')
        with pytest.raises(Exception, match="gemini-9-imaginary is not found for API version v1"):
            async with sdk_session(emu, "gemini-9-imaginary") as s:
                await take_until(s, is_turn_complete)
    assert [c.code for c in emu.closes] == [1007, 1008]


@pytest.mark.anyio
async def test_the_vertex_path_with_a_bearer_token() -> None:
    script = [on_setup(m.turn_complete()), on_setup(m.turn_complete())]
    async with LiveEmulator(script, vertex_token="vertex-secret") as emu:
        async with sdk_session(emu, "gemini-live-2.5-flash-native-audio", vertexai=True) as s:
            await take_until(s, is_turn_complete)
        with pytest.raises(InvalidStatus, match="401"):
            async with raw(emu, VERTEX_PATH, ""):
                pass
    assert emu.paths == [VERTEX_PATH]
    model = emu.setups[0]["model"]
    assert model == (
        "projects/emulated-project/locations/us-central1/publishers/google/models/"
        "gemini-live-2.5-flash-native-audio"
    )
    assert emu.profile_names() == ["gemini-2.5"]


@pytest.mark.anyio
async def test_ephemeral_token_opens_the_constrained_endpoint_once() -> None:
    script = [on_setup(m.turn_complete())]
    async with LiveEmulator(script) as emu:
        token = emu.issue_token(uses=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the SDK calls its token support experimental
            async with sdk_session(emu, MODEL_3, api_key=token, api_version="v1alpha") as s:
                await take_until(s, is_turn_complete)
            with pytest.raises(InvalidStatus, match="401"):
                async with sdk_session(emu, MODEL_3, api_key=token, api_version="v1alpha"):
                    pass
        constrained = "/ws/google.ai.generativelanguage.v1alpha.GenerativeService."
        constrained += "BidiGenerateContentConstrained"
        second = emu.issue_token()
        async with raw(emu, constrained, f"?access_token={second}") as ws:
            await ws.send(json.dumps({"setup": {"model": f"models/{MODEL_3}"}}))
            assert await recv(ws) == {"setupComplete": {}}
    assert [path.partition("?")[0] for path in emu.paths] == [constrained, constrained]
