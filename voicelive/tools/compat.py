"""Make parameter types that pydantic refuses on Python 3.11 acceptable.

On Python < 3.12 pydantic only accepts ``typing_extensions.TypedDict``, not ``typing.TypedDict``.
Tool authors naturally write the latter, so parameter annotations are rewritten: every
``typing.TypedDict`` reachable through generic arguments (``list[Point]``, ``Point | None``,
``Annotated[Point, ...]``, ``dict[str, Point]`` ...) is replaced by an equivalent
``typing_extensions.TypedDict`` with the same keys, required keys and docstring.

TypedDicts used *inside* a pydantic model or a dataclass cannot be rewritten this way; pydantic
then refuses them and the error tells the author to import ``TypedDict`` from
``typing_extensions``.
"""

from __future__ import annotations

import sys
import types
import typing
from typing import Annotated, Any

import typing_extensions

__all__ = ["modernize"]

_WRAPPERS = (typing.Required, typing.NotRequired, typing_extensions.Required,
             typing_extensions.NotRequired)
_IN_PROGRESS: Any = object()


def modernize(annotation: Any) -> Any:
    """Return ``annotation`` with ``typing.TypedDict`` classes replaced where needed.

    Args:
        annotation: A resolved parameter annotation.

    Returns:
        The same annotation on Python 3.12+, or when nothing needed rewriting; otherwise an
        equivalent annotation pydantic accepts.
    """
    if sys.version_info >= (3, 12):
        return annotation
    return _rewrite(annotation, {})


def _is_legacy_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and typing.is_typeddict(tp) and type(tp).__module__ == "typing"


def _rewrite(tp: Any, memo: dict[Any, Any]) -> Any:
    if _is_legacy_typeddict(tp):
        return _convert_typeddict(tp, memo)
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if not args or origin is typing.Literal:
        return tp
    if origin is Annotated:
        base = _rewrite(args[0], memo)
        return tp if base is args[0] else Annotated.__class_getitem__((base, *args[1:]))
    new_args = tuple(_rewrite(a, memo) if not isinstance(a, list) else a for a in args)
    if all(new is old for new, old in zip(new_args, args, strict=True)):
        return tp
    if origin in (typing.Union, types.UnionType):
        return typing.Union.__getitem__(new_args)
    if isinstance(tp, types.GenericAlias):
        return types.GenericAlias(origin, new_args)
    copy_with = getattr(tp, "copy_with", None)
    return copy_with(new_args) if callable(copy_with) else tp


def _convert_typeddict(td: type, memo: dict[Any, Any]) -> Any:
    """Build a ``typing_extensions.TypedDict`` equivalent to the ``typing`` one ``td``."""
    done = memo.get(td)
    if done is _IN_PROGRESS:  # a recursive TypedDict: leave it to pydantic's error
        return td
    if done is not None:
        return done
    memo[td] = _IN_PROGRESS
    hints = typing.get_type_hints(td, include_extras=True)
    required: frozenset[str] = getattr(td, "__required_keys__", frozenset())
    fields: dict[str, Any] = {}
    for key, hint in hints.items():
        # The resolved wrapper wins: with ``from __future__ import annotations`` Python 3.11
        # computes ``__required_keys__`` from strings and misses ``NotRequired[...]``.
        is_required = key in required
        while typing.get_origin(hint) in _WRAPPERS:
            is_required = typing.get_origin(hint) in (typing.Required, typing_extensions.Required)
            hint = typing.get_args(hint)[0]
        wrapper: Any = typing_extensions.Required if is_required else typing_extensions.NotRequired
        fields[key] = wrapper[_rewrite(hint, memo)]
    factory: Any = typing_extensions.TypedDict
    new = factory(td.__name__, fields)
    new.__doc__ = td.__doc__
    new.__module__ = td.__module__
    new.__qualname__ = td.__qualname__
    memo[td] = new
    return new
