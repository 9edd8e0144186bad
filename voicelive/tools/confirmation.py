"""Spoken confirmation of a tool call, as a pure synchronous state machine.

A tool declared with ``@tool(confirm=True)`` (or a question template,
``confirm="Set your daily target to {kcal} kcal?"``) never runs on the model's first call. The
session asks :class:`ConfirmationGate` what to do with every call and every user turn, and the
gate answers with decisions:

- a confirm tool is called: :class:`Ask` (read the details back as a question; nothing runs);
- the question was spoken and the user says yes in a later turn: :class:`Run`, with the very
  arguments that were read back;
- the user says no, asks for something else, stays silent past the timeout, or the session
  ends: :class:`Cancel`, and nothing is written;
- the model repeats the pending call word for word: :class:`Repeat` (ask again, keep waiting);
- the model repeats a call the user just confirmed, before the user's next turn:
  :class:`Duplicate` (it already ran; it does not run twice, nor is it asked again).

An answer counts only after the question has been put to the user (an assistant turn ended or
was interrupted after the call), so the transcript of the request itself, which may arrive after
the call, is never taken for the answer. Time is an argument of every method: tests drive the
timeout with a fake clock. :func:`classify_answer` sorts an answer into yes, no or other with
word lists kept as data (:data:`ANSWER_WORDS`), one entry per language.
"""

from __future__ import annotations

import copy
import math
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ANSWER_WORDS",
    "Answer",
    "AnswerWords",
    "Ask",
    "Cancel",
    "ConfirmationGate",
    "Decision",
    "Duplicate",
    "PassThrough",
    "PendingCall",
    "Repeat",
    "Run",
    "classify_answer",
    "render_question",
    "template_fields",
]

Answer = Literal["yes", "no", "other"]
"""What a user's answer to a confirmation question means."""

DEFAULT_TIMEOUT_S = 30.0
"""Seconds a spoken question waits for an answer before the call expires."""


@dataclass(frozen=True, slots=True)
class AnswerWords:
    """The words of one language that answer a yes/no question.

    Attributes:
        yes: Words and phrases that agree ("yes", "go ahead").
        no: Words and phrases that refuse or hold back ("no", "wait"); any of them wins.
        filler: Words that may surround a yes without changing it ("um", "please").
        max_extra_words: Other words a yes may carry before it counts as a new request.
        numbers: Number words: a refusal that says a number corrects the call ("no wait,
            1800") and counts as a new request, not as a no.
    """

    yes: tuple[str, ...]
    no: tuple[str, ...]
    filler: tuple[str, ...]
    max_extra_words: int = 1
    numbers: tuple[str, ...] = ()


ANSWER_WORDS: dict[str, AnswerWords] = {
    "en": AnswerWords(
        yes=("yes", "yeah", "yep", "yup", "ya", "yea", "sure", "ok", "okay", "alright",
             "all right", "correct", "right", "exactly", "absolutely", "definitely",
             "of course", "please do", "go ahead", "do it", "do that", "go for it",
             "confirm", "confirmed", "sounds good", "that's right", "that's it", "fine",
             "affirmative", "perfect", "great", "uh huh", "mhm"),
        no=("no", "nope", "nah", "not", "don't", "do not", "cancel", "wait", "stop",
            "hold on", "never mind", "nevermind", "forget it", "wrong", "negative",
            "actually", "rather not", "no thanks"),
        filler=("um", "uh", "er", "erm", "hmm", "oh", "well", "so", "please", "thanks",
                "thank", "you", "that", "that's", "is", "it", "sounds", "yes", "i", "think",
                "would", "be", "go", "ahead", "and", "then", "just", "very", "much", "good",
                "sir", "ma'am", "mate"),
        numbers=("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                 "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
                 "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "half"),
    ),
}
"""Answer words per language (BCP-47 primary subtag); a new language is a new entry."""

_WORD = re.compile(r"[a-z0-9']+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _has(words: list[str], phrase: str) -> bool:
    parts = phrase.split()
    n = len(parts)
    return any(words[i : i + n] == parts for i in range(len(words) - n + 1))


def classify_answer(text: str, language: str = "en") -> Answer:
    """Sort a user's answer to a yes/no question.

    A refusal anywhere wins ("yes... no, wait" is no), unless it says a number: "no wait,
    1800" corrects the call, so it is other (a new request, which the offline backend then
    understands against the call before). A yes counts when little else was said ("yeah, go
    ahead please" is yes, "yes but make it 2000" is other: a new request).

    Args:
        text: What the user said.
        language: Language of the words (a key of :data:`ANSWER_WORDS`; English otherwise).

    Returns:
        ``"yes"``, ``"no"`` or ``"other"``.
    """
    vocab = ANSWER_WORDS.get(language.split("-")[0].lower(), ANSWER_WORDS["en"])
    words = _words(text)
    if not words:
        return "other"
    if any(_has(words, phrase) for phrase in vocab.no):
        corrects = any(w[0].isdigit() or w in vocab.numbers for w in words)
        return "other" if corrects else "no"
    agreeing = [phrase for phrase in vocab.yes if _has(words, phrase)]
    if not agreeing:
        return "other"
    covered = {w for phrase in agreeing for w in phrase.split()} | set(vocab.filler)
    extra = [w for w in words if w not in covered]
    return "yes" if len(extra) <= vocab.max_extra_words else "other"


# --- questions ----------------------------------------------------------------------------


def template_fields(template: str) -> tuple[str, ...]:
    """Names of the ``{placeholders}`` of a question template.

    Raises:
        ValueError: The template is malformed, or uses positional or indexed fields.
    """
    names: list[str] = []
    for _, name, _, _ in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} must name a parameter")
        names.append(name)
    return tuple(names)


def _spoken(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(_spoken(v) for v in value)
    return "" if value is None else str(value)


def render_question(name: str, args: Mapping[str, Any], template: str | None) -> str:
    """The question that reads a call back: the template filled with the arguments.

    Arguments the template does not name are added ("..., with protein g 120?"), so every
    argument that would run is read back. Without a template: "Should I <name in words> with
    <arg> <value>, ...?".
    """
    def details(skip: tuple[str, ...] = ()) -> str:
        return ", ".join(f"{k.replace('_', ' ')} {_spoken(v)}" for k, v in args.items()
                         if v is not None and k not in skip)

    if template:
        values = {k: _spoken(v) for k, v in args.items()}
        try:
            question = string.Formatter().vformat(template, (), _Blank(values)).strip()
            named = template_fields(template)
        except (ValueError, KeyError, IndexError, AttributeError):
            pass
        else:
            rest = details(named)  # every argument that runs is read back
            if not rest:
                return question
            return f"{question.rstrip('?').rstrip()}, with {rest}?"
    action = name.replace("_", " ").strip()
    said = details()
    return f"Should I {action} with {said}?" if said else f"Should I {action}?"


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


# --- the state machine ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingCall:
    """A call waiting for the user's yes.

    Attributes:
        id: The model's call id.
        name: The tool's name.
        args: The arguments read back (a private copy; these are what runs).
        question: The question put to the user.
    """

    id: str
    name: str
    args: dict[str, Any] = field(hash=False)
    question: str


@dataclass(frozen=True, slots=True)
class PassThrough:
    """Not a confirm tool: run it as usual."""


@dataclass(frozen=True, slots=True)
class Ask:
    """Read the call back as a question and wait; nothing runs."""

    call: PendingCall


@dataclass(frozen=True, slots=True)
class Repeat:
    """The model called the pending tool again with the same arguments: ask again."""

    call_id: str
    pending: PendingCall


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The model called again the call the user just confirmed: it already ran."""

    call_id: str
    done: PendingCall


@dataclass(frozen=True, slots=True)
class Run:
    """The user said yes: run the pending call with its read-back arguments."""

    call: PendingCall


@dataclass(frozen=True, slots=True)
class Cancel:
    """The call will not run; nothing is written.

    Attributes:
        call: The call given up.
        status: ``declined`` (no, or a different request) or ``expired`` (timeout, end).
        reason: ``no``, ``new_request``, ``timeout``, ``withdrawn`` or ``session_end``.
    """

    call: PendingCall
    status: Literal["declined", "expired"]
    reason: Literal["no", "new_request", "timeout", "withdrawn", "session_end"]


Decision = PassThrough | Ask | Repeat | Duplicate | Run | Cancel
"""What the gate may ask the session to do."""


class ConfirmationGate:
    """Holds at most one call awaiting confirmation and decides what happens to it.

    Args:
        timeout_s: Seconds of waiting for an answer after the question was put.
        language: Language of the answers.
    """

    def __init__(self, timeout_s: float = DEFAULT_TIMEOUT_S, language: str = "en") -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be > 0")
        self.timeout_s = timeout_s
        self.language = language
        self.pending: PendingCall | None = None
        self.asked = False
        self.deadline: float | None = None
        self.recent: PendingCall | None = None
        """The call confirmed last, until the user's next turn."""

    def on_call(
        self, call_id: str, name: str, args: Mapping[str, Any], question: str | None, now: float
    ) -> list[Decision]:
        """The model called a tool; ``question`` is ``None`` unless the tool asks to confirm."""
        out: list[Decision] = []
        pending = self.pending
        recent = self.recent
        if (pending is None and question is not None and recent is not None
                and (name, dict(args)) == (recent.name, recent.args)):
            return [Duplicate(call_id, recent)]
        if pending is not None:
            if question is not None and (name, dict(args)) == (pending.name, pending.args):
                return [Repeat(call_id, pending)]
            out.append(self._cancel("declined", "new_request"))
        if question is None:
            out.append(PassThrough())
            return out
        self.pending = PendingCall(call_id, name, copy.deepcopy(dict(args)), question)
        self.recent = None
        self.asked = False
        self.deadline = now + self.timeout_s
        out.append(Ask(self.pending))
        return out

    def on_question_put(self, now: float) -> None:
        """An assistant turn ended (or was cut) after the call: the question has been put."""
        if self.pending is not None and not self.asked:
            self.asked = True
            self.deadline = now + self.timeout_s

    def on_user_turn(self, text: str, now: float) -> list[Decision]:
        """The user finished a turn saying ``text``."""
        if self.pending is None:
            self.recent = None  # a new turn: a repeat of the confirmed call is a new request
            return []
        if not self.asked:
            return []
        expired = self.on_tick(now)
        if expired:
            return expired
        answer = classify_answer(text, self.language)
        if answer == "yes":
            call, self.pending, self.deadline = self.pending, None, None
            self.recent = call
            return [Run(call)]
        return [self._cancel("declined", "no" if answer == "no" else "new_request")]

    def on_tick(self, now: float) -> list[Decision]:
        """Time passed; the pending call expires at its deadline."""
        if self.pending is None or self.deadline is None or now < self.deadline:
            return []
        return [self._cancel("expired", "timeout")]

    def on_withdrawn(self, call_ids: tuple[str, ...]) -> list[Decision]:
        """The backend withdrew calls by id."""
        if self.pending is None or self.pending.id not in call_ids:
            return []
        return [self._cancel("expired", "withdrawn")]

    def on_end(self) -> list[Decision]:
        """The session ends: a pending call is given up."""
        if self.pending is None:
            return []
        return [self._cancel("expired", "session_end")]

    def _cancel(
        self,
        status: Literal["declined", "expired"],
        reason: Literal["no", "new_request", "timeout", "withdrawn", "session_end"],
    ) -> Cancel:
        assert self.pending is not None
        call, self.pending, self.deadline, self.asked = self.pending, None, None, False
        return Cancel(call, status, reason)
