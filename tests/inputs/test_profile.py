"""The profile: DESIGN.md's defaults, and one clear line per problem for bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backstride.errors import InputError
from backstride.inputs.profile import (
    filled_template,
    load_profile,
    next_monday,
    parse_profile,
    past_start_notes,
    profile_template,
)
from backstride.inputs.yamlio import parse_yaml_text
from tests.conftest import BASE_PROFILE, DATA, EXAMPLES, make_profile

SUNDAY = dt.date(2026, 12, 6)


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
    "typo_field.yaml": ["goal_weekley: is not a known field; did you mean `goal_weekly`?"],
    "easy_pace_zero.yaml": ["easy_pace: 0:00 per km is outside 3:00-12:00 per km"],
    "easy_pace_99.yaml": ["easy_pace: 99:00 per km is outside 3:00-12:00 per km"],
    "easy_pace_words.yaml": ["easy_pace: 'fast' is not a time", "minutes:seconds"],
    "race_slower_than_walking.yaml": ["recent_race: 5 km in 1:10:00 is 14:00 per km",
                                      "2:30-10:00 per km (slower is walking)"],
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


def test_a_start_in_the_past_is_read_with_a_warning_naming_the_date_and_how_long_ago() -> None:
    profile = parse_profile({**BASE_PROFILE, "start": "2026-11-23"}, "p.yaml", today=SUNDAY)
    assert profile.start == dt.date(2026, 11, 23)
    [warning] = past_start_notes(profile, SUNDAY)
    assert warning.startswith("start 2026-11-23 was 13 days ago: the plan begins in the past")
    assert past_start_notes(profile, dt.date(2026, 11, 23)) == []


@pytest.mark.parametrize(("start", "ago"), [("2025-11-30", "about 12 months"),
                                            ("2020-12-07", "about 6 years")])
def test_a_start_more_than_a_year_back_is_refused_as_a_likely_typo(start: str, ago: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_profile({**BASE_PROFILE, "start": start}, "p.yaml", today=SUNDAY)
    assert caught.value.problems == [
        f"p.yaml: start: {start} is {ago} ago (today is 2026-12-06); more than a year back "
        "is most likely a typo in the year"
    ]


def test_without_a_start_the_plan_begins_the_monday_after_the_day_it_is_read() -> None:
    data = {key: value for key, value in BASE_PROFILE.items() if key != "start"}
    assert parse_profile(data, "p.yaml", today=SUNDAY).start == dt.date(2026, 12, 7)


@pytest.mark.parametrize(("written", "unit"), [("miles", "mi"), ("Mile", "mi"),
                                               ("kilometres", "km"), ("Kilometers", "km")])
def test_units_may_be_spelled_out(written: str, unit: str) -> None:
    assert make_profile(units=written).units == unit


@pytest.mark.parametrize(("distance", "advice"), [
    ("25 miles", "write the number alone (25) and give the unit once, as `units: mi`"),
    ("40km", "write the number alone (40) and give the unit once, as `units: km`"),
])
def test_a_distance_written_with_its_unit_says_to_use_units(distance: str, advice: str) -> None:
    with pytest.raises(InputError) as caught:
        make_profile(current_weekly=distance)
    assert caught.value.problems == [f"test profile: current_weekly: {advice}"]


def test_decimal_commas_and_day_first_dates_read_as_european_spreadsheets_write_them() -> None:
    profile = make_profile(current_weekly="20,5", goal_weekly="30,0", start="07.12.2026")
    assert (profile.current_weekly, profile.goal_weekly) == (20.5, 30.0)
    assert profile.start == dt.date(2026, 12, 7)


def test_a_date_with_slashes_is_refused_as_it_reads_differently_by_country() -> None:
    with pytest.raises(InputError, match=r"start: 07/12/2026 is a different day in different "
                                         r"countries; write the date as year-month-day"):
        make_profile(start="07/12/2026")


@pytest.mark.parametrize(("field", "suggestion"), [
    ({"goal_weekley": 40}, "goal_weekley: is not a known field; did you mean `goal_weekly`?"),
    ({"back": {"pian": 2}}, "back.pian: is not a known field; did you mean `back.pain`?"),
    ({"max_minute": {"sat": 90}}, "did you mean `max_minutes`?"),
])
def test_a_misspelt_field_suggests_the_closest_known_one(
    field: dict[str, object], suggestion: str
) -> None:
    with pytest.raises(InputError) as caught:
        make_profile(**field)
    assert suggestion in caught.value.problems[0]


def test_a_field_like_no_other_points_to_the_schema() -> None:
    with pytest.raises(InputError, match="shoe_size: is not a known field; check the spelling "
                                         "against `backstride schema`"):
        make_profile(shoe_size=42)


def test_the_template_to_fill_in_is_a_valid_profile_once_the_name_is_written() -> None:
    data = parse_yaml_text(profile_template(), "template")
    assert data["name"] is None  # left for the runner to write
    profile = parse_profile({**data, "name": "Ana Lopez"}, "template", today=SUNDAY)
    assert (profile.current_weekly, profile.goal_weekly, profile.units) == (20, 30, "km")


def test_answers_replace_the_template_values_and_keep_its_comments() -> None:
    text = filled_template({"name": 'Ana "Ana" #1', "units": "mi", "current_weekly": 12.5,
                            "goal_weekly": 20.0, "run_days": ["mon", "thu"]})
    profile = parse_profile(parse_yaml_text(text, "filled"), "filled", today=SUNDAY)
    assert profile.name == 'Ana "Ana" #1' and profile.units == "mi"
    assert (profile.current_weekly, profile.run_days) == (12.5, ["mon", "thu"])
    assert "current_weekly: 12.5" in text and "# distance you run per week now" in text


def test_paces_and_a_race_as_yaml_writes_them_unquoted() -> None:
    # YAML reads an unquoted 6:10 as 370 and 0:52:30 as 3150 (base 60): seconds.
    data = parse_yaml_text("easy_pace: 6:10\nrecent_race: {distance: 10, time: 0:52:30}\n",
                           "p.yaml")
    profile = make_profile(**data)
    assert profile.easy_pace == "6:10" and profile.easy_pace_s_per_km == 370
    assert profile.recent_race is not None and profile.recent_race.time == "0:52:30"
    assert profile.recent_race.seconds == 3150


@pytest.mark.parametrize(("units", "written", "time", "distance"), [
    ("km", "10k", "52:30", 10.0), ("km", "Half Marathon", "1:55:00", 21.0975),
    ("km", "half-marathon", "1:55:00", 21.0975), ("km", "5 km", "25:00", 5.0),
    ("km", "13.1 mi", "1:55:00", 21.08), ("mi", "10k", "52:30", 6.21),
    ("mi", "marathon", "4:00:00", 26.22), ("mi", "3.1 miles", "25:00", 3.1),
])
def test_a_race_may_be_written_as_runners_write_it(units: str, written: str, time: str,
                                                   distance: float) -> None:
    profile = make_profile(units=units, current_weekly=20, goal_weekly=25,
                           recent_race={"distance": written, "time": time})
    assert profile.recent_race is not None
    assert profile.recent_race.distance == pytest.approx(distance, abs=0.01)


def test_a_race_distance_that_is_not_one_names_the_field() -> None:
    with pytest.raises(InputError, match=r"recent_race\.distance: Input should be a valid number"):
        make_profile(recent_race={"distance": "ultra", "time": "5:00:00"})


def test_a_pace_per_mile_is_held_to_the_range_in_miles() -> None:
    with pytest.raises(InputError, match="easy_pace: 2:00 per mile is outside 4:50-19:19 per"):
        make_profile(units="mi", current_weekly=12, goal_weekly=15, easy_pace="2:00")
    with pytest.raises(InputError, match=r"recent_race: distance 60 km is outside 1.5-42.2 km"):
        make_profile(recent_race={"distance": 60, "time": "5:00:00"})
