"""The profile: DESIGN.md's defaults, and one clear line per problem for bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backstride.errors import InputError
from backstride.inputs.profile import load_profile, next_monday, parse_profile
from tests.conftest import DATA, EXAMPLES, make_profile


def test_defaults_follow_the_design() -> None:
    profile = parse_profile({"name": "Ana López", "current_weekly": 25, "goal_weekly": 40}, "p")
    assert profile.id == "ana-lopez"
    assert profile.units == "km"
    assert profile.weeks == 8
    assert profile.run_days == ["tue", "thu", "sat", "sun"]
    assert profile.long_run_day == "sun"
    assert profile.rest_days == []
    assert profile.min_rest_days == 2
    assert profile.max_minutes == {"default": 60, "sun": 120}
    assert profile.equipment == []
    assert profile.cross_training == ["walk"]
    assert profile.experience == "novice"
    assert profile.back.pain == 0 and profile.back.worse_with == "none"
    assert profile.start == next_monday(dt.date.today())
    assert profile.longest_recent_run_km == pytest.approx(7.5)


def test_next_monday_is_never_today() -> None:
    monday = dt.date(2026, 12, 7)
    assert next_monday(monday) == dt.date(2026, 12, 14)
    assert next_monday(dt.date(2026, 12, 6)) == monday


def test_a_default_only_time_budget_is_not_stretched_on_the_long_run_day() -> None:
    profile = make_profile(max_minutes={"default": 45})
    assert profile.minutes_on(profile.long_run_day or "") == 45


def test_miles_convert_to_km() -> None:
    profile = make_profile(units="mi", current_weekly=10, goal_weekly=20)
    assert profile.current_weekly_km == pytest.approx(16.09344)


def test_weekday_spellings_are_accepted() -> None:
    profile = make_profile(run_days=["Monday", "WED", "fri"], long_run_day="Friday")
    assert profile.run_days == ["mon", "wed", "fri"]
    assert profile.long_run_day == "fri"


def test_examples_load() -> None:
    for path in EXAMPLES.glob("*.yaml"):
        load_profile(path)


BAD_CASES = {
    "broken_yaml.yaml": ["not valid YAML"],
    "broken_json.json": ["not valid JSON"],
    "empty.yaml": ["the file is empty"],
    "wrong_type.yaml": ["current_weekly"],
    "impossible_date.yaml": ["start"],
    "unknown_weekday.yaml": ["run_days", "funday"],
    "pain_11.yaml": ["back.pain", "less than or equal to 10"],
    "unknown_red_flag.yaml": ["back.red_flags", "unknown red flag 'headache'"],
    "missing_name.yaml": ["name: is required"],
    "run_and_rest_same_day.yaml": ["rest_days: sat is also in run_days"],
    "not_a_mapping.yaml": ["must be a mapping"],
    "typo_field.yaml": ["goal_weekley", "not a known field"],
}


@pytest.mark.parametrize(("filename", "expected"), sorted(BAD_CASES.items()))
def test_bad_profiles_name_file_and_field(filename: str, expected: list[str]) -> None:
    path = DATA / "bad_profiles" / filename
    with pytest.raises(InputError) as caught:
        load_profile(path)
    text = "\n".join(caught.value.problems)
    assert str(path) in text
    for fragment in expected:
        assert fragment in text


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        load_profile(DATA / "bad_profiles" / "many_problems.yaml")
    problems = caught.value.problems
    assert len(problems) >= 4
    assert any("back.pain" in p for p in problems)
    assert any("weeks" in p for p in problems)
    assert any("run_days" in p for p in problems)
    assert any("goal_weekly" in p for p in problems)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_profile(tmp_path / "nobody.yaml")


def test_checks_across_fields_are_reported_with_field_errors_in_field_order() -> None:
    data = {"name": "A", "current_weekly": 25, "goal_weekly": 3, "run_days": ["tue", "sat"],
            "rest_days": ["sat"], "long_run_day": "mon", "back": {"pain": 12}}
    with pytest.raises(InputError) as caught:
        parse_profile(data, "p.yaml")
    fields = [problem.split(": ")[1] for problem in caught.value.problems]
    assert fields == ["goal_weekly", "long_run_day", "rest_days", "back.pain"]
    assert "p.yaml: goal_weekly: 3 is under 5 km (3.1 mi) a week" in caught.value.problems[0]


def test_a_cross_field_rule_waits_for_the_field_it_reads() -> None:
    # run_days is wrong, so whether long_run_day is one of them cannot be told: one problem.
    data = {"name": "A", "current_weekly": 25, "goal_weekly": 30, "run_days": ["someday"],
            "long_run_day": "mon"}
    with pytest.raises(InputError) as caught:
        parse_profile(data, "p.yaml")
    assert [problem.split(": ")[1] for problem in caught.value.problems] == ["run_days"]


def test_miles_are_held_to_the_weekly_limits_in_km() -> None:
    with pytest.raises(InputError, match="goal_weekly: 200 is over 250 km a week"):
        make_profile(units="mi", goal_weekly=200)
    assert make_profile(units="mi", current_weekly=4, goal_weekly=10).current_weekly == 4
