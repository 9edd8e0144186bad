"""Resume tokens and stored conversations: the token decisions in plain code (forged, damaged,
expired, another user's), the plan a start gets, the checkpoint rule, and the server telling
a client `resume_refused` before a fresh session while a valid token continues the
conversation (same user id, backend state handed to the new connection)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import anyio
import pytest
from test_server_harness import anyio_backend, client, echo_tools, run_server

from voicelive.config import SessionConfig
from voicelive.events import Event, TurnComplete
from voicelive.exceptions import StoreError
from voicelive.server.protocol import StartMessage
from voicelive.server.resume import ResumeRefused, ResumeTokens
from voicelive.server.resumption import Checkpointer, Resumer
from voicelive.server.settings import ServerSettings
from voicelive.store import MemoryStore
from voicelive.testing import Responder, ScriptedBackend, ScriptedConnection

__all__ = ["anyio_backend"]

SECRET = "a-test-secret-of-some-length"


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- tokens ------------------------------------------------------------------------------


def test_a_token_round_trips_and_names_its_conversation() -> None:
    tokens = ResumeTokens(SECRET, ttl_s=60)
    token = tokens.issue(conversation_id="c1", user="ana", user_id="ana", now=100.0)
    claim = tokens.verify(token, user="ana", now=159.0)
    assert (claim.conversation_id, claim.user, claim.user_id) == ("c1", "ana", "ana")
    assert claim.expires_at == 160.0
    assert "ana" not in token.split(".")[2]


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), "invalid"),  # signature
        (lambda t: "v1." + t.split(".")[1][::-1] + "." + t.split(".")[2], "invalid"),  # body
        (lambda t: "v2" + t[2:], "invalid"),
        (lambda t: "not a token", "invalid"),
        (lambda t: t + "x" * 2000, "invalid"),
    ],
)
def test_forged_or_damaged_tokens_are_invalid(mangle: Any, reason: str) -> None:
    tokens = ResumeTokens(SECRET)
    token = tokens.issue(conversation_id="c1", user="ana", user_id="ana", now=0.0)
    with pytest.raises(ResumeRefused) as info:
        tokens.verify(mangle(token), user="ana", now=1.0)
    assert info.value.reason == reason


def test_a_token_signed_under_another_secret_is_invalid() -> None:
    theirs = ResumeTokens("somebody-elses-secret-value").issue(
        conversation_id="c1", user="ana", user_id="ana", now=0.0)
    with pytest.raises(ResumeRefused, match="not valid") as info:
        ResumeTokens(SECRET).verify(theirs, user="ana", now=1.0)
    assert info.value.reason == "invalid"


def test_expired_and_other_users_tokens_are_refused() -> None:
    tokens = ResumeTokens(SECRET, ttl_s=10)
    token = tokens.issue(conversation_id="c1", user="ana", user_id="ana", now=0.0)
    with pytest.raises(ResumeRefused) as expired:
        tokens.verify(token, user="ana", now=10.0)
    assert expired.value.reason == "expired"
    with pytest.raises(ResumeRefused) as other:
        tokens.verify(token, user="ben", now=1.0)
    assert other.value.reason == "wrong_user"
    with pytest.raises(ResumeRefused):
        tokens.verify(token, user=None, now=1.0)  # dropping the user does not help


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="16 characters"):
        ResumeTokens("short")


# --- plans and checkpoints ---------------------------------------------------------------


def _start(**fields: Any) -> StartMessage:
    return StartMessage(type="start", **fields)


def test_a_plan_resumes_a_stored_conversation_and_hands_its_state_on() -> None:
    clock = Clock()
    store = MemoryStore()
    resumer = Resumer(store, ResumeTokens(SECRET, ttl_s=60), clock=clock)
    first = resumer.plan(_start(), "s1")
    assert first.user_id == "anon-s1" and not first.resumed
    token = resumer.save(first, {"handle": "h7", "dialogue": {"turns": 3}})

    again = resumer.plan(_start(resume=token), "s2")
    assert again.resumed and again.refused is None
    assert (again.conversation_id, again.user_id) == (first.conversation_id, "anon-s1")
    config = again.apply(SessionConfig())
    assert config.user_id == "anon-s1" and config.resumption_handle == "h7"
    assert config.resume_state == {"handle": "h7", "dialogue": {"turns": 3}}

    clock.now += 61  # the stored copy and the token both expire
    late = resumer.plan(_start(resume=token), "s3")
    assert late.refused is not None and late.refused.reason == "expired"
    assert not late.resumed and late.user_id == "anon-s3"
    assert late.refusal_message() == {"type": "resume_refused", "reason": "expired",
                                      "message": late.refused.message}


def test_a_valid_token_for_a_forgotten_conversation_is_unknown() -> None:
    tokens = ResumeTokens(SECRET)
    token = tokens.issue(conversation_id="gone", user="ana", user_id="ana", now=Clock()())
    plan = Resumer(MemoryStore(), tokens, clock=Clock()).plan(_start(user="ana", resume=token),
                                                               "s1")
    assert plan.refused is not None and plan.refused.reason == "unknown"


def test_checkpoint_rule_saves_first_changes_and_half_life_refreshes() -> None:
    clock = Clock()
    resumer = Resumer(MemoryStore(), ResumeTokens(SECRET, ttl_s=100), clock=clock)
    plan = resumer.plan(_start(user="ana"), "s1")
    points = Checkpointer(resumer, plan, lambda: {}, lambda message: None)
    assert points.due({}, clock.now)
    points._saved, points._saved_at = {"a": 1}, clock.now
    assert not points.due({"a": 1}, clock.now + 49)
    assert points.due({"a": 2}, clock.now + 1)
    assert points.due({"a": 1}, clock.now + 50)


# --- through the server ------------------------------------------------------------------


class CountTexts(Responder):
    """The resumption hook on the shared fake: the connection counts the texts it was sent."""

    def on_text(self, conn: ScriptedConnection, text: str) -> Iterable[Event]:
        conn.state["texts"] = int(conn.state.get("texts", 0)) + 1
        return (TurnComplete(),)


class StatefulBackend(ScriptedBackend):
    def __init__(self) -> None:
        super().__init__(responder=CountTexts, model="counting", name="stateful")

    @property
    def configs(self) -> list[SessionConfig]:
        return [c.config for c in self.connections if c.config is not None]


@pytest.mark.anyio
async def test_the_server_resumes_with_a_token_and_refuses_a_forged_one() -> None:
    backend = StatefulBackend()
    settings = ServerSettings(port=0, resume_secret=SECRET, resume_checkpoint_s=60)
    async with run_server(settings, backend=backend, tools=echo_tools) as srv:
        async with client(srv.url) as c:
            await c.send(type="start", user="ana")
            ready = await c.expect("ready")
            assert ready["resumed"] is False
            await c.expect("resume")  # saved at once
            await c.send(type="text", text="one")
            await c.expect("turn_complete")
            token = (await c.expect("resume"))["token"]  # saved after the turn

        async with client(srv.url) as c:
            await c.send(type="start", user="ana", resume=token)
            ready = await c.expect("ready")
            assert ready["resumed"] is True
            assert backend.configs[-1].resume_state == {"texts": 1}
            assert backend.configs[-1].user_id == "ana"
            await c.send(type="stop")
            await c.expect("stopped")

            forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
            await c.send(type="start", user="ana", resume=forged)
            refused = await c.expect("resume_refused")
            assert refused["reason"] == "invalid"
            assert "new conversation" in refused["message"]
            ready = await c.expect("ready")
            assert ready["resumed"] is False
            assert backend.configs[-1].resume_state is None
            await c.send(type="stop")
            await c.expect("stopped")

            await c.send(type="start", user="ben", resume=token)
            assert (await c.expect("resume_refused"))["reason"] == "wrong_user"
            await c.expect("ready")


# --- a failing store ---------------------------------------------------------------------


class BrokenStore(MemoryStore):
    def load_conversation(self, conversation_id: str, *, now: float) -> None:
        raise StoreError("database unreachable")

    def save_conversation(self, conversation: Any) -> None:
        raise StoreError("database unreachable")


def test_a_store_that_fails_gives_a_fresh_session_and_is_counted() -> None:
    tokens = ResumeTokens(SECRET)
    resumer = Resumer(BrokenStore(), tokens, clock=Clock())
    token = tokens.issue(conversation_id="c1", user="ana", user_id="ana", now=Clock()())
    plan = resumer.plan(_start(user="ana", resume=token), "s1")
    assert plan.refused is not None and plan.refused.reason == "unknown"
    assert "unavailable" in plan.refused.message
    assert resumer.store_failures == 1 and not plan.resumed


@pytest.mark.anyio
async def test_a_failing_checkpoint_keeps_the_session_and_sends_no_token() -> None:
    resumer = Resumer(BrokenStore(), ResumeTokens(SECRET), clock=Clock())
    sent: list[dict[str, Any]] = []
    points = Checkpointer(resumer, resumer.plan(_start(user="ana"), "s1"), lambda: {"a": 1},
                          sent.append)
    await points.checkpoint()
    assert sent == [] and points.saves == 0 and resumer.store_failures == 1


@pytest.mark.anyio
async def test_resume_outcomes_are_in_the_metrics() -> None:
    import httpx

    backend = StatefulBackend()
    settings = ServerSettings(port=0, resume_secret=SECRET, resume_checkpoint_s=60)
    async with run_server(settings, backend=backend, tools=echo_tools) as srv:
        async with client(srv.url) as c:
            await c.send(type="start", user="ana", resume="v1.forged.token")
            await c.expect("resume_refused")
            await c.expect("ready")
        async with httpx.AsyncClient(base_url=srv.http) as http:
            text = (await http.get("/metrics")).text
    assert 'voicelive_resume_total{outcome="refused"} 1.0' in text
    assert 'voicelive_resume_total{outcome="resumed"} 0.0' in text


@pytest.mark.anyio
async def test_an_unreachable_database_is_reported_at_start_and_sessions_still_run() -> None:
    import httpx

    from voicelive.testing.services import free_port

    url = f"postgresql://voicelive:hunter2@127.0.0.1:{free_port()}/voicelive"
    settings = ServerSettings(port=0, db_url=url, resume_secret=SECRET, metrics=True)
    async with (
        run_server(settings, backend=StatefulBackend(), tools=echo_tools) as srv,
        httpx.AsyncClient(base_url=srv.http) as http,
    ):
        for _ in range(200):  # start-up checks the store in a thread; poll what /health says
            store = (await http.get("/health")).json()["checks"]["store"]
            if store["error"]:
                break
            await anyio.sleep(0.05)
        async with client(srv.url) as c:
            await c.send(type="start", user="ana")
            ready = await c.expect("ready")
            await c.send(type="stop")
            await c.expect("stopped")
        metrics = (await http.get("/metrics")).text
    assert "cannot connect to PostgreSQL" in store["error"]
    assert store["schema"] is None and "hunter2" not in json.dumps(store)
    assert ready["resumed"] is False
    assert 'voicelive_resume_total{outcome="store_failed"}' in metrics
