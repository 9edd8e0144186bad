"""Spoken amounts resolved to grams with the USDA portion table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicelive.exceptions import NutritionError
from voicelive.nutrition import FoodDatabase
from voicelive.nutrition.amounts import MAX_GRAMS, parse_quantity, resolve_amount, split_amount
from voicelive.nutrition.foods import default_database

DB: FoodDatabase = default_database()


def grams_of(phrase: str) -> float:
    amount, food = split_amount(phrase)
    return resolve_amount(amount, DB.best(food), DB).grams


@pytest.mark.parametrize(
    ("phrase", "expected_g"),
    [
        ("two eggs", 2 * 50),  # portions.csv 01123: 1 large = 50 g (USDA lists "large" first)
        ("a large egg", 50),
        ("1 cup of rice", 158),  # 20045: 1 cup = 158 g
        ("150 grams of chicken", 150),
        ("half a banana", 0.5 * 118),  # 09040: 1 medium (7" to 7-7/8" long) = 118 g
        ("3 oz salmon", 3 * 28.349523125),  # 1 oz = 28.349523125 g
        ("a can of cola", 370),  # 14148: 1 can or bottle (12 fl oz) = 370 g
        ("two slices of bread", 2 * 29),  # 18069: 1 slice = 29 g
        ("one and a half cups of milk", 1.5 * 244),  # 01077: 1 cup = 244 g
        ("2 tbsp peanut butter", 32),  # 16098: 2 tbsp = 32 g
        ("a medium apple", 182),  # 09003: 1 medium (3" dia) = 182 g
        ("half a dozen eggs", 6 * 50),
        ("1.5 kg of potatoes", 1500),
        ("1/2 cup rice", 79),
        ("500 ml of milk", 500 * 244 / 236.5882365),  # density from the cup: 244 g / 236.6 ml
    ],
)
def test_examples_from_the_issue(phrase: str, expected_g: float) -> None:
    assert grams_of(phrase) == pytest.approx(expected_g, rel=1e-6)


def test_slice_of_pizza_uses_typical_slice_of_similar_foods() -> None:
    # The generic pizza (21224) lists no slice, so the median slice of the other "Pizza, ..."
    # foods is used and the assumption is stated.
    pizza = DB.best("pizza")
    assert pizza.ndb_no == "21224"
    result = resolve_amount("a slice", pizza, DB)
    assert 60 < result.grams < 160
    assert result.assumption is not None and "slice" in result.assumption


def test_missing_amount_uses_stated_default_serving() -> None:
    banana = DB.best("banana")
    result = resolve_amount("", banana, DB)
    assert result.grams == 126  # 09040: NLEA serving = 126 g
    assert result.assumption is not None and "126 g" in result.assumption
    # Energy-dense food without an NLEA serving: a spoon (butter, 717 kcal/100 g: 1 tbsp)
    butter = resolve_amount("", DB.get("01001"), DB)
    assert butter.grams == 14.2 and "1 tbsp" in (butter.assumption or "")
    # USDA's ounce measure as stated: 15237 salmon "3 oz = 85 g", 12061 almonds "1 oz = 28.35 g"
    assert resolve_amount("", DB.get("15237"), DB).grams == 85
    assert resolve_amount("", DB.get("12061"), DB).grams == 28.35
    # A drink with a can: the can (14148 cola: 370 g)
    assert resolve_amount("", DB.get("14148"), DB).grams == 370
    # No portions at all (23573 ground beef patty): 100 g, said so.
    no_portions = resolve_amount("", DB.get("23573"), DB)
    assert no_portions.grams == 100 and "100 g" in (no_portions.assumption or "")


def test_glass_is_a_cup_and_says_so() -> None:
    result = resolve_amount("a glass", DB.best("orange juice"), DB)
    assert result.grams == 248  # 09206: 1 cup = 248 g
    assert result.assumption is not None and "237 ml" in result.assumption


def test_not_understood_amount_says_what_was_assumed() -> None:
    result = resolve_amount("loads and loads", DB.best("banana"), DB)
    assert result.grams > 0
    assert result.assumption is not None and "did not understand" in result.assumption


@pytest.mark.parametrize("amount", ["0", "0 g", "-2 cups", "minus 3", "10 kg", "40 cups"])
def test_absurd_amounts_are_refused(amount: str) -> None:
    with pytest.raises(NutritionError):
        resolve_amount(amount, DB.best("rice"), DB)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("two", (2.0, 1)),
        ("a", (1.0, 1)),
        ("half a", (0.5, 2)),
        ("a quarter of a", (0.25, 4)),
        ("one and a half", (1.5, 4)),
        ("1 1/2", (1.5, 2)),
        ("twenty five", (25.0, 2)),
        ("a dozen", (12.0, 2)),
        ("a couple of", (2.0, 2)),
        ("cup", (None, 0)),
    ],
)
def test_parse_quantity(words: str, expected: tuple[float | None, int]) -> None:
    assert parse_quantity(words.split()) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("two eggs", ("two", "eggs")),
        ("a large egg", ("a large", "egg")),
        ("1 cup of rice", ("1 cup of", "rice")),
        ("3 oz salmon", ("3 oz", "salmon")),
        ("150g chicken", ("150 g", "chicken")),
        ("banana", ("", "banana")),
    ],
)
def test_split_amount(phrase: str, expected: tuple[str, str]) -> None:
    assert split_amount(phrase) == expected


_FOODS = [DB.best(q) for q in ["egg", "banana", "rice", "milk", "pizza", "cola", "salmon",
                                "bread", "apple", "peanut butter", "broccoli", "cheese"]]
_QUANTITIES = ["", "a", "an", "one", "two", "3", "half a", "1/2", "1 1/2", "0.25", "a couple of",
               "one and a half", "twelve"]
_UNITS = ["", "g", "grams", "kg", "oz", "ounces", "lb", "cup", "cups", "tbsp", "tsp", "ml",
          "fl oz", "glass", "slice", "can", "piece", "large", "medium", "small", "serving",
          "handful", "bowl", "bar", "fillet", "stick"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_QUANTITIES), st.sampled_from(_UNITS), st.sampled_from(_FOODS))
def test_amounts_parse_to_positive_grams(quantity: str, unit: str, food: object) -> None:
    from voicelive.nutrition.models import FoodMatch

    assert isinstance(food, FoodMatch)
    try:
        result = resolve_amount(f"{quantity} {unit}".strip(), food, DB)
    except NutritionError as exc:
        assert "more than" in str(exc)  # only the size limit may refuse these amounts
        return
    assert 0 < result.grams <= MAX_GRAMS
    assert result.quantity > 0
