"""Text for the ear: units and symbols spelled the way a person says them.

Replies are written for the eye ("143 kcal, 13 g of protein"), and that is what events and the
page show. A speech synthesiser reads the abbreviations letter by letter ("k cal", "g"), so the
offline backend passes every sentence through :func:`speakable` just before synthesis:
``"143 kcal, 13 g of protein"`` is spoken as ``"143 calories, 13 grams of protein"``. The
numbers themselves are never changed, only the words around them.

::

    >>> speakable("1 can of cola (370 g) has 155 kcal and 1 g of fat.")
    '1 can of cola (370 grams) has 155 calories and 1 gram of fat.'
"""

from __future__ import annotations

import re

__all__ = ["UNIT_WORDS", "speakable"]

UNIT_WORDS: dict[str, tuple[str, str]] = {
    "kcal": ("calorie", "calories"),
    "cal": ("calorie", "calories"),
    "kj": ("kilojoule", "kilojoules"),
    "g": ("gram", "grams"),
    "mg": ("milligram", "milligrams"),
    "kg": ("kilogram", "kilograms"),
    "ml": ("millilitre", "millilitres"),
    "l": ("litre", "litres"),
    "oz": ("ounce", "ounces"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "min": ("minute", "minutes"),
    "km": ("kilometre", "kilometres"),
    "ms": ("millisecond", "milliseconds"),
}
"""Unit abbreviations after a number, with the words spoken for one and for many."""

_NUMBER = r"(?<![\w.])([-+]?\d+(?:[.,]\d+)?)"
_UNIT = re.compile(
    _NUMBER + r"\s?(" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + r")(?![\w])",
    re.IGNORECASE,
)
_PER = re.compile(  # "717 kcal/100 g" -> "717 kcal per 100 g" (never "1/2")
    r"(?<=[a-z])\s?/\s?(?=\d)", re.IGNORECASE
)
_PERCENT = re.compile(_NUMBER + r"\s?%")


def _unit(match: re.Match[str]) -> str:
    number, unit = match.group(1), match.group(2)
    one, many = UNIT_WORDS[unit.lower()]
    plain = number.lstrip("+-")
    return f"{number} {one if plain in ('1', '1.0') else many}"


def speakable(text: str) -> str:
    """``text`` with unit abbreviations after numbers spelled out, and ``%`` as "percent".

    Args:
        text: A sentence written for reading.

    Returns:
        The same sentence for a speech synthesiser; the numbers are unchanged.
    """
    if not any(ch.isdigit() for ch in text):
        return text
    text = _PER.sub(" per ", text)
    text = _UNIT.sub(_unit, text)
    return _PERCENT.sub(r"\1 percent", text)
