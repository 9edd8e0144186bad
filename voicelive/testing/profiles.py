"""Per-family behaviour of the Gemini Live service, as data the emulator follows.

Live model families differ in ways a client must handle (Live API docs, migration guide, and
what third-party clients had to change):

========================================  ==============================  ======================
behaviour                                 2.5 native audio                3.x Live
========================================  ==============================  ======================
``turnComplete`` right after a toolCall   yes                             no, not until the
                                                                          response arrives
parts in one server message               one                             several (audio and
                                                                          transcript together)
``clientContent``                         any time                        initial history only,
                                                                          with ``historyConfig``
thinking setting                          ``thinkingBudget``              ``thinkingLevel``
function calls by default                 blocking                        asynchronous
``BLOCKING`` call when the user speaks    kept                            cancelled
========================================  ==============================  ======================

Both families put usage metadata on the ``turnComplete`` message and follow ``interrupted`` with
``turnComplete``. :func:`profile_for_model` picks the family from the model named in ``setup``;
an unknown name gets the newest family. ``SCRIPTED`` adds and checks nothing: the script is sent
exactly as written (the emulator's behaviour before profiles existed); only the ``goAway``
deadline still holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "LIVE_3",
    "NATIVE_AUDIO_25",
    "PROFILES",
    "SCRIPTED",
    "Profile",
    "model_id",
    "profile_for_model",
    "resolve_profile",
]


@dataclass(frozen=True, slots=True)
class Profile:
    """What one model family does differently on the wire.

    Attributes:
        name: Short name (a key of :data:`PROFILES`).
        turn_complete_after_tool_call: Send ``turnComplete`` right after every ``toolCall``.
            When ``False``, a ``turnComplete`` the script sends while a call is pending is held
            back (counted in ``LiveEmulator.withheld``).
        parts_per_message: ``"one"`` splits a server message into one part each (a transcript
            and audio become two messages); ``"many"`` merges consecutive content messages of a
            step into one.
        client_content: ``"any"`` accepts ``clientContent`` at any time; ``"initial_history"``
            only before the first model turn and only when ``setup.historyConfig`` has
            ``initialHistoryInClientContent``, else the connection closes with 1007.
        thinking_field: The ``thinkingConfig`` field the family accepts (the other one closes
            with 1007); ``None`` checks nothing.
        default_behavior: Behaviour of a function declared without ``behavior``.
        cancel_blocking_on_input: New user input withdraws pending ``BLOCKING`` calls with a
            ``toolCallCancellation``.
        turn_complete_after_interrupted: Follow ``interrupted`` with ``turnComplete``.
        usage_on_turn_complete: Put ``usageMetadata`` on every ``turnComplete`` message.
    """

    name: str
    turn_complete_after_tool_call: bool = False
    parts_per_message: Literal["one", "many", "as_scripted"] = "as_scripted"
    client_content: Literal["any", "initial_history"] = "any"
    thinking_field: Literal["thinkingBudget", "thinkingLevel"] | None = None
    default_behavior: Literal["BLOCKING", "NON_BLOCKING"] = "BLOCKING"
    cancel_blocking_on_input: bool = False
    turn_complete_after_interrupted: bool = False
    usage_on_turn_complete: bool = False

    @property
    def shapes(self) -> bool:
        """Whether this profile changes anything at all (``SCRIPTED`` does not)."""
        return self != SCRIPTED


NATIVE_AUDIO_25 = Profile(
    name="gemini-2.5",
    turn_complete_after_tool_call=True,
    parts_per_message="one",
    client_content="any",
    thinking_field="thinkingBudget",
    default_behavior="BLOCKING",
    cancel_blocking_on_input=False,
    turn_complete_after_interrupted=True,
    usage_on_turn_complete=True,
)
"""``gemini-2.5-*`` native audio (and the Vertex ``gemini-live-2.5-*`` names)."""

LIVE_3 = Profile(
    name="gemini-3",
    turn_complete_after_tool_call=False,
    parts_per_message="many",
    client_content="initial_history",
    thinking_field="thinkingLevel",
    default_behavior="NON_BLOCKING",
    cancel_blocking_on_input=True,
    turn_complete_after_interrupted=True,
    usage_on_turn_complete=True,
)
"""``gemini-3*`` Live models: ``gemini-3.8-live``, ``gemini-3.1-flash-live-preview`` ..."""

SCRIPTED = Profile(name="scripted")
"""No family behaviour: messages go out as the script wrote them."""

PROFILES: dict[str, Profile] = {p.name: p for p in (NATIVE_AUDIO_25, LIVE_3, SCRIPTED)}
"""Profiles by name, for ``LiveEmulator(profile="gemini-2.5")``."""

_PREFIX_RE = re.compile(r"^(?:projects/[^/]+/locations/[^/]+/)?(?:publishers/[^/]+/)?(?:models/)?")
_FAMILY_25_RE = re.compile(r"^gemini-(?:live-)?(?:2\.5|2\.0)(?:-|$)")
_FAMILY_3_RE = re.compile(r"^gemini-(?:live-)?3(?:[.-]|$)")


def model_id(model: str) -> str:
    """The bare model id: ``models/x``, ``publishers/google/models/x`` and Vertex paths -> ``x``."""
    return _PREFIX_RE.sub("", model.strip())


def profile_for_model(model: str) -> Profile:
    """The profile of the family ``model`` belongs to; unknown names get the newest family.

    Args:
        model: The model as the client named it in ``setup`` (any prefix form).
    """
    bare = model_id(model).lower()
    if _FAMILY_25_RE.match(bare):
        return NATIVE_AUDIO_25
    if _FAMILY_3_RE.match(bare):
        return LIVE_3
    return LIVE_3


def is_known_model(model: str) -> bool:
    """Whether ``model`` names a Live family this emulator models (for the strict check)."""
    bare = model_id(model).lower()
    return bool(_FAMILY_25_RE.match(bare) or _FAMILY_3_RE.match(bare))


def resolve_profile(choice: Profile | str | None, model: str) -> Profile:
    """The profile for a connection: an explicit choice, else the one ``model`` implies.

    Args:
        choice: A :class:`Profile`, a name from :data:`PROFILES`, or ``None``/``"auto"``.
        model: The model named in ``setup``.

    Raises:
        ValueError: ``choice`` names no profile.
    """
    if isinstance(choice, Profile):
        return choice
    if choice is None or choice == "auto":
        return profile_for_model(model)
    try:
        return PROFILES[choice]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        message = f"unknown emulator profile {choice!r}; choose from {known} or 'auto'"
        raise ValueError(message) from None
