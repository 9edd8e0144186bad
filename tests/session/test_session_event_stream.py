"""The session's event stream: closed when the session ends, nothing lost, no leak warning."""

from __future__ import annotations

import gc
import sys
import warnings

import anyio
import pytest

from voicelive import LiveSession
from voicelive.events import AssistantTranscript, SessionClosed, SessionStarted, TurnComplete
from voicelive.exceptions import UsageError
from voicelive.testing import Await, ScriptedBackend

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _script() -> ScriptedBackend:
    return ScriptedBackend(
        [AssistantTranscript(text="hello"), TurnComplete(), Await(audio_end=True)])


def _collected_warnings() -> list[str]:
    """Run a collection and return the unraisable/resource warnings it raised."""
    seen: list[str] = []
    hook = sys.unraisablehook

    def record(unraisable: object) -> None:
        seen.append(repr(getattr(unraisable, "exc_value", unraisable)))

    sys.unraisablehook = record
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gc.collect()
        seen += [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    finally:
        sys.unraisablehook = hook
    return seen


async def test_events_left_unread_when_the_session_ends_can_still_be_read() -> None:
    async with LiveSession(_script()) as session:
        with anyio.fail_after(10):
            while not session.stats.turns:  # the scripted turn has been emitted
                await anyio.lowlevel.checkpoint()
    kinds = [type(event) async for event in session]
    assert kinds[0] is SessionStarted
    assert AssistantTranscript in kinds and TurnComplete in kinds
    assert kinds[-1] is SessionClosed
    assert [type(event) async for event in session] == []  # read once, not twice


async def test_a_session_nobody_reads_leaves_no_unclosed_stream_behind() -> None:
    gc.collect()
    async with LiveSession(_script()):
        pass
    assert not [w for w in _collected_warnings() if "MemoryObject" in w]


async def test_a_session_never_entered_leaves_no_unclosed_stream_behind() -> None:
    gc.collect()
    LiveSession(_script())
    assert not [w for w in _collected_warnings() if "MemoryObject" in w]


async def test_reading_before_entering_is_a_clear_error() -> None:
    session = LiveSession(_script())
    with pytest.raises(UsageError, match="enter the session first"):
        async for _ in session:
            pass


async def test_max_events_must_hold_at_least_one_event() -> None:
    with pytest.raises(UsageError, match="max_events"):
        LiveSession(_script(), max_events=0)
