"""Numbers spoken as words, turned into digits before intent matching.

Recognisers write "forty five", "a hundred and fifty", "half an hour" or "45"; templates and
tool schemas want numbers. :func:`normalize_numbers` rewrites the words as digits so a template
range such as ``{minutes}`` only has to match digits. It is plain string work with no model.
"""

from __future__ import annotations

import re

__all__ = ["normalize_numbers", "parse_number"]

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORDS = set(_UNITS) | set(_TENS) | set(_SCALES)

# Phrases rewritten before number words: durations people say without a number.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:an?|one) hour and a half\b"), "90 minutes"),
    (re.compile(r"\b(?:one|1) and a half hours?\b"), "90 minutes"),
    (re.compile(r"\b(?:two|2) and a half hours?\b"), "150 minutes"),
    (re.compile(r"\bhalf an hour\b"), "30 minutes"),
    (re.compile(r"\ba half hour\b"), "30 minutes"),
    (re.compile(r"\b(?:a|one) quarter of an hour\b"), "15 minutes"),
    (re.compile(r"\bthree quarters of an hour\b"), "45 minutes"),
    (re.compile(r"\b(?:an|one|1) hour\b"), "60 minutes"),
    (re.compile(r"\b(?:two|2) hours\b"), "120 minutes"),
    (re.compile(r"\b(?:a|one) dozen\b"), "12"),
    (re.compile(r"\ba couple of\b"), "2"),
)
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+(?:\.\d+)?|[^\sa-z\d]+")


def parse_number(words: list[str]) -> int | None:
    """Value of a run of number words, e.g. ``["forty", "five"]`` -> 45.

    ``and`` and ``a`` are allowed inside ("a hundred and fifty"). Returns ``None`` when the
    words do not form a number.
    """
    total = 0
    current = 0
    seen = False
    for i, word in enumerate(words):
        if word == "and" and seen:
            continue
        if word == "a" and i + 1 < len(words) and words[i + 1] in _SCALES:
            current = max(current, 1)
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _is_number_word(word: str, nxt: str | None) -> bool:
    if word in _NUMBER_WORDS:
        return True
    return word == "a" and nxt in _SCALES


def normalize_numbers(text: str) -> str:
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
    for pattern, replacement in _PHRASES:
        s = pattern.sub(replacement, s)
    tokens = _TOKEN.findall(s)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if not _is_number_word(tokens[i], nxt):
            out.append(tokens[i])
            i += 1
            continue
        j = i
        run: list[str] = []
        while j < len(tokens):
            after = tokens[j + 1] if j + 1 < len(tokens) else None
            word = tokens[j]
            joins = word == "and" and bool(run) and run[-1] in _SCALES and after in _NUMBER_WORDS
            if _is_number_word(word, after) or joins:
                run.append(word)
            else:
                break
            j += 1
        value = parse_number(run)
        if value is None:
            out.append(tokens[i])
            i += 1
            continue
        out.append(str(value))
        i = j
    return _join(out)


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if text and (token[0].isalnum() or (not text[-1].isalnum() and token[0] not in ".,!?")):
            text += " "
        text += token
    return text.strip()
