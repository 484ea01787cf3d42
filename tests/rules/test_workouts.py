"""Runs a runner can execute: paces from the runner (Daniels' VDOT from a race, offsets from
an easy pace, or the experience default), an effort on every run, workouts whose steps add
up to the run's distance and running minutes, quality main sets that grow, walk-run returns
that progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.check.running import run_problems, runs_a_runner_can_execute
from backstride.errors import InfeasiblePlanError
from backstride.inputs.library import Library
from backstride.inputs.profile import parse_profile
from backstride.plan import Plan, Session, Step
from backstride.rules.planner import build_plan
from backstride.rules.week import PACES
from backstride.rules.workouts import (
    OFFSETS_FROM_EASY,
    WALK_RUN_STAGES,
    quality_run,
    runner_paces,
    vdot_from_race,
    walk_run,
    workout_level,
)
from tests.conftest import make_profile, plan_for
from tests.rules.test_property import profiles

# Published values of Daniels' Running Formula (Table of VDOT race times and training
# paces): a race, its VDOT, and the threshold (tempo) and interval paces in s/km.
PUBLISHED = [
    # 5 km in 19:57 is VDOT 50: T 4:15/km, I 3:55/km.
    ({"distance": 5, "time": "19:57"}, "km", 50, {"tempo": 255, "interval": 235}),
    # 10 km in 50:03 is VDOT 40: T 5:06/km (8:12/mile), I 4:42/km.
    ({"distance": 10, "time": "50:03"}, "km", 40, {"tempo": 306, "interval": 282}),
    # A half marathon in 1:00:54 (13.1 mi) is VDOT 80: T 4:41/mile, 2:55/km.
    ({"distance": 13.1094, "time": "1:00:54"}, "mi", 80, {"tempo": 175}),
]


@pytest.mark.parametrize(("race", "units", "vdot", "published"), PUBLISHED)
def test_a_race_gives_daniels_published_paces_within_3_seconds(
    race: dict[str, Any], units: str, vdot: int, published: dict[str, int]
) -> None:
    paces = runner_paces(make_profile(units=units, current_weekly=20, goal_weekly=25,
                                      recent_race=race))
    assert paces.method == "race"
    assert paces.vdot == pytest.approx(vdot, abs=0.3)
    for kind, seconds in published.items():
        assert abs(paces.targets[kind] - seconds) <= 3, kind
    assert paces.targets["easy"] > paces.targets["tempo"] > paces.targets["interval"]


def test_vdot_of_a_race_by_the_published_equations() -> None:
    assert vdot_from_race(5000, 19 * 60 + 57) == pytest.approx(50, abs=0.1)


def test_an_easy_pace_alone_gives_the_others_at_stated_offsets() -> None:
    paces = runner_paces(make_profile(easy_pace="6:10"))
    assert paces.method == "easy_pace"
    assert paces.targets["easy"] == 370
    for kind, gap in OFFSETS_FROM_EASY.items():
        assert paces.targets[kind] == 370 - gap


def test_an_easy_pace_per_mile_is_held_per_km() -> None:
    paces = runner_paces(make_profile(units="mi", current_weekly=12, goal_weekly=15,
                                      easy_pace="9:55"))
    assert paces.targets["easy"] == 370  # 595 s a mile


def test_an_easy_pace_given_with_a_race_sets_the_easy_runs() -> None:
    paces = runner_paces(make_profile(easy_pace="5:50",
                                      recent_race={"distance": 5, "time": "19:57"}))
    assert paces.method == "race" and paces.targets["easy"] == 350
    assert abs(paces.targets["tempo"] - 255) <= 3


@pytest.mark.parametrize("experience", ["novice", "intermediate", "advanced"])
def test_without_either_the_experience_default(experience: str) -> None:
    paces = runner_paces(make_profile(experience=experience))
    assert paces.method == "experience"
    assert paces.targets["easy"] == PACES[experience].easy
    assert "default for your experience" in paces.describe()


def test_the_scheduler_budgets_runs_at_the_runners_pace() -> None:
    slow = runner_paces(make_profile(easy_pace="8:00")).scheduling()
    assert slow.easy == slow.long == 480
    assert slow.walk_run >= slow.easy


def test_runs_are_timed_at_the_runners_pace(library: Library) -> None:
    plan = plan_for(library, easy_pace="6:00")
    for run in _runs(plan):
        if run.run_type in ("easy", "long"):
            assert run.run_minutes == -(-round((run.distance_km or 0) * 10) * 360 // 600)
            assert run.minutes == (run.run_minutes or 0) + (run.warm_up_minutes or 0)
            assert run.pace is not None and run.pace.slow_s_per_km > 360 > run.pace.fast_s_per_km
            assert "from the easy pace in your profile" in run.why


def test_the_why_names_daniels_for_a_race(library: Library) -> None:
    plan = plan_for(library, recent_race={"distance": 10, "time": "0:50:03"})
    assert all("Daniels' VDOT" in run.why for run in _runs(plan))


def test_a_quality_main_set_grows_across_build_weeks(library: Library) -> None:
    paces = runner_paces(make_profile(experience="advanced"))
    phases = {1: "build", 2: "build", 3: "build", 4: "deload"}
    levels = [workout_level(phases, week) for week in (1, 2, 3, 4)]
    assert levels == [0, 1, 2, 1]  # the deload a step below the week before
    sets = [_main_set(quality_run(12_000, "intervals", level, paces).steps)
            for level in range(3)]
    assert sets == [(4, 180), (5, 180), (4, 240)]  # DESIGN's 4 x 3, 5 x 3, 4 x 4 min


def test_a_short_quality_run_keeps_its_cool_down_and_adds_up() -> None:
    paces = runner_paces(make_profile(experience="advanced"))
    run = quality_run(4_000, "tempo", 5, paces)
    assert run.steps[-1].kind == "cool_down" and (run.steps[-1].distance_m or 0) >= 800
    _assert_adds_up(run.steps, 4.0, run.minutes)


def test_a_main_set_of_one_block_has_no_jog_after_it() -> None:
    paces = runner_paces(make_profile(experience="advanced"))
    run = quality_run(5_300, "tempo", 5, paces)
    assert [step.kind for step in run.steps] == ["warm_up", "run", "cool_down"]
    assert run.name == "tempo 10 min"
    _assert_adds_up(run.steps, 5.3, run.minutes)


def test_quality_runs_in_a_plan_are_workouts(library: Library) -> None:
    plan = plan_for(library, experience="advanced", current_weekly=40, goal_weekly=50,
                    weeks=8, run_days=["mon", "wed", "thu", "sat", "sun"], long_run_day="sat")
    quality = [run for run in _runs(plan) if run.run_type == "quality"]
    assert quality
    for run in quality:
        # A main set of one block is that block alone: no jog after it.
        assert [step.kind for step in run.steps] in (["warm_up", "repeat", "cool_down"],
                                                     ["warm_up", "run", "cool_down"])
        assert run.effort is not None and run.effort.rpe[0] >= 6
    assert list(runs_a_runner_can_execute(plan, library)) == []


def test_walk_runs_progress_over_the_return() -> None:
    paces = runner_paces(make_profile())
    stages = [walk_run(3_000, number, paces) for number in range(len(WALK_RUN_STAGES) + 1)]
    ratios = [_run_walk(run.steps) for run in stages[:-1]]
    assert ratios == list(WALK_RUN_STAGES)  # 1:2, 2:1, 4:1 minutes
    assert [step.kind for step in stages[-1].steps] == ["run"]  # then continuous
    for run in stages:
        _assert_adds_up(run.steps, 3.0, run.minutes)


def test_a_return_plan_has_walk_runs_with_steps(library: Library) -> None:
    plan = plan_for(library, back={"pain": 5}, weeks=3, current_weekly=30, goal_weekly=30)
    walk_runs = [run for run in _runs(plan) if run.run_type == "walk_run"]
    assert walk_runs
    assert _run_walk(walk_runs[0].steps) == WALK_RUN_STAGES[0]
    assert list(runs_a_runner_can_execute(plan, library)) == []


@pytest.mark.parametrize(("current_weekly", "run_days"), [
    (10, ["tue", "sat"]), (20, ["tue", "thu", "sat"]), (40, ["mon", "wed", "fri", "sun"]),
    (60, ["mon", "tue", "thu", "sat", "sun"]),
])
def test_the_first_walk_run_of_a_return_takes_20_to_30_minutes(
        library: Library, current_weekly: int, run_days: list[str]) -> None:
    plan = plan_for(library, back={"pain": 5}, weeks=3, current_weekly=current_weekly,
                    goal_weekly=current_weekly, run_days=run_days)
    walk_runs = [run for run in _runs(plan) if run.run_type == "walk_run"]
    assert 20 <= (walk_runs[0].run_minutes or 0) <= 30
    assert all((run.run_minutes or 0) <= 30 for run in walk_runs)


def test_the_check_finds_a_run_without_effort_or_with_steps_that_do_not_add_up(
    library: Library,
) -> None:
    plan = plan_for(library, experience="advanced", current_weekly=40, goal_weekly=50,
                    weeks=4)
    broken = plan.model_copy(deep=True)
    week = broken.weeks[1]
    day = next(day for day in week.days if any(s.kind == "run" for s in day.sessions))
    runs = [s for s in day.sessions if s.kind == "run"]
    day.sessions[day.sessions.index(runs[0])] = runs[0].model_copy(
        update={"effort": None, "distance_km": (runs[0].distance_km or 0) + 1})
    problems = list(runs_a_runner_can_execute(broken, library))
    assert any("no effort" in p for p in problems)
    assert any("its steps cover" in p for p in problems)


# A sweep of profiles, some with their own pace or a race: every run has an effort, every
# quality run and walk-run has steps, and every run's steps add up.
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.sampled_from([None, "4:30", "6:10", "9:30"]),
       st.sampled_from([None, {"distance": 5, "time": "0:24:08"},
                        {"distance": 21.1, "time": "1:31:35"}]))
def test_every_run_of_every_plan_can_be_run(
    library: Library, data: dict[str, Any], easy_pace: str | None,
    race: dict[str, Any] | None,
) -> None:
    if easy_pace is not None:
        data["easy_pace"] = easy_pace if data["units"] == "km" else "9:55"
    if race is not None and data["units"] == "km":
        data["recent_race"] = race
    profile = parse_profile(data, "generated", today=dt.date.fromisoformat(data["start"]))
    try:
        plan = build_plan(profile, library)
    except InfeasiblePlanError:
        return
    assert list(runs_a_runner_can_execute(plan, library)) == []
    for run in _runs(plan):
        assert run.effort is not None
        if run.run_type in ("quality", "walk_run"):
            assert run.steps


def _runs(plan: Plan) -> list[Session]:
    return [s for week in plan.weeks for day in week.days for s in day.sessions
            if s.kind == "run"]


def _main_set(steps: list[Step]) -> tuple[int, int]:
    repeat = next(step for step in steps if step.kind == "repeat")
    return repeat.times or 0, repeat.steps[0].duration_s or 0


def _run_walk(steps: list[Step]) -> tuple[int, int]:
    repeat = next(step for step in steps if step.kind == "repeat")
    run, walk = repeat.steps
    assert run.kind == "run" and walk.kind == "walk"
    return run.duration_s or 0, walk.duration_s or 0


def _assert_adds_up(steps: list[Step], distance_km: float, minutes: int) -> None:
    run = Session(kind="run", title="run", run_type="quality", distance_km=distance_km,
                  minutes=minutes, why="", effort=steps[0].effort, run_minutes=minutes,
                  steps=steps)
    assert list(run_problems(run)) == []
