"""What a tool declares for understanding without a language model: vocabularies, writes, examples.

The offline backend picks a tool and its arguments from what the user said, with plain code
(see :mod:`voicelive.backends.local.understand`). It reads the tool's name, description,
docstring and parameter types; these optional hints make it sharper and travel with the
declaration, so no backend needs to know the domain:

* :class:`Vocabulary`, as ``Annotated`` metadata on a parameter, lists the phrases people use
  for it (the foods of a food table, the activities of an activity list), canonical names for
  other spellings, and a plausibility check for a value that is not on the list::

      def log_food(food: Annotated[str, Vocabulary(FOODS, plausible=is_food)]) -> str: ...

* :func:`hints` says whether the tool changes something (``writes``: a wrong call is then
  worse than a question), gives example sentences and a short phrase of what it does::

      @hints(writes=True, examples=["I drank two glasses of water"], ability="log water")
      @tool
      def log_water(ml: int) -> str: ...

Gemini ignores all of this; the model reads the description and the schema.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

__all__ = ["ToolHints", "Vocabulary", "hints", "parameter_vocabularies", "tool_hints"]

_ATTR = "__voicelive_hints__"
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words people use for one parameter's value.

    Attributes:
        values: Known phrases (lower-case words; digits in a phrase stand for any number, so
            ``"2 slices of"`` also covers "three slices of").
        aliases: Other phrases mapped to the value to pass (``{"ran": "running"}``).
        plausible: Says whether a phrase that is not a known one could be meant (a food
            search); such a phrase is then accepted with less confidence.
        closed: Only the known values (and aliases) are accepted.
    """

    values: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    plausible: Callable[[str], bool] | None = None
    closed: bool = False

    def __init__(
        self,
        values: Iterable[str] = (),
        *,
        aliases: Mapping[str, str] | None = None,
        plausible: Callable[[str], bool] | None = None,
        closed: bool = False,
    ) -> None:
        object.__setattr__(self, "values", tuple(" ".join(v.lower().split()) for v in values
                                                 if v.strip()))
        object.__setattr__(self, "aliases", {" ".join(k.lower().split()): v
                                             for k, v in (aliases or {}).items()})
        object.__setattr__(self, "plausible", plausible)
        object.__setattr__(self, "closed", bool(closed))

    def __hash__(self) -> int:
        return hash((self.values, tuple(self.aliases.items()), self.closed))


@dataclass(frozen=True, slots=True)
class ToolHints:
    """Tool-level hints for understanding without a language model.

    Attributes:
        writes: True when the tool changes something (log, record, set), False for a
            read-only lookup; ``None`` when not declared (then guessed from the name).
        examples: Example requests, as people say them (strong evidence, optional).
        ability: A short phrase of what the tool does ("log food you ate"), spoken when
            nothing fits; derived from the description when empty.
    """

    writes: bool | None = None
    examples: tuple[str, ...] = ()
    ability: str = ""


def hints(
    *, writes: bool | None = None, examples: Iterable[str] = (), ability: str = ""
) -> Callable[[_T], _T]:
    """Attach :class:`ToolHints` to a tool (above or below ``@tool``; the object is unchanged).

    Args:
        writes: Whether the tool changes something (see :attr:`ToolHints.writes`).
        examples: Example requests.
        ability: Short phrase of what it does.

    Returns:
        A decorator that returns its argument with the hints attached.
    """
    found = ToolHints(writes=writes, examples=tuple(examples), ability=ability.strip())

    def attach(target: _T) -> _T:
        setattr(target, _ATTR, found)
        return target

    return attach


def tool_hints(tool: object) -> ToolHints:
    """The hints attached to ``tool`` (or to the function it wraps); empty hints if none."""
    for target in (tool, getattr(tool, "fn", None), getattr(tool, "__wrapped__", None)):
        found = getattr(target, _ATTR, None)
        if isinstance(found, ToolHints):
            return found
    return ToolHints()


def parameter_vocabularies(tool: object) -> dict[str, Vocabulary]:
    """The :class:`Vocabulary` of each parameter that declares one (``Annotated`` metadata)."""
    fn = getattr(tool, "fn", None) or getattr(tool, "__wrapped__", None) or tool
    try:
        found = typing.get_type_hints(fn, include_extras=True)
    except Exception:  # unresolvable hints: the tool decorator reports those
        return {}
    out: dict[str, Vocabulary] = {}
    for name, annotation in found.items():
        for meta in _metadata(annotation):
            if isinstance(meta, Vocabulary):
                out[name] = meta
    return out


def _metadata(annotation: Any) -> list[Any]:
    """Annotated metadata of ``annotation``, also inside ``X | None``."""
    if typing.get_origin(annotation) is Annotated:
        return list(annotation.__metadata__)
    out: list[Any] = []
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is Annotated:
            out += list(arg.__metadata__)
    return out
