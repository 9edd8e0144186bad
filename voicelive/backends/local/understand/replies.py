"""What understanding says itself: a short question, or an honest "nothing fits".

Sentences come from the language's :attr:`~.language.Language.say` table; which variant is
said depends on what was heard, so the same miss is not met with the same words every time.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from .catalog import ParamInfo, ToolInfo
from .language import Language

__all__ = ["SHORT_REPLY_CHARS", "ask_for", "either", "near_miss", "nothing_fits", "offer",
           "spoken_list"]

_MAX_OPTIONS = 5

SHORT_REPLY_CHARS = 66
"""Longest "nothing fits" / offer reply, in characters: under five seconds of speech (Piper
says about 15 characters a second)."""


def _fitting(opener: str, template: str, ranked: Sequence[ToolInfo],
             language: Language) -> str:
    """``opener`` + ``template`` naming up to three abilities, closest first, within budget.

    Abilities are taken in rank order while the whole reply stays within
    :data:`SHORT_REPLY_CHARS`; at least two are named (if two do not fit in rank order, the
    closest with the shortest other, else the two shortest).
    """
    abilities = list(dict.fromkeys(t.ability for t in ranked if t.ability))

    def text(chosen: list[str]) -> str:
        body = template.format(abilities=spoken_list(chosen, language))
        return f"{opener} {body}" if opener else body

    chosen: list[str] = []
    for ability in abilities:
        if len(chosen) == 3:
            break
        if len(text([*chosen, ability])) <= SHORT_REPLY_CHARS:
            chosen.append(ability)
    if len(chosen) < min(2, len(abilities)):
        shortest = sorted(abilities, key=len)
        other = next(a for a in shortest if a != abilities[0])
        chosen = [abilities[0], other]
        if len(text(chosen)) > SHORT_REPLY_CHARS:
            chosen = shortest[:2]
    return text(chosen)


def _pick(options: Sequence[str], heard: str) -> str:
    return options[zlib.crc32(heard.encode()) % len(options)] if options else ""


def spoken_list(items: Sequence[str], language: Language) -> str:
    """``a, b or c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + f" {language.list_join} " + items[-1]


def ask_for(param: ParamInfo, language: Language, heard: str = "", unknown: str = "",
            options: Sequence[str] = ()) -> str:
    """One short question for a missing value ("Which meal: breakfast, lunch or dinner?").

    ``unknown`` is a value said that its list does not know ("a kebab"): the question names
    it, so the speaker knows what to say again in other words. ``options`` are the values
    the speaker chose between ("rice or pasta").
    """
    say = language.say
    vocab = param.vocabulary
    if options:  # "I had rice or pasta": which of the two
        return _pick(say["which_of"], heard).format(
            label=param.label, options=spoken_list(list(options), language))
    if unknown and param.kind == "string" and "unknown" in say:
        return _pick(say["unknown"], heard).format(value=unknown, label=param.label)
    if vocab is not None and vocab.closed and 1 < len(vocab.values) <= _MAX_OPTIONS:
        return _pick(say["which_of"], heard).format(
            label=param.label, options=spoken_list(list(vocab.values), language))
    if param.kind in ("integer", "number"):
        if param.unit is not None:
            unit = (param.unit_word if param.scale != 1.0 and param.unit_word else
                    language.unit_names.get(param.unit, param.unit))
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
    return _fitting(_pick(language.say["nothing"], heard), _pick(language.say["abilities"], heard),
                    ranked, language)


def offer(heard: str, ranked: Sequence[ToolInfo], language: Language) -> str:
    """What to say to a turn that asked nothing ("hello", "thanks"): what can be done."""
    if not ranked:
        return _pick(language.say["empty_tools"], heard)
    return _fitting("", _pick(language.say["offer"], heard), ranked, language)


def near_miss(info: ToolInfo, language: Language, heard: str = "", *,
              someone_else: bool = False) -> str:
    """What to say when a write was only thought about, asked about or is someone else's."""
    key = "someone_else" if someone_else and "someone_else" in language.say else "near_miss"
    return _pick(language.say[key], heard).format(ability=info.ability)


def either(first: ToolInfo, second: ToolInfo, language: Language, heard: str = "") -> str:
    """Ask which of two tools was meant."""
    return _pick(language.say["either"], heard).format(first=first.ability,
                                                       second=second.ability)
