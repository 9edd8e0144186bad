"""The page is told which voices the backend has (ready message and /health), and a voice the
backend does not have is refused with a named error instead of being silently ignored."""

from __future__ import annotations

import httpx
import pytest
from test_server_harness import EchoBackend, anyio_backend, client, run_server

from voicelive.server.hub import GEMINI_VOICES, backend_voices

__all__ = ["anyio_backend"]

pytestmark = pytest.mark.anyio


class TwoVoices(EchoBackend):
    voices = ("amy", "joe")


def test_backend_voices() -> None:
    assert backend_voices(EchoBackend()) == ()
    assert backend_voices(TwoVoices()) == ("amy", "joe")
    gemini = EchoBackend()
    gemini.name = "gemini"
    assert backend_voices(gemini) == GEMINI_VOICES


async def test_a_backend_without_voices_offers_none_and_refuses_one() -> None:
    async with run_server(backend=EchoBackend()) as srv, client(srv.url) as c:
        async with httpx.AsyncClient(base_url=srv.http) as http:
            assert (await http.get("/health")).json()["voices"] == []
            assert (await http.get("/voices")).json() == {"backend": "echo", "voices": []}
        await c.send(type="start", mode="audio", voice="Puck")
        error = await c.expect("error")
        assert error["code"] == "unknown_voice" and "'Puck'" in error["message"]
        assert "ready" not in c.types()
        await c.send(type="start", mode="audio", voice=None)
        ready = await c.expect("ready")
        assert ready["voices"] == []


async def test_the_voices_a_backend_lists_reach_the_page() -> None:
    async with run_server(backend=TwoVoices()) as srv, client(srv.url) as c:
        async with httpx.AsyncClient(base_url=srv.http) as http:
            assert (await http.get("/health")).json()["voices"] == ["amy", "joe"]
            assert (await http.get("/voices")).json()["voices"] == ["amy", "joe"]
        await c.send(type="start", mode="audio", voice="joe")
        ready = await c.expect("ready")
        assert ready["voices"] == ["amy", "joe"]
