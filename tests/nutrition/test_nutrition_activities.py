"""Compendium matching and the MET energy formula."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicelive.exceptions import NutritionError
from voicelive.nutrition import NutritionService
from voicelive.nutrition.activities import COMMON, ActivityTable, burned_kcal, default_activities


@pytest.mark.parametrize(
    ("said", "code", "met"),
    [
        ("running", "12050", 9.8),  # running, 6 mph (10 min/mile)
        ("ran", "12050", 9.8),
        ("runing", "12050", 9.8),  # misspelt
        ("cycling", "01015", 7.5),  # bicycling, general
        ("a bike ride", "01015", 7.5),
        ("yoga", "02150", 2.5),  # yoga, Hatha
        ("swimming", "18310", 6.0),  # swimming, leisurely, not lap swimming, general
        ("swimming laps", "18240", 5.8),
        ("walking", "17190", 3.5),  # walking, 2.8 to 3.2 mph, level, moderate pace
        ("Tennis", "15675", 7.3),
        ("mowing the lawn", "08095", 5.5),  # not in the common list: found by words
        ("table tennis", "15660", 4.0),
    ],
)
def test_everyday_words_match_sensible_entries(said: str, code: str, met: float) -> None:
    activity = default_activities().match(said)
    assert (activity.code, activity.met) == (code, met)


def test_every_common_word_points_at_a_real_code() -> None:
    table = ActivityTable()
    assert all(table.get(code).met > 0 for code in COMMON.values())
    with pytest.raises(NutritionError):
        table.get("00000")
    with pytest.raises(NutritionError, match="don't know"):
        table.match("xqzvw")


def test_burn_formula() -> None:
    # kcal = MET x kg x hours: 8 x 75 x 1.5 = 900
    assert burned_kcal(8.0, 75.0, 90.0) == pytest.approx(900.0)
    assert burned_kcal(1.0, 1.0, 60.0) == pytest.approx(1.0)  # 1 MET = 1 kcal/kg/h


@settings(max_examples=200, deadline=None)
@given(st.floats(0.5, 25), st.floats(20, 250), st.floats(1, 600), st.floats(0.1, 5))
def test_burn_is_linear_in_minutes_and_weight(
    met: float, kg: float, minutes: float, factor: float
) -> None:
    base = burned_kcal(met, kg, minutes)
    assert burned_kcal(met, kg, minutes * factor) == pytest.approx(base * factor)
    assert burned_kcal(met, kg * factor, minutes) == pytest.approx(base * factor)
    assert base > 0


def test_logged_burn_is_linear_through_the_service(tmp_path: Path) -> None:
    service = NutritionService(tmp_path / "n.sqlite3", today=lambda: date(2026, 3, 1))
    one = service.log_activity("a", "cycling", 20, 60).kcal  # 7.5 x 60 x 1/3 = 150
    double_time = service.log_activity("b", "cycling", 40, 60).kcal
    double_mass = service.log_activity("c", "cycling", 20, 120).kcal
    assert one == 150
    assert double_time == double_mass == 300
    with pytest.raises(NutritionError):
        service.log_activity("a", "cycling", -5, 60)
    with pytest.raises(NutritionError):
        service.log_activity("a", "cycling", float("nan"), 60)
