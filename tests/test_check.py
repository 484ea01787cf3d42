"""The independent validator catches broken plans (so a passing plan means something), and
`backstride check` runs it on a plan.json file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.check import check_plan
from backstride.inputs.library import Library
from backstride.plan import Day, Plan, Session, Week
from tests.conftest import plan_for, run


def replace_day(plan: Plan, week_index: int, day_index: int, day: Day) -> Plan:
    week = plan.weeks[week_index]
    days = list(week.days)
    days[day_index] = day
    weeks = list(plan.weeks)
    weeks[week_index] = week.model_copy(update={"days": days})
    return plan.model_copy(update={"weeks": weeks})


def first_run_day(week: Week) -> tuple[int, Day, Session]:
    for position, day in enumerate(week.days):
        for session in day.sessions:
            if session.kind == "run":
                return position, day, session
    raise AssertionError("no run")


def test_a_sound_plan_passes(library: Library) -> None:
    assert check_plan(plan_for(library), library) == []


def test_an_overlong_run_is_caught(library: Library) -> None:
    plan = plan_for(library)
    position, day, run = first_run_day(plan.weeks[0])
    longer = run.model_copy(update={"distance_km": 30.0})
    broken = replace_day(plan, 0, position, day.model_copy(update={"sessions": [longer]}))
    problems = check_plan(broken, library)
    assert any("110%" in p for p in problems)
    assert any("runs add up" in p for p in problems)


def test_training_on_a_rest_day_is_caught(library: Library) -> None:
    plan = plan_for(library)
    rest_position = next(i for i, d in enumerate(plan.weeks[0].days) if d.rest)
    _, _, run = first_run_day(plan.weeks[0])
    day = plan.weeks[0].days[rest_position]
    broken = replace_day(plan, 0, rest_position, day.model_copy(update={"sessions": [run]}))
    assert any("rest day holds run" in p for p in check_plan(broken, library))


def test_a_contraindicated_exercise_is_caught(library: Library) -> None:
    plan = plan_for(library, back={"worse_with": "flexion"})
    position, day, run = first_run_day(plan.weeks[0])
    twist = library.get("russian-twist")
    exercise = run.exercises[0].model_copy(update={"id": twist.id, "name": twist.name})
    bad_run = run.model_copy(update={"exercises": [exercise, *run.exercises[1:]]})
    broken = replace_day(plan, 0, position, day.model_copy(update={"sessions": [bad_run]}))
    assert any("contraindicated" in p for p in check_plan(broken, library))


def with_exercises(plan: Plan, ids: list[str], library: Library) -> Plan:
    """`plan` with the first run's warm-up exercises replaced by `ids`."""
    position, day, run = first_run_day(plan.weeks[0])
    template = run.exercises[0]
    exercises = [template.model_copy(update={"id": each, "name": library.get(each).name})
                 for each in ids]
    changed = run.model_copy(update={"exercises": exercises})
    return replace_day(plan, 0, position, day.model_copy(update={"sessions": [changed]}))


def test_an_exercise_twice_or_beside_its_harder_form_is_caught(library: Library) -> None:
    plan = plan_for(library)
    twice = check_plan(with_exercises(plan, ["bird-dog", "bird-dog"], library), library)
    assert any("holds bird-dog twice" in p for p in twice)
    beside = with_exercises(plan, ["side-plank-knees", "side-plank"], library)
    assert any("holds side-plank-knees and its harder form side-plank" in p
               for p in check_plan(beside, library))


def test_russian_twists_for_a_back_in_pain_are_caught(library: Library) -> None:
    plan = plan_for(library, back={"pain": 3})
    broken = with_exercises(plan, ["russian-twist"], library)
    assert any("russian-twist loads the spine in flexion with rotation" in p
               for p in check_plan(broken, library))


def with_core_sessions(plan: Plan, ids_by_week: dict[int, list[str]]) -> Plan:
    """`plan` with the first core session of each given week (0-based) holding `ids`."""
    weeks = list(plan.weeks)
    for index, ids in ids_by_week.items():
        position, day = next((i, d) for i, d in enumerate(weeks[index].days)
                             if any(s.kind == "core" for s in d.sessions))
        core = next(s for s in day.sessions if s.kind == "core")
        exercises = [core.exercises[0].model_copy(update={"id": each}) for each in ids]
        sessions = [s.model_copy(update={"exercises": exercises}) if s is core else s
                    for s in day.sessions]
        plan = replace_day(plan, index, position, day.model_copy(update={"sessions": sessions}))
        weeks = list(plan.weeks)
    return plan


def test_a_dose_outside_the_library_s_range_is_caught(library: Library) -> None:
    plan = plan_for(library, weeks=1)
    position, day = next((i, d) for i, d in enumerate(plan.weeks[0].days)
                         if any(s.kind == "strength" for s in d.sessions))
    strength = next(s for s in day.sessions if s.kind == "strength")
    first = strength.exercises[0]
    top = library.get(first.id).dose.sets_range
    assert top is not None
    heavier = first.model_copy(update={"sets": top[1] + 1})
    sessions = [s.model_copy(update={"exercises": [heavier, *s.exercises[1:]]})
                if s is strength else s for s in day.sessions]
    broken = replace_day(plan, 0, position, day.model_copy(update={"sessions": sessions}))
    assert any(f"sets {top[1] + 1} is outside the library's {top[0]}-{top[1]}" in p
               for p in check_plan(broken, library))


def test_a_block_that_keeps_changing_its_core_exercises_is_caught(library: Library) -> None:
    plan = plan_for(library, weeks=4)
    # Seven core exercises over the block's first three weeks: no routine to learn.
    seven = ["mcgill-curl-up", "bird-dog", "side-plank-knees", "glute-bridge",
             "dead-bug", "front-plank-knees", "bear-crawl-hold"]
    assert all(library.get(each).category == "core" for each in seven)
    broken = with_core_sessions(plan, {0: seven[:3], 1: seven[3:5], 2: seven[5:]})
    assert "week 1 (from 2026-12-07): the block's core sessions hold 7 exercises; a routine is "\
        "at most 6" in check_plan(broken, library)


def test_a_missing_deload_is_caught(library: Library) -> None:
    plan = plan_for(library, weeks=4)
    week = plan.weeks[3].model_copy(update={"phase": "build", "deload": False})
    broken = plan.model_copy(update={"weeks": [*plan.weeks[:3], week]})
    assert any("every 4th week" in p for p in check_plan(broken, library))


# --- `backstride check PLAN.json`: for a coach who edits a plan by hand -----------------------


@pytest.fixture()
def plan_file(library: Library, tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(plan_for(library).to_json(), encoding="utf-8")
    return path


def edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit the plan.json at `path` as a coach would, by hand, without re-planning."""
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def first_run(week: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return next((day, session) for day in week["days"] for session in day["sessions"]
                if session["kind"] == "run")


def test_check_passes_a_clean_plan(plan_file: Path) -> None:
    result = run("check", str(plan_file))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: {plan_file}")


def test_check_names_the_date_and_the_rule_of_a_run_moved_onto_a_rest_day(
    plan_file: Path,
) -> None:
    moved_to: list[str] = []

    def move_a_run(data: dict[str, Any]) -> None:
        week = data["weeks"][0]
        day, run_session = first_run(week)
        rest_day = next(d for d in week["days"] if d["rest"])
        day["sessions"].remove(run_session)
        rest_day["sessions"].append(run_session)
        moved_to.append(rest_day["date"])

    edit(plan_file, move_a_run)
    result = run("check", str(plan_file))
    assert result.exit_code == 1
    assert any(moved_to[0] in line and "a rest day holds run" in line and "[rest days]" in line
               for line in result.output.splitlines()), result.output


def test_check_catches_a_run_made_three_times_longer(plan_file: Path) -> None:
    dates: list[str] = []

    def lengthen(data: dict[str, Any]) -> None:
        day, run_session = first_run(data["weeks"][0])
        run_session["distance_km"] *= 3
        dates.append(day["date"])

    edit(plan_file, lengthen)
    result = run("check", str(plan_file))
    assert result.exit_code == 1
    assert any(line.startswith(f"week 1, {dates[0]}: ") and "110%" in line
               and line.endswith("[single run within 110 percent]")
               for line in result.output.splitlines()), result.output
    # Week-level problems name the week's first day.
    assert "runs add up" in result.output and "(from 2026-12-07)" in result.output


def test_check_judges_by_another_profile_s_limits(plan_file: Path, tmp_path: Path) -> None:
    athlete = json.loads(plan_file.read_text())["athlete"]
    same = tmp_path / "same.yaml"
    same.write_text(yaml.safe_dump({**athlete, "start": None}))
    assert run("check", str(plan_file), "--profile", str(same)).exit_code == 0
    fewer_days = tmp_path / "fewer-days.yaml"
    fewer_days.write_text(yaml.safe_dump({**athlete, "start": None, "run_days": ["tue", "thu",
                                                                                "sun"]}))
    result = run("check", str(plan_file), "--profile", str(fewer_days))
    assert result.exit_code == 1
    assert "a run on sat, which is not a run day [runs only on run days]" in result.output


def test_check_reports_a_file_that_is_not_json_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "plan.json"
    broken.write_text('{"weeks": [')
    result = run("check", str(broken))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"error: {broken}: line 1: not valid JSON")


def test_check_reports_a_plan_missing_a_field_in_one_line(plan_file: Path) -> None:
    edit(plan_file, lambda data: data.pop("athlete"))
    result = run("check", str(plan_file))
    assert result.exit_code == 2
    assert result.output == f"error: {plan_file}: not a plan: athlete: is required but missing\n"


def test_check_reports_a_day_missing_its_date_in_one_line(plan_file: Path) -> None:
    edit(plan_file, lambda data: data["weeks"][1]["days"][2].pop("date"))
    result = run("check", str(plan_file))
    assert result.exit_code == 2
    assert result.output == (
        f"error: {plan_file}: not a plan: weeks.1.days.2.date: is required but missing\n")


def test_check_reports_a_missing_file(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nowhere.json"))
    assert result.exit_code == 2 and "nowhere.json" in result.output
    assert result.output.count("\n") == 1


# --- Load management: the long run by size, deloads, and a calm spell's runs ---------------


def longest_run_day(week: Week) -> tuple[int, Day]:
    longest = max(s.distance_km or 0 for d in week.days for s in d.sessions if s.kind == "run")
    return next((i, d) for i, d in enumerate(week.days)
                if any(s.kind == "run" and s.distance_km == longest for s in d.sessions))


def test_strength_on_the_day_of_the_longest_run_is_caught(library: Library) -> None:
    plan = plan_for(library)
    position, day = longest_run_day(plan.weeks[1])
    strength = next(s for d in plan.weeks[1].days for s in d.sessions if s.kind == "strength")
    broken = replace_day(plan, 1, position,
                         day.model_copy(update={"sessions": [*day.sessions, strength]}))
    assert any(f"{day.date}: strength on the day of the week's longest run" in p
               for p in check_plan(broken, library))


def test_a_run_beside_the_longest_too_long_is_caught(library: Library) -> None:
    plan = plan_for(library, run_days=["tue", "thu", "sat", "sun"], long_run_day="sun")
    position, day = longest_run_day(plan.weeks[1])
    before = plan.weeks[1].days[position - 1]
    _, _, run = first_run_day(plan.weeks[1])
    longest = next(s.distance_km or 0 for s in day.sessions if s.kind == "run")
    close = run.model_copy(update={"distance_km": round(longest * 0.9, 1)})
    broken = replace_day(plan, 1, position - 1,
                         before.model_copy(update={"rest": False, "sessions": [close]}))
    assert any(f"{before.date}: a run of" in p and "at most 75% of it" in p
               for p in check_plan(broken, library))


def test_a_deload_with_more_cross_training_is_caught(library: Library) -> None:
    plan = plan_for(library, weeks=4, cross_training=["swim"])
    swim = next(s for w in plan.weeks for d in w.days for s in d.sessions
                if s.kind == "cross_training")
    deload = plan.weeks[3]
    days = [d.model_copy(update={"rest": False, "sessions": [*d.sessions, swim]})
            for d in deload.days]
    broken = plan.model_copy(update={"weeks": [*plan.weeks[:3],
                                               deload.model_copy(update={"days": days})]})
    assert any("a deload week with cross_training on 7 days" in p
               for p in check_plan(broken, library))
