"""One test per training rule: a tiny profile where the rule binds, and the plan obeying it.

`plan_for` also runs the independent validator over every plan made here.
"""

from __future__ import annotations

import itertools

import pytest

from backstride.errors import InfeasiblePlanError
from backstride.inputs.library import Library
from backstride.inputs.profile import WEEKDAYS
from backstride.plan import Day, Plan, Session
from backstride.rules.constraints import RULE_DESCRIPTIONS
from backstride.rules.planner import build_plan
from tests.conftest import make_profile, plan_for

ALL_DAYS = list(WEEKDAYS)


def weekday(day: Day) -> str:
    return WEEKDAYS[day.date.weekday()]


def runs(day: Day) -> list[Session]:
    return [s for s in day.sessions if s.kind == "run"]


def all_days(plan: Plan) -> list[Day]:
    return [day for week in plan.weeks for day in week.days]


def kinds(day: Day) -> set[str]:
    return {s.kind for s in day.sessions}


def test_runs_only_on_run_days(library: Library) -> None:
    plan = plan_for(library, run_days=["tue", "sat"])
    run_weekdays = {weekday(d) for d in all_days(plan) if runs(d)}
    assert run_weekdays == {"tue", "sat"}


def test_rest_days_stay_rest(library: Library) -> None:
    plan = plan_for(library, run_days=["tue", "thu", "fri", "sat", "sun"], rest_days=["mon", "wed"])
    for day in all_days(plan):
        if weekday(day) in ("mon", "wed"):
            assert day.rest
            assert not kinds(day) & {"run", "core", "strength", "cross_training"}


def test_minimum_rest_days(library: Library) -> None:
    plan = plan_for(library, run_days=ALL_DAYS, min_rest_days=3)
    for week in plan.weeks:
        assert sum(day.rest for day in week.days) >= 3


def test_core_and_strength_two_to_three_days(library: Library) -> None:
    plan = plan_for(library, run_days=ALL_DAYS, min_rest_days=0)
    for week in plan.weeks:
        core = [d for d in week.days if "core" in kinds(d)]
        strength = [d for d in week.days if "strength" in kinds(d)]
        either = [d for d in week.days if kinds(d) & {"core", "strength"}]
        assert 2 <= len(core) <= 3 and 2 <= len(strength) <= 3 and len(either) <= 3
        assert not any(d.rest for d in either)


def test_strength_never_on_consecutive_days(library: Library) -> None:
    plan = plan_for(library, run_days=ALL_DAYS, min_rest_days=0, weeks=6)
    flags = ["strength" in kinds(d) for d in all_days(plan)]
    assert not any(a and b for a, b in itertools.pairwise(flags))


def test_no_strength_the_day_before_the_long_run(library: Library) -> None:
    plan = plan_for(library, run_days=ALL_DAYS, min_rest_days=0, long_run_day="wed")
    days = all_days(plan)
    for today, tomorrow in itertools.pairwise(days):
        if any(r.run_type == "long" for r in runs(tomorrow)):
            assert "strength" not in kinds(today)
    assert any(r.run_type == "long" for d in days for r in runs(d))


def test_long_run_only_on_long_run_day(library: Library) -> None:
    plan = plan_for(library, run_days=["mon", "wed", "fri", "sun"], long_run_day="wed")
    long_days = {weekday(d) for d in all_days(plan) for r in runs(d) if r.run_type == "long"}
    assert long_days == {"wed"}


def test_long_and_quality_never_on_consecutive_days(library: Library) -> None:
    plan = plan_for(
        library, experience="advanced", current_weekly=50, goal_weekly=60, run_days=ALL_DAYS,
        min_rest_days=1, weeks=6, max_minutes={"default": 75, "sun": 150},
    )
    hard = [any(r.run_type in ("long", "quality") for r in runs(d)) for d in all_days(plan)]
    assert not any(a and b for a, b in itertools.pairwise(hard))
    assert any(r.run_type == "quality" for d in all_days(plan) for r in runs(d))


@pytest.mark.parametrize(
    ("current", "run_days"),
    [(40, ["mon", "tue", "thu", "sat", "sun"]), (15, ["mon", "tue", "thu", "sun"]),
     (40, ["tue", "thu", "sun"])],
)
def test_long_run_share_of_week(library: Library, current: float, run_days: list[str]) -> None:
    plan = plan_for(library, current_weekly=current, goal_weekly=current, run_days=run_days,
                    longest_recent_run=current * 0.3, max_minutes={"default": 90, "sun": 150})
    for week in plan.weeks:
        week_runs = [r for d in week.days for r in runs(d)]
        share = 0.40 if len(week_runs) <= 3 else 0.35 if week.planned_km < 20 else 0.30
        long_runs = [r for r in week_runs if r.run_type == "long"]
        assert long_runs
        assert long_runs[0].distance_km <= share * week.planned_km + 1e-9
        assert all(r.distance_km <= long_runs[0].distance_km for r in week_runs)


def test_single_run_within_110_percent(library: Library) -> None:
    plan = plan_for(library, current_weekly=20, goal_weekly=20, longest_recent_run=4)
    first_week_runs = [r.distance_km for d in plan.weeks[0].days for r in runs(d)]
    assert max(first_week_runs) <= 4.4
    assert plan.weeks[0].planned_km < 20  # the rule, not the ramp, held this week back
    # One line names the limit and the smallest change that would lift it.
    assert any(note.startswith("The long run holds 4.4 km (110% of your longest recent run)")
               and note.endswith("would hold your 20 km a week.") for note in plan.notes)


def test_weekly_volume_ramps_at_most_ten_percent(library: Library) -> None:
    plan = plan_for(library, current_weekly=20, goal_weekly=60, weeks=8)
    volumes = [w.planned_km for w in plan.weeks]
    assert volumes[0] == 22.0
    last_full = 20.0
    for week in plan.weeks:
        if not week.deload:
            assert week.planned_km <= round(last_full * 1.1, 1) + 1e-9
            last_full = week.planned_km


def test_deload_every_fourth_week(library: Library) -> None:
    plan = plan_for(library, current_weekly=30, goal_weekly=30, weeks=8)
    assert [w.deload for w in plan.weeks] == [False, False, False, True] * 2
    assert 0.7 * 30 <= plan.weeks[3].planned_km <= 0.8 * 30
    assert [w.phase for w in plan.weeks[:4]] == ["maintain", "maintain", "maintain", "deload"]


def test_goal_below_current_steps_down(library: Library) -> None:
    plan = plan_for(library, current_weekly=40, goal_weekly=25, weeks=3)
    assert [w.planned_km for w in plan.weeks] == [25.0, 25.0, 25.0]


def test_unreachable_goal_holds_and_says_so(library: Library) -> None:
    plan = plan_for(library, current_weekly=30, goal_weekly=80, run_days=["tue", "sun"], weeks=6)
    assert max(w.planned_km for w in plan.weeks) < 40
    assert any(note.startswith("Tuesday holds") and "would hold your 30 km a week" in note
               for note in plan.notes)


def test_mostly_easy_running(library: Library) -> None:
    plan = plan_for(library, experience="intermediate", current_weekly=35, goal_weekly=40,
                    run_days=["mon", "wed", "fri", "sun"], weeks=4)
    for week in plan.weeks:
        quality = sum(r.distance_km for d in week.days for r in runs(d) if r.run_type == "quality")
        assert quality <= 0.2 * week.planned_km + 1e-9


def test_novices_get_no_quality_runs(library: Library) -> None:
    plan = plan_for(library, experience="novice", current_weekly=35, goal_weekly=40)
    assert not any(r.run_type == "quality" for d in all_days(plan) for r in runs(d))


def test_every_run_has_a_warm_up_and_a_cool_down(library: Library) -> None:
    plan = plan_for(library)
    for day in all_days(plan):
        for run in runs(day):
            categories = [library.get(e.id).category for e in run.exercises]
            assert categories[0] == "warm_up" and categories[-1] == "cool_down"


def test_the_runs_keep_one_warm_up_and_cool_down_to_learn(library: Library) -> None:
    """One routine for every run while the back avoids the same moves; the cool-down
    stretches the hip flexors, hamstrings, glutes and calves."""
    plan = plan_for(library, run_days=["mon", "wed", "fri", "sun"], weeks=4,
                    back={"pain": 0})
    routines = {tuple(e.id for e in run.exercises)
                for week in plan.weeks for day in week.days for run in runs(day)}
    assert len(routines) == 1
    cool_down = [e for e in routines.pop() if library.get(e).category == "cool_down"]
    targets = {t for e in cool_down for t in library.get(e).targets}
    assert {"hip_flexors", "hamstrings", "glutes", "calves"} <= targets


def test_the_mobility_session_is_one_routine_covering_the_hips(library: Library) -> None:
    plan = plan_for(library, weeks=4, back={"pain": 0})
    sessions = {tuple(e.id for e in s.exercises) for d in all_days(plan) for s in d.sessions
                if s.kind == "mobility"}
    assert len(sessions) == 1
    exercises = [library.get(e) for e in sessions.pop()]
    assert "hip_mobility" in {e.category for e in exercises}
    assert {"hip_flexors", "hamstrings"} <= {t for e in exercises for t in e.targets}


def test_a_runner_with_a_foam_roller_rolls_in_the_mobility_session(library: Library) -> None:
    plan = plan_for(library, weeks=2, equipment=["foam_roller"], back={"pain": 0})
    mobility = [s for d in all_days(plan) for s in d.sessions if s.kind == "mobility"]
    assert mobility
    for session in mobility:
        categories = {library.get(e.id).category for e in session.exercises}
        assert {"foam_roll", "hip_mobility"} <= categories


def test_cross_training_on_non_run_days(library: Library) -> None:
    plan = plan_for(library, cross_training=["swim", "cycle"], min_rest_days=1)
    cross_days = [d for d in all_days(plan) if "cross_training" in kinds(d)]
    assert cross_days
    for day in cross_days:
        assert not runs(day)
        for session in day.sessions:
            if session.kind == "cross_training":
                assert session.exercises[0].id in ("swim", "cycle")


def test_sessions_fit_the_day(library: Library) -> None:
    plan = plan_for(library, max_minutes={"default": 40, "sun": 70}, weeks=3)
    for day in all_days(plan):
        budget = 70 if weekday(day) == "sun" else 40
        assert sum(s.minutes for s in day.sessions) <= budget


def test_only_the_runners_equipment(library: Library) -> None:
    plan = plan_for(library, equipment=[])
    used = {e.id for d in all_days(plan) for s in d.sessions for e in s.exercises}
    assert all(not library.get(i).equipment for i in used)


@pytest.mark.parametrize(("worse_with", "banned"), [("flexion", "flexion_intolerant"),
                                                    ("extension", "extension_intolerant")])
def test_the_back_decides_the_exercises(library: Library, worse_with: str, banned: str) -> None:
    plan = plan_for(library, back={"worse_with": worse_with}, equipment=["band", "foam_roller"],
                    weeks=8)
    used = {e.id for d in all_days(plan) for s in d.sessions for e in s.exercises}
    assert all(banned not in library.get(i).contraindications for i in used)


def test_a_diagnosis_rules_out_its_exercises(library: Library) -> None:
    plan = plan_for(library, back={"conditions": ["spinal_stenosis"]}, weeks=8)
    used = {e.id for d in all_days(plan) for s in d.sessions for e in s.exercises}
    assert all("spinal_stenosis" not in library.get(i).contraindications for i in used)


def test_hip_mobility_and_weekly_coverage(library: Library) -> None:
    plan = plan_for(library, weeks=4)
    for week in plan.weeks:
        targets = {t for d in week.days for s in d.sessions for e in s.exercises
                   for t in library.get(e.id).targets}
        categories = {library.get(e.id).category for d in week.days for s in d.sessions
                      for e in s.exercises}
        assert {"core", "glutes", "hamstrings"} <= targets
        assert "hip_mobility" in categories


def test_exercises_vary_across_the_week(library: Library) -> None:
    plan = plan_for(library, weeks=2)
    for week in plan.weeks:
        core_sessions = [tuple(e.id for e in s.exercises) for d in week.days for s in d.sessions
                         if s.kind == "core"]
        assert len(set(core_sessions)) == len(core_sessions)


def test_impossible_profile_names_the_conflicting_rules(library: Library) -> None:
    profile = make_profile(run_days=["sat"], min_rest_days=6)
    with pytest.raises(InfeasiblePlanError) as caught:
        build_plan(profile, library)
    assert set(caught.value.rules) == {"minimum_rest_days", "core_and_strength_two_to_three_days"}
    assert "at least" in caught.value.explanation.lower()


def test_no_time_for_the_required_sessions_is_named(library: Library) -> None:
    profile = make_profile(max_minutes={"default": 15})
    with pytest.raises(InfeasiblePlanError) as caught:
        build_plan(profile, library)
    assert "sessions_fit_the_day" in caught.value.rules
    assert all(rule in RULE_DESCRIPTIONS for rule in caught.value.rules)


@pytest.mark.parametrize(
    ("start", "run_days", "rest_days"),
    [("2026-02-23", ["fri", "sat"], ["tue", "wed", "thu"]),
     ("2026-02-22", ["thu", "fri"], ["mon", "tue", "wed"])],
)
def test_a_week_ending_in_strength_does_not_block_the_next(
    library: Library, start: str, run_days: list[str], rest_days: list[str]
) -> None:
    # Tight weeks: the previous week is re-solved with its last day kept free.
    plan_for(library, start=start, run_days=run_days, rest_days=rest_days, current_weekly=10,
             goal_weekly=12, weeks=8)


def test_a_runner_keeps_their_own_bigger_long_run_share_up_to_half(library: Library) -> None:
    # 9 km of 20 a week: 45%, more than the usual 40% for three runs; DESIGN lets them keep it.
    plan = plan_for(library, current_weekly=20, goal_weekly=24, longest_recent_run=9,
                    run_days=["tue", "thu", "sat", "sun"], weeks=4)
    shares = [max(r.distance_km or 0 for d in w.days for r in runs(d)) / w.planned_km
              for w in plan.weeks]
    assert max(shares) > 0.40
    assert all(share <= 0.45 + 0.01 for share in shares)
    # A share above a half is held to a half.
    capped = plan_for(library, current_weekly=20, goal_weekly=24, longest_recent_run=16,
                      run_days=["tue", "thu", "sat", "sun"], weeks=4)
    assert all(max(r.distance_km or 0 for d in w.days for r in runs(d)) <= 0.5 * w.planned_km
               + 0.05 for w in capped.weeks)
