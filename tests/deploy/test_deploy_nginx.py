"""The deployment of deploy/: a real nginx in front of two `voicelive serve` processes sharing a
real, throw-away PostgreSQL cluster. A client talks, its connection is cut, it reconnects
through nginx with its resume token, lands on the other process and the conversation goes on:
on Gemini (LiveEmulator sees the resumption handle in the new setup) and offline (the
follow-up reads what the first turn wrote, and the dialogue state goes on counting). The day
state written by one process is read by the other."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psycopg
import pytest
from deploy_helpers import Client, Serve

from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import on_text, on_tool_response
from voicelive.testing.services import Nginx, PostgresCluster

SECRET = "deployment-wide-resume-secret"


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresCluster]:
    with PostgresCluster() as cluster:
        yield cluster


def _fresh_db(pg: PostgresCluster, name: str) -> str:
    with psycopg.connect(pg.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return pg.url.rsplit("/", 1)[0] + f"/{name}"


def _two_behind_nginx(
    stack: ExitStack, tmp_path: Path, args: list[str], env: dict[str, str]
) -> tuple[Serve, Serve, Nginx]:
    a = Serve(*args, env=env, log=tmp_path / "a.log")
    stack.callback(a.stop)
    b = Serve(*args, env=env, log=tmp_path / "b.log")
    stack.callback(b.stop)
    a.wait_ready()
    b.wait_ready()
    proxy = stack.enter_context(Nginx([a.port, b.port]))
    return a, b, proxy


def _conversation_state(url: str, conversation_user: str) -> list[dict[str, Any]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT state FROM conversation WHERE user_id = %s",
                            (conversation_user,)).fetchall()
    return [r[0] for r in rows]


def _talk_until_token(client: Client) -> str:
    """Wait for the turn to complete, then for the token of the checkpoint after it.

    A session saves once at start and once after a turn that changed its state, so the second
    token is the one saved with this turn's state (the first may arrive after the turn, too).
    """
    client.expect("turn_complete")
    return client.token_after(2)


def _state_after_turn(client: Client, db: str, user: str, turns: int) -> tuple[str, dict[str, Any]]:
    """Wait for the turn to complete and for the save that holds it: a token and that state.

    Besides the saves at start and after a turn, the periodic check saves whenever the state
    changed, which can be mid-turn (the dialogue already updated, the turn not yet counted).
    Every save is written before its token is sent, so the saves are followed token by token
    until the stored state counts ``turns`` (a token names the conversation, not a version).
    """
    client.expect("turn_complete")
    client.token_after(2)
    for _ in range(8):
        [stored] = _conversation_state(db, user)
        if stored.get("turns", 0) >= turns:  # a save from before the first turn has none
            return client.tokens[-1], stored
        client.expect("resume")
    raise AssertionError(f"the state after turn {turns} was never saved: {stored}")


def test_gemini_conversation_moves_to_the_other_process_through_nginx(
    postgres: PostgresCluster, tmp_path: Path
) -> None:
    db = _fresh_db(postgres, "gemini_move")
    script = [
        on_text(m.tool_call("c1", "missed_meal", {"meal": "breakfast"}),
                contains="skipped breakfast"),
        on_tool_response("c1", m.output_transcript("Okay, I moved breakfast to later meals."),
                         m.resumption_update("handle-after-breakfast"), m.turn_complete()),
        on_text(m.tool_call("c2", "daily_summary", {}), contains="rest of the day"),
        on_tool_response("c2", m.output_transcript("Lunch and dinner are a bit bigger now."),
                         m.turn_complete()),
    ]
    with LiveEmulator(script, api_key="emulated-key") as emu, ExitStack() as stack:
        env = {**emu.env(), "VOICELIVE_RESUME_SECRET": SECRET}
        a, b, proxy = _two_behind_nginx(
            stack, tmp_path, ["--backend", "gemini", "--db", db], env)
        pids = {a.proc.pid: "a", b.proc.pid: "b"}

        first = Client(proxy.url)
        first.send(type="start", user="ana")
        ready = first.expect("ready")
        first.token_after(1)  # the start is saved before the client talks
        assert ready["resumed"] is False and ready["worker"] in pids
        first.send(type="text", text="hey so I actually skipped breakfast this morning")
        result = first.expect("tool_result")
        assert result["name"] == "missed_meal" and result["ok"]
        token = _talk_until_token(first)
        first.cut()

        second = Client(proxy.url)
        second.send(type="start", user="ana", resume=token)
        again = second.expect("ready")
        second.token_after(1)  # the start is saved before the client talks
        assert again["resumed"] is True
        assert again["worker"] in pids and again["worker"] != ready["worker"], (
            "nginx should have sent the reconnect to the other process")
        second.send(type="text", text="okay and what does the rest of the day look like")
        summary = second.expect("tool_result")
        assert summary["name"] == "daily_summary"
        meals = {meal["name"]: meal["status"] for meal in summary["result"]["meals"]}
        assert meals["breakfast"] == "missed"  # written by one process, read by the other
        second.expect("turn_complete")
        second.send(type="stop")
        second.expect("stopped")
        second.close()

        setups = emu.setups
        assert len(setups) == 2
        resumption = m.normalize(setups[1]).get("session_resumption") or {}
        assert resumption.get("handle") == "handle-after-breakfast"
        assert not (m.normalize(setups[0]).get("session_resumption") or {}).get("handle")


@pytest.mark.slow
def test_offline_conversation_moves_to_the_other_process_through_nginx(
    postgres: PostgresCluster, tmp_path: Path
) -> None:
    db = _fresh_db(postgres, "offline_move")
    env = {"VOICELIVE_RESUME_SECRET": SECRET, "GEMINI_API_KEY": "", "GOOGLE_API_KEY": ""}
    with ExitStack() as stack:
        a, b, proxy = _two_behind_nginx(
            stack, tmp_path, ["--backend", "local", "--db", db, "--max-sessions", "2"], env)
        pids = {a.proc.pid, b.proc.pid}

        first = Client(proxy.url)
        first.send(type="start", user="ben")
        ready = first.expect("ready")
        first.token_after(1)  # the start is saved before the client talks
        assert ready["worker"] in pids
        first.send(type="text", text="well I missed my lunch")  # the offline grammar of today
        call = first.expect("tool_call")
        assert call["name"] == "missed_meal" and call["args"] == {"meal": "lunch"}
        assert first.expect("tool_result")["ok"]
        token, stored = _state_after_turn(first, db, "ben", 1)
        assert stored["turns"] == 1
        first.cut()

        second = Client(proxy.url)
        second.send(type="start", user="ben", resume=token)
        again = second.expect("ready")
        second.token_after(1)  # the start is saved before the client talks
        assert again["resumed"] is True and again["worker"] != ready["worker"]
        second.send(type="text", text="okay so how many calories do I have left today")
        summary = second.expect("tool_result")
        assert summary["name"] == "daily_summary"
        meals = {meal["name"]: meal["status"] for meal in summary["result"]["meals"]}
        assert meals["lunch"] == "missed"  # the follow-up relies on the first turn
        _, stored = _state_after_turn(second, db, "ben", 2)
        assert stored["turns"] == 2  # the exported state went on from where process A left it
        second.close()
