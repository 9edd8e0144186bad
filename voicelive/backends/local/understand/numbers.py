"""Numbers spoken as words, turned into digits before understanding.

Recognisers write "forty five", "a hundred and fifty", "half an hour" or "45"; tools want
numbers. :func:`normalize_numbers` rewrites the words as digits, using the number words of a
:class:`~voicelive.backends.local.understand.language.Language` (English by default). It is
plain string work with no model.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .language import ENGLISH, Language

__all__ = ["fractions_as_said", "normalize_numbers", "parse_number"]

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+(?:\.\d+)?|[^\sa-z\d]+")


_SCALE_MARK = "\ue000"  # follows the value of a scale word said alone ("and a half thousand")


@lru_cache(maxsize=8)
def _phrases(language: Language) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), r) for p, r in language.number_phrases)


@lru_cache(maxsize=8)
def _fraction_rules(language: Language) -> tuple[re.Pattern[str], ...]:
    """Patterns for a number or a unit followed by a spoken fraction (see the rules below)."""
    fractions = "|".join(re.escape(words) for words in _fraction_values(language)) or "(?!)"
    units = "|".join(sorted((re.escape(u) for u in language.units if u.isalpha()),
                            key=len, reverse=True)) or "(?!)"
    number = r"(\d+(?:\.\d+)?)"
    return (
        # "2 and a quarter hours": the fraction joins the number, in the unit after them
        re.compile(rf"\b{number} and ({fractions}) ({units})\b"),
        # "an hour and a quarter", "a litre and a half": one of the unit and the fraction
        re.compile(rf"\b(?:an?|one) ({units}) and ({fractions})\b"),
        # "two and a half thousand": the fraction joins the number, then the scale applies
        re.compile(rf"\b{number} and ({fractions}) (\d+){_SCALE_MARK}"),
        # "2 and a quarter hours", "six and a half": the fraction joins the number
        re.compile(rf"\b{number} and ({fractions})\b"),
        # "2 hours and a half": the fraction of the unit said
        re.compile(rf"\b{number} ({units}) and ({fractions})\b"),
    )


@lru_cache(maxsize=8)
def _fraction_values(language: Language) -> dict[str, float]:
    """The language's fractions, also with their number words as digits ("3 quarters")."""
    values: dict[str, float] = {}
    for words, value in language.fractions:
        values[words] = value
        digits = " ".join(str(language.number_units.get(w, w)) for w in words.split())
        values.setdefault(digits, value)
    return dict(sorted(values.items(), key=lambda kv: len(kv[0]), reverse=True))


def _fraction(language: Language, words: str) -> float:
    return _fraction_values(language)[words]


def _number(value: float) -> str:
    return f"{value:g}" if not float(value).is_integer() else str(int(value))


def _amount(value: float, unit: str, language: Language) -> str:
    """``value`` of ``unit`` as text; durations in minutes ("1.25 hour" is "75 minutes")."""
    base, factor = language.units[unit]
    if base == "min" and factor != 1.0:
        return f"{_number(round(value * factor, 2))} {language.unit_names.get(base, base)}"
    return f"{_number(value)} {unit}"


def _apply_fractions(text: str, language: Language, *, before: bool) -> str:
    in_unit, one_unit, scaled, joined, unit_part = _fraction_rules(language)

    def of_unit(m: re.Match[str]) -> str:
        return _amount(float(m.group(1)) + _fraction(language, m.group(3)), m.group(2), language)

    if before:  # ahead of the language's phrases, which know "an hour" but not its quarter
        text = one_unit.sub(lambda m: _amount(
            1 + _fraction(language, m.group(2)), m.group(1), language), text)
        return unit_part.sub(of_unit, text)
    text = scaled.sub(lambda m: _number(
        (float(m.group(1)) + _fraction(language, m.group(2))) * int(m.group(3))), text)
    # "2.5 thousand" (a decimal before a scale said alone) and what is left of the marks
    text = re.sub(rf"\b(\d+\.\d+) (\d+){_SCALE_MARK}",
                  lambda m: _number(float(m.group(1)) * int(m.group(2))), text)
    text = text.replace(_SCALE_MARK, "")
    text = in_unit.sub(lambda m: _amount(
        float(m.group(1)) + _fraction(language, m.group(2)), m.group(3), language), text)
    text = joined.sub(
        lambda m: _number(float(m.group(1)) + _fraction(language, m.group(2))), text)
    text = unit_part.sub(of_unit, text)
    # "two dozen eggs"
    return re.sub(r"\b(\d+) dozen\b", lambda m: str(int(m.group(1)) * 12), text)


def parse_number(words: list[str], language: Language = ENGLISH) -> int | None:
    """Value of a run of number words, e.g. ``["forty", "five"]`` -> 45.

    ``and`` and ``a`` are allowed inside ("a hundred and fifty"). Returns ``None`` when the
    words do not form a number.
    """
    units, tens, scales = language.number_units, language.number_tens, language.number_scales
    total = 0
    current = 0
    seen = False
    for i, word in enumerate(words):
        if word == "and" and seen:
            continue
        if word == "a" and i + 1 < len(words) and words[i + 1] in scales:
            current = max(current, 1)
            continue
        if word in units:
            current += units[word]
        elif word in tens and 0 < current < 10:
            return None
        elif word in tens:
            # "eighteen fifty" is 1850, as calories and years are said
            current = current * 100 + tens[word] if 10 <= current < 20 else current + tens[word]
        elif word in scales and scales[word] < 1000:
            current = max(current, 1) * scales[word]
        elif word in scales:
            total += max(current, 1) * scales[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _is_number_word(word: str, nxt: str | None, language: Language) -> bool:
    if word in language.number_units or word in language.number_tens:
        return True
    if word in language.number_scales:
        return True
    return word == "a" and nxt in language.number_scales


def normalize_numbers(text: str, language: Language = ENGLISH) -> str:
    """Lower-case ``text`` and write spoken numbers as digits.

    Examples:
        >>> normalize_numbers("I ran for forty five minutes")
        'i ran for 45 minutes'
        >>> normalize_numbers("Half an hour of yoga")
        '30 minutes of yoga'
        >>> normalize_numbers("a hundred and fifty grams")
        '150 grams'
        >>> normalize_numbers("an hour and a quarter, two and a half thousand calories")
        '75 minutes, 2500 calories'
        >>> normalize_numbers("make it 1000 850 calories")
        'make it 1850 calories'
    """
    s = text.lower().replace("-", " ").replace("\u2019", "'")
    # "an hour's walk", "twenty minutes' walk": a duration, not a possessive
    s = re.sub(r"\b(hour|minute|second|day|week)(s?)(?:'s|')(?=\s|$)", r"\1\2", s)
    s = re.sub(r"(\d),(\d{3})\b", r"\1\2", s)
    # "1000 850": "one thousand eight hundred and fifty" written in two pieces by the
    # recogniser; a round thousand and a number under a thousand after it are one number
    s = re.sub(r"\b([1-9]\d?)000 ([1-9]\d{0,2})\b(?![.,]?\d)",
               lambda m: str(int(m.group(1)) * 1000 + int(m.group(2))), s)
    # "22 hundred", "2 thousand": digits with a scale word, as recognisers write them
    s = re.sub(r"\b(\d{1,2}(?:\.\d+)?) (hundred|thousand)\b",
               lambda m: _number(float(m.group(1))
                                 * (100 if m.group(2) == "hundred" else 1000)), s)
    s = _hundreds(s, language)
    s = _apply_fractions(s, language, before=True)
    for pattern, replacement in _phrases(language):
        s = pattern.sub(replacement, s)
    tokens = _TOKEN.findall(s)
    scales = language.number_scales
    out: list[str] = []
    i = 0
    while i < len(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if not _is_number_word(tokens[i], nxt, language):
            out.append(tokens[i])
            i += 1
            continue
        j = i
        run: list[str] = []
        while j < len(tokens):
            after = tokens[j + 1] if j + 1 < len(tokens) else None
            word = tokens[j]
            joins = (word == "and" and bool(run) and run[-1] in scales
                     and after is not None and _is_number_word(after, None, language))
            if _is_number_word(word, after, language) or joins:
                run.append(word)
            else:
                break
            j += 1
        value = parse_number(run, language)
        while value is None and len(run) > 1:  # "six thirty" is 6 and 30, not one number
            run.pop()
            j -= 1
            value = parse_number(run, language)
        if value is None:
            out.append(tokens[i])
            i += 1
            continue
        alone = len(run) == 1 and run[0] in scales  # "thousand" after "two and a half"
        out.append(f"{value}{_SCALE_MARK}" if alone else str(value))
        i = j
    text = re.sub(r"\b(\d+) point (\d+)\b", r"\1.\2", _join(out))  # "seventy point five"
    return _apply_fractions(text, language, before=False)


_CLOCK_BEFORE = ("at", "for", "till", "until", "by", "around", "from", "to", "past")
_CLOCK_AFTER = ("am", "pm", "a.m.", "p.m.", "o'clock", "tonight", "tomorrow", "in the")


@lru_cache(maxsize=8)
def _hundreds_rule(language: Language) -> re.Pattern[str]:
    digits = "|".join(w for w, v in language.number_units.items() if 1 <= v <= 9)
    teens = "|".join(w for w, v in language.number_units.items() if 10 <= v <= 19)
    tens = "|".join(language.number_tens)
    return re.compile(rf"(?:\b(\w+) )?\b({digits}) (?:(oh) ({digits})|({teens})|({tens})"
                      rf"(?: ({digits}))?)\b(?= (\S+)|)")


def _hundreds(text: str, language: Language) -> str:
    """Three-digit numbers said in two parts: "one sixty" is 160, "one oh five" 105.

    As readings, weights and scores are said ("my sugar was one sixty"). A time stays two
    numbers ("at six thirty", "six fifteen pm"); a time's minutes are under sixty, so "one
    sixty" is never one.
    """
    units, tens = language.number_units, language.number_tens

    def one(m: re.Match[str]) -> str:
        before, lead, oh, after_oh, teen, ten, unit, nxt = m.groups()
        value = units[lead] * 100 + (units[after_oh] if oh else units[teen] if teen
                                     else tens[ten] + (units[unit] if unit else 0))
        clock = (before in _CLOCK_BEFORE or (nxt or "") in _CLOCK_AFTER) and value % 100 < 60
        if clock:
            return m.group(0)
        return (f"{before} " if before else "") + str(value)

    return _hundreds_rule(language).sub(one, text)


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if text and (token[0].isalnum() or (not text[-1].isalnum() and token[0] not in ".,!?")):
            text += " "
        text += token
    return text.strip()


_SAID_FRACTION = re.compile(r"^(\d+)?(\.25|\.5|\.75)(?=$| [a-z])")


def fractions_as_said(text: str, language: Language = ENGLISH) -> str:
    """A text value whose leading fraction reads as spoken: "0.5 cup of" -> "half a cup of".

    Numbers are digits while the utterance is read ("half a cup" is 0.5 cup); a text value
    such as an amount goes to the tool as said ("half a cup of", "2 and a half slices of").
    """
    found = _SAID_FRACTION.match(text)
    if found is None:
        return text
    whole, part = found.group(1), found.group(2)
    spoken = {".25": "a quarter", ".5": "a half", ".75": "three quarters"}[part]
    rest = text[found.end():]
    if whole in (None, "0"):
        if not rest:
            return {".25": "a quarter", ".5": "half", ".75": "three quarters"}[part]
        lead = "half a" if part == ".5" else f"{spoken} of a" if part == ".75" else spoken
        return lead + rest
    return f"{whole} and {spoken}{rest}"

