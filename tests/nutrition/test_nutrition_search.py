"""Food search: generic foods first, plurals and typos tolerated, lazy loading."""

from __future__ import annotations

import pytest

from voicelive.exceptions import NutritionError
from voicelive.nutrition import SLOT_VALUES, FoodDatabase, FoodMatch, search_foods
from voicelive.nutrition.text import TypoIndex, damerau_distance, stem, tokens


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("banana", "Bananas, raw"),
        ("rice", "Rice, white, long-grain, regular, enriched, cooked"),
        ("chicken breast", "Chicken, broilers or fryers, breast, meat only, cooked, roasted"),
        ("egg", "Egg, whole, raw, fresh"),
        ("cola", "Beverages, carbonated, cola, regular"),
        ("salmon", "Fish, salmon, Atlantic, farmed, cooked, dry heat"),
        ("strawberries", "Strawberries, raw"),
        ("kale", "Kale, raw"),
        ("cheddar cheese", "Cheese, cheddar"),
        ("greek yogurt", "Yogurt, Greek, plain, nonfat"),
    ],
)
def test_generic_food_ranks_first(query: str, expected: str) -> None:
    assert search_foods(query, limit=1)[0].name == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bananas", "Bananas, raw"),  # plural
        ("chicken breasts", "Chicken, broilers or fryers, breast, meat only, cooked, roasted"),
        ("bananna", "Bananas, raw"),  # inserted letter
        ("brocoli", "Broccoli"),  # missing letter
        ("chiken brest", "Chicken, broilers or fryers, breast, meat only, cooked, roasted"),
        ("salmom", "Fish, salmon"),  # substituted letter
        ("strawbery", "Strawberries"),
        ("brazil nuts", "Nuts, brazilnuts"),  # compound written as one word by USDA
    ],
)
def test_plurals_and_misspellings(query: str, expected: str) -> None:
    assert search_foods(query, limit=1)[0].name.startswith(expected)


def test_generic_beats_baby_food_brand_and_fast_food() -> None:
    names = [m.name for m in search_foods("banana", limit=5)]
    assert names[0] == "Bananas, raw"
    assert not any(n.startswith("Babyfood") for n in names[:3])
    pizza = search_foods("pizza", limit=1)[0]
    assert "PIZZA HUT" not in pizza.name and "DOMINO" not in pizza.name


def test_match_carries_per_100g_values() -> None:
    banana = search_foods("banana", limit=1)[0]
    assert isinstance(banana, FoodMatch)
    assert banana.ndb_no == "09040"
    # Straight from foods.csv: 09040,"Bananas, raw",...,89,1.09,22.84,0.33
    assert (banana.kcal, banana.protein_g, banana.carbs_g, banana.fat_g) == (89, 1.09, 22.84, 0.33)
    assert banana.per_100g.kcal == 89


def test_limit_and_nothing_found() -> None:
    assert len(search_foods("cheese", limit=7)) == 7
    assert search_foods("cheese", limit=0) == []
    assert search_foods("xqzvw") == []
    assert search_foods("   ") == []
    assert search_foods("the of a") == []


def test_ndb_numbers_keep_leading_zeros_and_unknown_raise() -> None:
    db = FoodDatabase()
    assert db.get("01001").name == "Butter, salted"
    with pytest.raises(NutritionError):
        db.get("99999")
    with pytest.raises(NutritionError, match="could not find"):
        db.best("xqzvw")


def test_database_loads_lazily_and_once() -> None:
    db = FoodDatabase()
    assert not db.loaded
    db.search("apple")
    assert db.loaded
    assert len(db) == 8789  # SR28 FOOD_DES row count
    db.load()  # a second load is a no-op
    assert len(db) == 8789


def test_every_slot_food_word_is_found() -> None:
    db = FoodDatabase()
    missing = [w for w in SLOT_VALUES["food"] if not db.search(w, limit=1)]
    assert missing == []
    assert len(SLOT_VALUES["food"]) >= 300


def test_text_helpers() -> None:
    assert [stem(w) for w in ["berries", "tomatoes", "eggs", "peaches", "glass", "hummus"]] == [
        "berry", "tomato", "egg", "peach", "glass", "hummus"
    ]
    assert tokens("Chicken, broilers or fryers") == ["chicken", "broiler", "or", "fryer"]
    assert damerau_distance("chiken", "chicken") == 1
    assert damerau_distance("teh", "the") == 1  # adjacent swap counts once
    assert damerau_distance("banana", "apple") == 3  # capped at limit + 1
    index = TypoIndex({"breast": 50, "best": 2, "rice": 10})
    assert index.near("brest")[0] == ("breast", 1)  # more common word wins a tie
    assert index.near("rice") == [("rice", 0)]
    assert index.near("ric") == []  # words of three letters are not corrected
