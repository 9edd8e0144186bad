"""Spoken summaries of the tool results.

Every result carries one short sentence meant to be read aloud. By default the wording is fixed
(the first phrasing of each message). With ``vary=True`` a seeded random generator picks among
equivalent phrasings so a long conversation sounds less mechanical; every phrasing of a message
uses the same placeholders, filled from the same already-formatted numbers, so variation can
change words but never a number.
"""

from __future__ import annotations

import random
import threading

__all__ = ["PHRASES", "Phrasing", "grams", "kcal"]

PHRASES: dict[str, tuple[str, ...]] = {
    "lookup": (
        "{what} has {kcal}, {protein} of protein, {carbs} of carbs and {fat} of fat.",
        "That's {kcal} for {what}: {protein} protein, {carbs} carbs, {fat} fat.",
        "{what} comes to {kcal}, with {protein} protein, {carbs} carbs and {fat} fat.",
    ),
    "missed": (
        "No problem, I moved your {meal} onto {targets}: {moved} spread over the day.",
        "Okay, {meal} is skipped; its {moved} now go to {targets}.",
        "Got it. I shifted the {moved} from {meal} to {targets}.",
    ),
    "missed_capped": (
        "I moved what fits of your {meal} onto {targets}; {left} would make those meals too big,"
        " so I kept it as a buffer.",
        "Your {meal} went mostly to {targets}; {left} did not fit and stays in your buffer.",
    ),
    "missed_last": (
        "Noted that you missed {meal}. There is no meal left today, so its {moved} stay unused.",
        "Okay, {meal} is missed. Nothing is left to move it to, so you have {moved} to spare.",
    ),
    "missed_again": (
        "{meal} is already marked as missed; its {moved} went to {targets} earlier.",
        "You already told me about {meal}: it's marked as missed, and its {moved} went to"
        " {targets}.",
    ),
    "ate_again": (
        "{meal} is already logged as eaten; you have {left} left today.",
        "You already logged {meal} today; {left} to go.",
    ),
    "ate": (
        "Great, {meal} is logged: {kcal}. You have {left} left today.",
        "{meal} logged at {kcal}; {left} to go for the day.",
    ),
    "unplanned": (
        "Logged {what}, {kcal}. I trimmed your upcoming meals to make room.",
        "Okay, {what} is {kcal}; I adjusted the rest of the day to fit it.",
        "{what}: {kcal}. Your next meals are a little smaller now.",
    ),
    "unplanned_over": (
        "Logged {what}, {kcal}. The day can't fully absorb it: you're about {over} over your"
        " target.",
        "{what} is {kcal}, which puts you about {over} over for today.",
    ),
    "substitute": (
        "Swap {original} for {grams} of {replacement} to keep the same {matched}. That changes"
        " {changes}.",
        "Use {grams} of {replacement} instead of {original}; the {matched} stays the same and"
        " {changes}.",
    ),
    "activity": (
        "Nice! {minutes} of {activity} burned about {kcal}, added to today's buffer.",
        "Good work: {activity} for {minutes} is roughly {kcal}. That's extra room for today.",
        "{minutes} of {activity} comes to about {kcal} burned; I added it to your day.",
    ),
    "targets": (
        "Your daily targets are now {kcal}, {protein} protein, {carbs} carbs and {fat} fat.",
        "Done: {kcal} a day, with {protein} protein, {carbs} carbs and {fat} fat.",
    ),
    "summary": (
        "So far you've had {consumed} of your {target} target and burned {burned}, so {left}"
        " remain. Next up: {next}.",
        "You're at {consumed} of {target}, with {burned} burned; {left} to go. Next: {next}.",
    ),
    "summary_over": (
        "You've had {consumed} against a {target} target and burned {burned}, so you're {over}"
        " over today.",
        "Today is at {consumed} of {target} with {burned} burned: {over} over.",
    ),
}
"""Every message with its equivalent phrasings; the first one is the deterministic default."""


def kcal(value: float) -> str:
    """Energy for speaking: ``"250 kcal"`` (rounded to a whole number)."""
    return f"{round(value):d} kcal"


def grams(value: float) -> str:
    """A weight for speaking: whole grams, one decimal below 10 g."""
    return f"{value:.1f} g" if abs(value) < 10 else f"{round(value):d} g"


class Phrasing:
    """Chooses the wording of spoken summaries.

    Args:
        vary: Pick a random phrasing of each message instead of always the first.
        seed: Seed of the generator used when ``vary`` is true (the same seed gives the same
            sequence of choices).
    """

    def __init__(self, *, vary: bool = False, seed: int | None = 0) -> None:
        self.vary = vary
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def say(self, key: str, **fields: str) -> str:
        """Fill one message.

        Args:
            key: A key of :data:`PHRASES`.
            **fields: The already formatted values for its placeholders.

        Returns:
            The sentence, starting with a capital letter.
        """
        options = PHRASES[key]
        if self.vary and len(options) > 1:
            with self._lock:
                template = self._rng.choice(options)
        else:
            template = options[0]
        text = template.format(**fields)
        return text[:1].upper() + text[1:]
