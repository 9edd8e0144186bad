"""The day-plan arithmetic: sharing, redistribution, compensation and swaps."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from voicelive.exceptions import NutritionError
from voicelive.nutrition import Macros, MealPlan
from voicelive.nutrition.foods import default_database
from voicelive.nutrition.models import MACRO_FIELDS
from voicelive.nutrition.plan import (
    DEFAULT_TARGETS,
    MEALS,
    compensate,
    find_meal,
    main_component,
    match_grams,
    new_day,
    plan_meals,
    redistribute,
    round_grams,
    share,
)


def by_name(meals: list[MealPlan]) -> dict[str, MealPlan]:
    return {m.name: m for m in meals}


def test_default_plan_splits_targets_25_35_30_10() -> None:
    meals = by_name(plan_meals(DEFAULT_TARGETS))
    # 2000 kcal x 0.25 / 0.35 / 0.30 / 0.10
    assert [meals[n].planned.kcal for n in MEALS] == pytest.approx([500, 700, 600, 200])
    # 100 g protein x 0.25 = 25 g; 250 g carbs x 0.35 = 87.5 g; 67 g fat x 0.30 = 20.1 g
    assert meals["breakfast"].planned.protein_g == pytest.approx(25)
    assert meals["lunch"].planned.carbs_g == pytest.approx(87.5)
    assert meals["dinner"].planned.fat_g == pytest.approx(20.1)


def test_share_fills_in_proportion_and_spills_over_full_slots() -> None:
    # 90 over weights 1:2 -> 30 and 60, both fit.
    parts, left = share(90, [1, 2], [100, 100])
    assert parts == pytest.approx([30, 60]) and left == 0
    # 90 over weights 1:2 but the second can take only 40: it is filled, 50 goes to the first.
    parts, left = share(90, [1, 2], [100, 40])
    assert parts == pytest.approx([50, 40]) and left == 0
    # Not enough room anywhere: 10 + 20 taken, 60 left over.
    parts, left = share(90, [1, 2], [10, 20])
    assert parts == pytest.approx([10, 20]) and left == pytest.approx(60)
    # All weights zero: equal shares.
    assert share(10, [0, 0], [100, 100])[0] == pytest.approx([5, 5])


def test_missed_breakfast_goes_to_the_other_meals_by_size() -> None:
    meals, moved, left = redistribute(plan_meals(DEFAULT_TARGETS), "breakfast")
    after = by_name(meals)
    assert moved.kcal == pytest.approx(500)
    # 500 kcal over lunch 700 : dinner 600 : snacks 200 (sum 1500)
    assert after["lunch"].planned.kcal == pytest.approx(700 + 500 * 700 / 1500)  # 933.33
    assert after["dinner"].planned.kcal == pytest.approx(600 + 500 * 600 / 1500)  # 800
    assert after["snacks"].planned.kcal == pytest.approx(200 + 500 * 200 / 1500)  # 266.67
    # 25 g protein over 35 : 30 : 10 (sum 75) -> lunch 35 + 11.67
    assert after["lunch"].planned.protein_g == pytest.approx(35 + 25 * 35 / 75)
    assert after["breakfast"].status == "missed"
    assert after["breakfast"].planned == Macros()
    assert left == Macros()


def test_cap_limits_a_meal_and_keeps_the_rest_as_leftover() -> None:
    meals, _, _ = redistribute(plan_meals(DEFAULT_TARGETS), "breakfast")
    meals, moved, left = redistribute(meals, "lunch")
    after = by_name(meals)
    # Lunch held 933.33 kcal. Caps: dinner 1.5 x 600 = 900 (room 100), snacks 1.5 x 200 = 300
    # (room 33.33). Both fill up; 933.33 - 100 - 33.33 = 800 kcal are left over.
    assert after["dinner"].planned.kcal == pytest.approx(900)
    assert after["snacks"].planned.kcal == pytest.approx(300)
    assert left.kcal == pytest.approx(800)
    assert moved.kcal == pytest.approx(2800 / 3)


def test_nothing_left_to_move_to() -> None:
    meals = plan_meals(DEFAULT_TARGETS)
    meals = [m.model_copy(update={"status": "eaten"}) if m.name != "snacks" else m for m in meals]
    out, moved, left = redistribute(meals, "snacks")
    assert moved.kcal == pytest.approx(200)
    assert left.kcal == pytest.approx(200)  # nobody can take it
    assert by_name(out)["snacks"].status == "missed"


def test_compensation_takes_from_buffer_then_meals_never_below_zero() -> None:
    meals = plan_meals(DEFAULT_TARGETS)
    # Two eggs (100 g): 143 kcal, 12.56 g protein, 0.72 g carbs, 9.51 g fat.
    eggs = Macros(kcal=143, protein_g=12.56, carbs_g=0.72, fat_g=9.51)
    out, buffer, over = compensate(meals, Macros(), eggs)
    after = by_name(out)
    # 143 kcal over 500 : 700 : 600 : 200 -> breakfast loses 143 x 0.25 = 35.75
    assert after["breakfast"].planned.kcal == pytest.approx(500 - 35.75)
    assert after["lunch"].planned.kcal == pytest.approx(700 - 50.05)
    assert after["snacks"].planned.protein_g == pytest.approx(10 - 1.256)
    assert over == Macros() and buffer == Macros()
    # With a 343 kcal activity buffer, the energy comes out of the buffer only.
    out, buffer, over = compensate(meals, Macros(kcal=343), eggs)
    assert buffer.kcal == pytest.approx(200)
    assert by_name(out)["lunch"].planned.kcal == pytest.approx(700)
    assert by_name(out)["lunch"].planned.protein_g == pytest.approx(35 - 12.56 * 0.35)
    # More than the day holds: meals go to zero and the rest is reported as over.
    out, _, over = compensate(meals, Macros(), Macros(kcal=7170, fat_g=811.1))
    assert all(m.planned.kcal == 0 and m.planned.fat_g == 0 for m in out)
    assert over.kcal == pytest.approx(7170 - 2000)
    assert over.fat_g == pytest.approx(811.1 - 67)


def test_find_meal_understands_aliases_and_rejects_others() -> None:
    day = new_day("u", "2026-01-01")
    assert find_meal(day, "Snack").name == "snacks"
    assert find_meal(day, "my supper").name == "dinner"
    with pytest.raises(NutritionError, match="not one of the day's meals"):
        find_meal(day, "elevenses")


def test_swap_rice_for_quinoa_matches_carbs() -> None:
    db = default_database()
    rice, quinoa = db.get("20045"), db.get("20137")
    # Rice: 130 kcal, 2.69 P, 28.17 C, 0.28 F per 100 g -> carbs bring most energy.
    assert main_component(rice) == "carbs_g"
    grams, component = match_grams(rice, 158, quinoa)
    # 158 g x 28.17 / 21.3 = 208.96 g of quinoa
    assert component == "carbs_g"
    assert grams == pytest.approx(158 * 28.17 / 21.3)
    assert round_grams(grams) == 209.0


def test_swap_matches_energy_when_replacement_is_no_source_of_the_macro() -> None:
    db = default_database()
    yogurt, banana, tofu, chicken = (db.get(n) for n in ("01116", "09040", "16427", "05064"))
    # Whole-milk yogurt: fat 3.25 x 9 = 29.3 kcal beats carbs 4.66 x 4 and protein 3.47 x 4.
    assert main_component(yogurt) == "fat_g"
    # Banana gets 0.33 x 9 / (1.09 x 4 + 22.84 x 4 + 0.33 x 9) = 3 % of its energy from fat,
    # under the 25 % needed, so energy is matched: 170 g x 61 / 89 = 116.5 g.
    grams, component = match_grams(yogurt, 170, banana)
    assert component == "kcal"
    assert round_grams(grams) == 116.5
    # Tofu gets 8.08 x 4 / (32.3 + 7.5 + 43.0) = 39 % from protein: chicken's protein is matched.
    assert match_grams(chicken, 150, tofu)[1] == "protein_g"


def test_swap_falls_back_to_kcal_and_refuses_zero_energy() -> None:
    db = default_database()
    chicken, cola, water = db.get("05064"), db.get("14148"), db.best("tap water")
    # Cola has no protein, so chicken's protein cannot be matched: energy is matched instead.
    grams, component = match_grams(chicken, 100, cola)
    assert component == "kcal"
    assert grams == pytest.approx(100 * 165 / 42)
    with pytest.raises(NutritionError):
        match_grams(chicken, 100, water)


_targets = st.builds(
    Macros,
    kcal=st.floats(1000, 5000),
    protein_g=st.floats(20, 300),
    carbs_g=st.floats(0, 600),
    fat_g=st.floats(0, 200),
)
_statuses = st.lists(st.sampled_from(["planned", "eaten", "missed"]), min_size=4, max_size=4)


@settings(max_examples=200, deadline=None)
@given(_targets, _statuses, st.sampled_from(MEALS), st.floats(1.0, 3.0))
def test_redistribution_preserves_totals_and_never_goes_negative(
    targets: Macros, statuses: list[str], missed: str, cap: float
) -> None:
    meals = [
        m.model_copy(update={"status": s}) if m.name != missed else m
        for m, s in zip(plan_meals(targets), statuses, strict=True)
    ]
    before = Macros.total([m.planned for m in meals])
    out, moved, left = redistribute(meals, missed, cap)
    after = Macros.total([m.planned for m in out])
    for field in MACRO_FIELDS:
        tolerance = 1.0 if field == "kcal" else 0.5
        assert after.get(field) + left.get(field) == pytest.approx(before.get(field), abs=tolerance)
        assert left.get(field) >= 0
    for old, new in zip(meals, out, strict=True):
        for field in MACRO_FIELDS:
            assert new.planned.get(field) >= 0
            if new.status == "planned":
                assert new.planned.get(field) <= cap * old.base.get(field) + 1e-6
                assert new.planned.get(field) >= old.planned.get(field) - 1e-9
    assert moved == by_name(meals)[missed].planned


@settings(max_examples=200, deadline=None)
@given(_targets, st.builds(Macros, kcal=st.floats(0, 6000), protein_g=st.floats(0, 300),
                           carbs_g=st.floats(0, 600), fat_g=st.floats(0, 300)),
       st.floats(0, 800))
def test_compensation_conserves_and_never_goes_negative(
    targets: Macros, extra: Macros, buffer_kcal: float
) -> None:
    meals = plan_meals(targets)
    buffer = Macros(kcal=buffer_kcal)
    out, new_buffer, over = compensate(meals, buffer, extra)
    for field in MACRO_FIELDS:
        taken = sum(m.planned.get(field) - n.planned.get(field)
                    for m, n in zip(meals, out, strict=True))
        from_buffer = buffer.get(field) - new_buffer.get(field)
        assert taken + from_buffer + over.get(field) == pytest.approx(extra.get(field), abs=1e-6)
        assert all(n.planned.get(field) >= 0 for n in out)
        assert new_buffer.get(field) >= 0 and over.get(field) >= 0


_FOOD_IDS = [
    "20045", "20137", "05064", "16427", "01123", "09040", "14148", "15237", "01001", "18069",
    "11090", "16098", "01077", "09003", "12061", "20121", "11674", "19120", "01026", "08121",
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_FOOD_IDS), st.sampled_from(_FOOD_IDS), st.floats(1, 500))
def test_substitution_matches_target_within_one_percent(
    original_id: str, replacement_id: str, grams: float
) -> None:
    assume(original_id != replacement_id)
    db = default_database()
    original, replacement = db.get(original_id), db.get(replacement_id)
    try:
        needed, component = match_grams(original, grams, replacement)
    except NutritionError:
        return
    rounded = round_grams(needed)
    target = original.per_100g.get(component) * grams / 100
    got = replacement.per_100g.get(component) * rounded / 100
    assert got == pytest.approx(target, rel=0.01)
