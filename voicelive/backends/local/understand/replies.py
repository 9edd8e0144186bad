"""What understanding says itself: a short question, or an honest "nothing fits".

Sentences come from the language's :attr:`~.language.Language.say` table; which variant is
said depends on what was heard, so the same miss is not met with the same words every time.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from .catalog import ParamInfo, ToolInfo
from .language import Language

__all__ = ["ask_for", "either", "near_miss", "nothing_fits", "offer", "spoken_list"]

_MAX_OPTIONS = 5


def _pick(options: Sequence[str], heard: str) -> str:
    return options[zlib.crc32(heard.encode()) % len(options)] if options else ""


def spoken_list(items: Sequence[str], language: Language) -> str:
    """``a, b or c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + f" {language.list_join} " + items[-1]


def ask_for(param: ParamInfo, language: Language, heard: str = "") -> str:
    """One short question for a missing value ("Which meal: breakfast, lunch or dinner?")."""
    say = language.say
    vocab = param.vocabulary
    if vocab is not None and vocab.closed and 1 < len(vocab.values) <= _MAX_OPTIONS:
        return _pick(say["which_of"], heard).format(
            label=param.label, options=spoken_list(list(vocab.values), language))
    if param.kind in ("integer", "number"):
        if param.unit is not None:
            unit = language.unit_names.get(param.unit, param.unit)
            return _pick(say["how_many"], heard).format(unit=unit)
        return _pick(say["how_much"], heard).format(label=param.label)
    if vocab is not None:
        return _pick(say["which"], heard).format(label=param.label)
    return _pick(say["what"], heard).format(label=param.label)


def nothing_fits(heard: str, ranked: Sequence[ToolInfo], language: Language) -> str:
    """A short honest answer naming two or three things that can be done.

    Args:
        heard: What was heard (the choice of words and of tools depends on it).
        ranked: Tools, closest to what was heard first.
        language: The reply language.
    """
    if not ranked:
        return _pick(language.say["empty_tools"], heard)
    abilities = list(dict.fromkeys(t.ability for t in ranked if t.ability))[:3]
    opener = _pick(language.say["nothing"], heard)
    return opener + " " + _pick(language.say["abilities"], heard).format(
        abilities=spoken_list(abilities, language))


def offer(heard: str, ranked: Sequence[ToolInfo], language: Language) -> str:
    """What to say to a turn that asked nothing ("hello", "thanks"): what can be done."""
    if not ranked:
        return _pick(language.say["empty_tools"], heard)
    abilities = list(dict.fromkeys(t.ability for t in ranked if t.ability))[:3]
    return _pick(language.say["offer"], heard).format(abilities=spoken_list(abilities, language))


def near_miss(info: ToolInfo, language: Language, heard: str = "") -> str:
    """What to say when a write was only thought about or asked about."""
    return _pick(language.say["near_miss"], heard).format(ability=info.ability)


def either(first: ToolInfo, second: ToolInfo, language: Language, heard: str = "") -> str:
    """Ask which of two tools was meant."""
    return _pick(language.say["either"], heard).format(first=first.ability,
                                                       second=second.ability)
