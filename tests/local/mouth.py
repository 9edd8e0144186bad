"""A stand-in for the offline backend's speaker, shared by the answerer tests."""

from __future__ import annotations

from voicelive.turns import TurnTracker


class Mouth:
    """Records what would be said and ends the turn as the speaker does."""

    def __init__(self, tracker: TurnTracker) -> None:
        self.tracker = tracker
        self.said: list[str] = []

    async def speak(self, turn: int, reply: str) -> None:
        self.said.append(reply)
        self.tracker.reply_done(turn)
