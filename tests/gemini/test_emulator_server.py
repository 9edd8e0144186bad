"""LiveEmulator on the wire: TLS, paths, keys, camelCase clients, closes, and the sync mode."""

from __future__ import annotations

import base64
import json
import ssl

import anyio
import pytest
from gemini_helpers import no_leaks
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from voicelive.config import SessionConfig
from voicelive.events import AudioOut, TurnComplete
from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import Close, on_audio, on_setup
from voicelive.tools import ToolDeclaration

PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def raw_client(emu: LiveEmulator, path: str = PATH, key: str | None = "test-key") -> connect:
    query = f"?key={key}" if key else ""
    return connect(f"wss://localhost:{emu.port}{path}{query}", ssl=emu.client_ssl_context())


async def recv_json(ws: ClientConnection) -> dict[str, object]:
    decoded = json.loads(await ws.recv())
    assert isinstance(decoded, dict)
    return decoded


@pytest.mark.anyio
async def test_camel_case_client_with_url_safe_unpadded_base64() -> None:
    script = [on_setup(m.resumption_update("h1")), on_audio(3, m.turn_complete())]
    payload = base64.urlsafe_b64encode(b"\xfb\xff\xbf").decode().rstrip("=")
    async with no_leaks(), LiveEmulator(script, profile="scripted") as emu:
        async with raw_client(emu) as ws:
            await ws.send(json.dumps({"setup": {"model": "models/x", "sessionResumption": {}}}))
            assert await recv_json(ws) == {"setupComplete": {}}
            assert await recv_json(ws) == m.resumption_update("h1")
            await ws.send(json.dumps(
                {"realtimeInput": {"audio": {"mimeType": "audio/pcm;rate=16000", "data": payload}}}
            ))
            assert await recv_json(ws) == m.turn_complete()
        assert emu.setups == [{"model": "models/x", "session_resumption": {}}]
        assert emu.audio() == b"\xfb\xff\xbf"
        assert emu.connections == 1 and emu.script_done


@pytest.mark.anyio
async def test_key_may_come_in_the_header() -> None:
    headers = {"x-goog-api-key": "test-key"}
    async with (
        no_leaks(),
        LiveEmulator() as emu,
        connect(f"wss://localhost:{emu.port}{PATH}", ssl=emu.client_ssl_context(),
                additional_headers=headers) as ws,
    ):
        await ws.send(json.dumps({"setup": {}}))
        assert await recv_json(ws) == {"setupComplete": {}}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "key", "status"),
    [("/ws/other", "test-key", 404), (PATH, None, 401), (PATH, "wrong", 403)],
)
async def test_bad_path_or_key_is_refused(path: str, key: str | None, status: int) -> None:
    async with no_leaks(), LiveEmulator() as emu:
        with pytest.raises(InvalidStatus) as caught:
            async with raw_client(emu, path, key):
                pass
        assert caught.value.response.status_code == status
        assert emu.connections == 0


@pytest.mark.anyio
async def test_invalid_json_is_closed_with_1007() -> None:
    async with no_leaks(), LiveEmulator() as emu, raw_client(emu) as ws:
        await ws.send("{not json")
        with pytest.raises(ConnectionClosed) as caught:
            await ws.recv()
        assert caught.value.rcvd is not None and caught.value.rcvd.code == 1007


@pytest.mark.anyio
@pytest.mark.parametrize("code", [1000, 1008, 1011])
async def test_close_steps_send_code_and_reason(code: int) -> None:
    script = [on_setup(m.usage(1, 1), close=Close(code, "because"))]
    async with no_leaks(), LiveEmulator(script) as emu, raw_client(emu) as ws:
        await ws.send(json.dumps({"setup": {}}))
        assert await recv_json(ws) == {"setupComplete": {}}
        assert await recv_json(ws) == m.usage(1, 1)
        with pytest.raises(ConnectionClosed) as caught:
            await ws.recv()
        assert caught.value.rcvd is not None
        assert (caught.value.rcvd.code, caught.value.rcvd.reason) == (code, "because")


@pytest.mark.anyio
async def test_close_1006_drops_the_connection_without_a_frame() -> None:
    script = [on_setup(close=Close(1006))]
    async with no_leaks(), LiveEmulator(script) as emu, raw_client(emu) as ws:
        await ws.send(json.dumps({"setup": {}}))
        assert await recv_json(ws) == {"setupComplete": {}}
        with pytest.raises(ConnectionClosed) as caught:
            await ws.recv()
        assert caught.value.rcvd is None


@pytest.mark.anyio
async def test_certificate_is_for_localhost_and_removed_afterwards() -> None:
    async with no_leaks(), LiveEmulator() as emu:
        cert = emu.cert_path
        assert emu.base_url == f"https://localhost:{emu.port}"
        env = emu.env()
        assert env["SSL_CERT_FILE"] == str(cert)
        assert env["GOOGLE_GEMINI_BASE_URL"] == emu.base_url
        assert env["GEMINI_API_KEY"] == "test-key"
        strict = ssl.create_default_context(cafile=str(cert))
        assert strict.check_hostname
        async with connect(f"wss://127.0.0.1:{emu.port}{PATH}?key=test-key", ssl=strict) as ws:
            await ws.send(json.dumps({"setup": {}}))
            assert await recv_json(ws) == {"setupComplete": {}}
    assert not await anyio.Path(cert).exists()


def test_sync_mode_runs_in_a_background_thread() -> None:
    reply = b"\x10\x20" * 100
    script = [on_audio(4, m.audio(reply), m.turn_complete())]

    with LiveEmulator(script) as emu:

        async def talk() -> bytes:
            received = b""
            async with emu.backend().connect(SessionConfig(), _NoTools()) as conn:
                await conn.send_audio(b"\x01\x02\x03\x04")
                async for event in conn.events():
                    if isinstance(event, AudioOut):
                        received += event.data
                    if isinstance(event, TurnComplete):
                        break
            return received

        assert anyio.run(talk) == reply
        assert emu.audio() == b"\x01\x02\x03\x04"
    with pytest.raises(RuntimeError, match="not running"):
        _ = emu.port


class _NoTools:
    def declarations(self) -> list[ToolDeclaration]:
        return []
