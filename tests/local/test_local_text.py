"""Spoken numbers, reply rendering and sentence splitting (no models)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicelive.backends.local.numbers import normalize_numbers, parse_number
from voicelive.backends.local.reply import render_error, render_result
from voicelive.backends.local.tts import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I ran for forty five minutes", "i ran for 45 minutes"),
        ("forty-five", "45"),
        ("a hundred and fifty grams", "150 grams"),
        ("two thousand and twenty", "2020"),
        ("half an hour of yoga", "30 minutes of yoga"),
        ("an hour and a half", "90 minutes"),
        ("I had one banana and two eggs", "i had 1 banana and 2 eggs"),
        ("Thirty minutes.", "30 minutes."),
        ("swap rice for quinoa", "swap rice for quinoa"),
        ("I weigh 72.5 kilos", "i weigh 72.5 kilos"),
    ],
)
def test_normalize_numbers(text: str, expected: str) -> None:
    assert normalize_numbers(text) == expected


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def say(n: int) -> str:
    """A spelling of 0..999 written independently of the parser."""
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        words.append(_TENS[n // 10])
        if n % 10:
            words.append(_ONES[n % 10])
    elif n >= 10:
        words.append(_TEENS[n - 10])
    elif n or not words:
        words.append(_ONES[n])
    return " ".join(words)


@given(st.integers(min_value=0, max_value=999))
def test_every_number_below_a_thousand_round_trips(n: int) -> None:
    assert normalize_numbers(f"for {say(n)} minutes") == f"for {n} minutes"
    assert parse_number(say(n).split()) == n


def test_render_result_prefers_summary() -> None:
    response = {"output": {"summary": "Logged 30 minutes of running, 300 calories.", "kcal": 300}}
    assert render_result("log activity", response) == "Logged 30 minutes of running, 300 calories."


def test_render_result_without_summary_is_readable() -> None:
    text = render_result("lookup food", {"output": {"food": "banana", "kcal": 105.0,
                                                    "protein_g": 1.29}})
    assert text == "Food: banana; kcal: 105; protein g: 1.3."


def test_render_result_plain_values() -> None:
    assert render_result("x", {"output": ["a", "b", "c"]}) == "a, b and c."
    assert render_result("count things", {"output": None}) == "Done: count things."


def test_render_error_is_a_helpful_sentence() -> None:
    text = render_result("x", {"error": {"type": "ToolExecutionError",
                                         "message": "unknown food 'blorp'"}})
    assert text == "Sorry, I couldn't do that: unknown food 'blorp'."
    assert "too long" in render_error({"type": "ToolTimeoutError", "message": "5 s"})
    assert render_error({}).startswith("Sorry, something went wrong")


def test_split_sentences_cuts_a_short_first_piece_before_a_phrase() -> None:
    text = ("Logged 30 minutes of running at 70 kilograms, about 350 calories burned. "
            "You have 900 calories left today.")
    assert split_sentences(text) == [
        "Logged 30 minutes",
        "of running at 70 kilograms, about 350 calories burned.",
        "You have 900 calories left today.",
    ]
    assert split_sentences("Done.") == ["Done."]
    assert split_sentences("   ") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cycled for an hour and a quarter", "cycled for 75 minutes"),
        ("an hour and three quarters of hiking", "105 minutes of hiking"),
        ("three hours and a half on my feet", "210 minutes on my feet"),
        ("one and a quarter hours", "75 minutes"),
        ("drank a litre and a half", "drank 1.5 litre"),
        ("aim for one and a half thousand calories", "aim for 1500 calories"),
        ("three and a quarter thousand steps", "3250 steps"),
        ("about 2.5 thousand calories", "about 2500 calories"),
        ("half a dozen prawns", "6 prawns"),
        ("three dozen grapes", "36 grapes"),
        ("seven and a half", "7.5"),
        ("two hours", "2 hours"),
    ],
)
def test_spoken_fractions_durations_and_scales(text: str, expected: str) -> None:
    assert normalize_numbers(text) == expected


@given(st.integers(min_value=1, max_value=12),
       st.sampled_from([("a quarter", 15), ("a half", 30), ("three quarters", 45)]))
def test_hours_and_a_fraction_are_minutes(hours: int, fraction: tuple[str, int]) -> None:
    words, minutes = fraction
    expected = f"{hours * 60 + minutes} minutes"
    assert normalize_numbers(f"{say(hours)} hours and {words}") == expected
    assert normalize_numbers(f"{say(hours)} and {words} hours") == expected


@given(st.integers(min_value=1, max_value=99),
       st.sampled_from([("a quarter", 250), ("a half", 500), ("three quarters", 750)]))
def test_a_fraction_before_thousand_scales_with_the_number(n: int,
                                                          fraction: tuple[str, int]) -> None:
    words, extra = fraction
    assert normalize_numbers(f"{say(n)} and {words} thousand") == str(n * 1000 + extra)
