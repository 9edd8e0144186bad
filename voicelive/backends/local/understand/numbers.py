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

__all__ = ["normalize_numbers", "parse_number"]

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+(?:\.\d+)?|[^\sa-z\d]+")


@lru_cache(maxsize=8)
def _phrases(language: Language) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), r) for p, r in language.number_phrases)


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
    """
    s = text.lower().replace("-", " ")
    s = re.sub(r"(\d),(\d{3})\b", r"\1\2", s)
    # "22 hundred", "2 thousand": digits with a scale word, as recognisers write them
    s = re.sub(r"\b(\d{1,2}) (hundred|thousand)\b",
               lambda m: str(int(m.group(1)) * (100 if m.group(2) == "hundred" else 1000)), s)
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
        out.append(str(value))
        i = j
    # "six and a half hours", "2 and a half": the half joins the number before it
    text = re.sub(r"\b(\d+) and (?:a )?half\b", lambda m: f"{m.group(1)}.5", _join(out))
    text = re.sub(r"\b(\d+) point (\d+)\b", r"\1.\2", text)  # "seventy point five"
    # "a litre and a half", "2 kilos and a half": the half of the unit said
    return re.sub(r"\b(an?|\d+(?:\.\d+)?) ([a-z]+) and a half\b",
                  lambda m: (f"{(1 if m.group(1) in ('a', 'an') else float(m.group(1))) + 0.5:g}"
                             f" {m.group(2)}") if m.group(2) in language.units else m.group(0),
                  text)


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if text and (token[0].isalnum() or (not text[-1].isalnum() and token[0] not in ".,!?")):
            text += " "
        text += token
    return text.strip()
