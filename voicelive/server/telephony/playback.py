"""What the caller has actually heard, from Twilio's mark echoes (plain synchronous code).

Twilio plays the audio it is sent in order and echoes a ``mark`` once everything sent before it
has played. The call sends a mark after every chunk of reply audio and one after each reply's
last chunk, and :class:`PlaybackLedger` turns the echoes into positions: how many milliseconds
of each reply were sent, and how many the caller heard. On a barge-in the call sends ``clear``;
Twilio then drops what it holds and echoes the marks still pending at once, so those echoes mean
"flushed", not "played": the ledger knows them and does not count them as heard. An interrupted
reply is therefore known to be cut at the last mark echoed before the ``clear`` (a lower bound:
audio played after that mark and before the ``clear`` reached Twilio is not counted).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

__all__ = ["EchoKind", "PlaybackLedger", "ReplyPlayback"]

MAX_REPLIES_KEPT = 64
"""Finished replies kept in :attr:`PlaybackLedger.finished` (older ones are forgotten)."""

MAX_FLUSHED = 4096
"""Flushed marks remembered while their echoes are awaited."""

EchoKind = str
"""What an echo meant: ``heard``, ``reply_heard`` (a reply's end mark), ``flushed``,
``out_of_order`` or ``unknown``."""


@dataclass(frozen=True, slots=True)
class ReplyPlayback:
    """How one reply went out.

    Attributes:
        reply: Reply number on this call (from 1).
        sent_ms: Milliseconds of its audio sent to Twilio.
        heard_ms: Milliseconds the caller heard (up to the last mark Twilio echoed as played).
        interrupted: Whether a barge-in cut it.
    """

    reply: int
    sent_ms: float
    heard_ms: float
    interrupted: bool


@dataclass(slots=True)
class _Mark:
    name: str
    reply: int
    position_ms: float
    end: bool


class PlaybackLedger:
    """Mark names out, echoes in, positions per reply.

    Attributes:
        reply: Number of the reply audio is being sent for.
        finished: Replies that were heard to the end or cut, oldest first.
        marks_sent: Marks handed to Twilio.
        out_of_order: Echoes that skipped pending marks (each skipped mark still counts as
            played, since Twilio plays in order).
        unknown: Echoes of marks this call never sent.
    """

    def __init__(self) -> None:
        self.reply = 1
        self.finished: deque[ReplyPlayback] = deque(maxlen=MAX_REPLIES_KEPT)
        self.marks_sent = 0
        self.out_of_order = 0
        self.unknown = 0
        self._pending: deque[_Mark] = deque()
        self._flushed: set[str] = set()
        self._sent: dict[int, float] = {}
        self._heard: dict[int, float] = {}

    def audio_sent(self, duration_ms: float) -> str:
        """``duration_ms`` of audio went to Twilio; returns the mark to send after it."""
        position = self._sent.get(self.reply, 0.0) + duration_ms
        self._sent[self.reply] = position
        return self._new_mark(position, end=False)

    def reply_ended(self) -> str | None:
        """The current reply's last audio was sent; returns its end mark (``None``: no audio)."""
        if self.reply not in self._sent:
            return None
        name = self._new_mark(self._sent[self.reply], end=True)
        self.reply += 1
        return name

    def heard_ms(self, reply: int) -> float:
        """Milliseconds of ``reply`` the caller heard so far."""
        return self._heard.get(reply, 0.0)

    def sent_ms(self, reply: int) -> float:
        """Milliseconds of ``reply`` sent so far."""
        return self._sent.get(reply, 0.0)

    def is_pending(self, name: str) -> bool:
        """Whether the mark ``name`` was sent and not echoed yet."""
        return any(m.name == name for m in self._pending)

    @property
    def pending(self) -> int:
        """Marks sent and not echoed yet."""
        return len(self._pending)

    def echo(self, name: str) -> EchoKind:
        """Twilio echoed the mark ``name``; returns what that meant."""
        if name in self._flushed:
            self._flushed.discard(name)
            return "flushed"
        index = next((i for i, m in enumerate(self._pending) if m.name == name), None)
        if index is None:
            self.unknown += 1
            return "unknown"
        kind: EchoKind = "out_of_order" if index else "heard"
        if index:
            self.out_of_order += 1
        for _ in range(index + 1):
            mark = self._pending.popleft()
            self._heard[mark.reply] = mark.position_ms
            if mark.end:
                self._finish(mark.reply, interrupted=False)
                if mark.name == name and not index:
                    kind = "reply_heard"
        return kind

    def cleared(self) -> list[ReplyPlayback]:
        """A ``clear`` was sent: every reply still playing is cut where the caller stopped.

        Returns:
            The interrupted replies (usually one), with what was sent and what was heard.
        """
        current = self.reply in self._sent
        cut = sorted({m.reply for m in self._pending} | ({self.reply} if current else set()))
        if len(self._flushed) > MAX_FLUSHED:  # echoes Twilio never sent: forget them
            self._flushed.clear()
        self._flushed.update(m.name for m in self._pending)
        self._pending.clear()
        out = [self._finish(reply, interrupted=True) for reply in cut]
        if current:
            self.reply += 1
        return out

    def _new_mark(self, position_ms: float, *, end: bool) -> str:
        self.marks_sent += 1
        name = f"{'end' if end else 'a'}-{self.reply}-{self.marks_sent}"
        self._pending.append(_Mark(name, self.reply, position_ms, end))
        return name

    def _finish(self, reply: int, *, interrupted: bool) -> ReplyPlayback:
        done = ReplyPlayback(
            reply=reply,
            sent_ms=round(self._sent.pop(reply, 0.0), 3),
            heard_ms=round(self._heard.pop(reply, 0.0), 3),
            interrupted=interrupted,
        )
        self.finished.append(done)
        return done
