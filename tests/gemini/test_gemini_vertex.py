"""GeminiBackend on Vertex AI: the real google-genai client reaches the LlmBidiService path.

The service's side is a bare TLS WebSocket server (it accepts any path and records it), so the
test shows which path, model name and credentials the client sends for Vertex AI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gemini_helpers import ScriptedSocket, StandInTools, audio_of, pcm, until_turn_complete
from google.genai import types
from google.oauth2.credentials import Credentials

from voicelive.backends.gemini import GeminiBackend
from voicelive.config import SessionConfig
from voicelive.exceptions import ConfigError
from voicelive.testing import messages as m

VERTEX_PATH = "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.parametrize("from_env", [False, True], ids=["arguments", "environment"])
async def test_a_turn_on_vertex_ai(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   from_env: bool) -> None:
    reply = pcm(960, seed=4)
    frames = [json.dumps(m.audio(reply)), json.dumps(m.turn_complete())]
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    async with ScriptedSocket(tmp_path, frames) as server:
        token = Credentials(token="vertex-test-token")  # type: ignore[no-untyped-call]
        options = types.HttpOptions(base_url=server.url)
        if from_env:
            monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
            monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "meal-planner")
            monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "europe-west4")
            backend = GeminiBackend(credentials=token, http_options=options,
                                    ssl_context=server.client_ssl_context())
        else:
            backend = GeminiBackend(project="meal-planner", location="europe-west4",
                                    credentials=token, http_options=options,
                                    ssl_context=server.client_ssl_context())
        assert backend.vertexai
        async with backend.connect(SessionConfig(), StandInTools()) as conn:
            turn = await until_turn_complete(conn.events())
    assert audio_of(turn) == reply
    assert server.paths == [VERTEX_PATH]
    assert server.authorizations == ["Bearer vertex-test-token"]
    (setup,) = server.setups
    assert setup["setup"]["model"] == (
        "projects/meal-planner/locations/europe-west4/publishers/google/models/gemini-3.8-live"
    )


def test_vertex_without_project_or_key_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GEMINI_API_KEY",
                 "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "1")
    with pytest.raises(ConfigError, match="GOOGLE_CLOUD_PROJECT"):
        GeminiBackend()


@pytest.mark.anyio
@pytest.mark.parametrize("model", ["gemini-2.5-flash-native-audio-preview-09-2025",
                                   "gemini-3.8-live"])
async def test_a_tool_turn_on_vertex_ai_against_the_emulator(model: str) -> None:
    from voicelive import LiveSession
    from voicelive.audio import PCM16_24K, MemorySink, MemorySource
    from voicelive.events import TurnComplete
    from voicelive.testing import LiveEmulator, on_audio, on_tool_response
    from voicelive.tools import ToolRegistry, tool

    @tool(thread=False)
    def water_today() -> int:
        """How many glasses of water the user drank today."""
        return 5

    reply = pcm(4800, seed=6)
    script = [on_audio(3200, m.tool_call("w1", "water_today", {})),
              on_tool_response("w1", m.audio(reply), m.turn_complete())]
    async with LiveEmulator(script, vertex_token="vertex-secret") as emu:
        token = Credentials(token="vertex-secret")  # type: ignore[no-untyped-call]
        backend = GeminiBackend(project="meal-planner", location="us-central1",
                                credentials=token,
                                http_options=types.HttpOptions(base_url=emu.base_url),
                                ssl_context=emu.client_ssl_context())
        sink = MemorySink(PCM16_24K)
        async with LiveSession(backend, SessionConfig(model=model, input_policy="listen"),
                               source=MemorySource.from_bytes(pcm(6400)), sink=sink,
                               tools=ToolRegistry([water_today])) as session:
            async for event in session:
                if isinstance(event, TurnComplete):
                    break
        assert emu.paths == [VERTEX_PATH]
        assert emu.setups[0]["model"].endswith(f"publishers/google/models/{model}")
        assert emu.tool_responses()[0]["response"] == {"status": "ok", "output": 5}
    assert sink.data == reply
