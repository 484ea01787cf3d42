"""Core and strength routines: held for a block, building in dose, moving to harder forms at a
block change, easier forms when the back is calm, and loaded rotation only for a settled back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from backstride.check import check_plan
from backstride.inputs.library import Library
from backstride.plan import Day, Plan, PlannedExercise, Week
from backstride.rules.planner import back_avoid, prescriber_for, skeleton_of
from backstride.rules.prescribe import WeekContext
from backstride.rules.replan import FlareUpReport, replan_after_flare_up
from tests.conftest import plan_for

ROUTINE_KINDS = ("core", "strength")
LOADED_ROTATION = {"russian-twist", "bicycle-crunch"}
TWELVE_WEEKS: dict[str, Any] = {"weeks": 12, "current_weekly": 20, "goal_weekly": 40}


@pytest.fixture(scope="module")
def twelve_weeks(library: Library) -> Plan:
    return plan_for(library, **TWELVE_WEEKS)


def routine_exercises(week: Week, kind: str) -> Iterator[PlannedExercise]:
    for day in week.days:
        for session in day.sessions:
            if session.kind == kind:
                yield from session.exercises


def routine_ids(week: Week, kind: str) -> set[str]:
    return {e.id for e in routine_exercises(week, kind)}


def dose(exercise: PlannedExercise) -> tuple[int, int, int]:
    return exercise.sets or 0, exercise.reps or 0, exercise.hold_seconds or 0


def test_doses_rise_in_the_build_weeks_of_a_block(twelve_weeks: Plan) -> None:
    first, _, third = twelve_weeks.weeks[:3]
    assert {w.phase for w in twelve_weeks.weeks[:3]} <= {"build", "maintain"}
    rose = 0
    for kind in ROUTINE_KINDS:
        start = {e.id: dose(e) for e in routine_exercises(first, kind)}
        for exercise in routine_exercises(third, kind):
            if exercise.id in start:
                assert dose(exercise) >= start[exercise.id]
                rose += dose(exercise) > start[exercise.id]
    assert rose >= 2


def test_a_deload_week_drops_a_set(twelve_weeks: Plan) -> None:
    week_3, week_4 = twelve_weeks.weeks[2:4]
    assert week_4.phase == "deload"
    before = {e.id: e.sets for kind in ROUTINE_KINDS for e in routine_exercises(week_3, kind)}
    for exercise in routine_exercises(week_4, "strength"):
        if exercise.sets and before.get(exercise.id):
            assert exercise.sets == max(1, (before[exercise.id] or 1) - 1)


def test_a_block_holds_one_small_routine(twelve_weeks: Plan) -> None:
    for block in range(3):
        build_weeks = [w for w in twelve_weeks.weeks[block * 4: block * 4 + 3]
                       if w.phase in ("build", "maintain")]
        for kind in ROUTINE_KINDS:
            sets = [routine_ids(w, kind) for w in build_weeks]
            assert all(s == sets[0] for s in sets), (block, kind, sets)
            assert 2 <= len(sets[0]) <= 6


def test_two_sessions_a_week_do_the_whole_routine_and_cover_its_targets(
        twelve_weeks: Plan, library: Library) -> None:
    """The week's sessions take turns through the routine: none of it is left out, and the
    week still works the glutes and hamstrings (DESIGN: covered each week)."""
    for week in twelve_weeks.weeks[:3]:
        sessions = [s for d in week.days for s in d.sessions if s.kind == "strength"]
        assert len(sessions) == 2
        done = routine_ids(week, "strength")
        assert len(done) == sum(len(s.exercises) for s in sessions) == 4
        targets = {t for exercise_id in done for t in library.get(exercise_id).targets}
        assert {"glutes", "hamstrings"} <= targets


def test_an_exercise_moves_to_its_progression_at_a_block_change(
    twelve_weeks: Plan, library: Library
) -> None:
    moved = []
    for before, after in ((2, 4), (6, 8)):  # the last build week of a block, the next's first
        for kind in ROUTINE_KINDS:
            old = routine_ids(twelve_weeks.weeks[before], kind)
            new = routine_ids(twelve_weeks.weeks[after], kind)
            moved += [(o, n) for o in old for n in new - old
                      if n in library.get(o).progression]
    assert moved


def sessions_of(plan: Plan) -> Iterator[list[PlannedExercise]]:
    for week in plan.weeks:
        for day in week.days:
            for session in day.sessions:
                yield session.exercises


@pytest.mark.parametrize("fields", [
    TWELVE_WEEKS,
    {**TWELVE_WEEKS, "equipment": ["mat", "band", "dumbbells", "kettlebell", "step",
                                   "stability_ball", "bench", "foam_roller"]},
    {**TWELVE_WEEKS, "back": {"pain": 4, "worse_with": "flexion"}},
    {**TWELVE_WEEKS, "back": {"worse_with": "extension"}},
])
def test_never_an_exercise_with_its_easier_or_harder_form_nor_twice(
    library: Library, fields: dict[str, Any]
) -> None:
    for exercises in sessions_of(plan_for(library, **fields)):
        ids = [e.id for e in exercises]
        assert len(ids) == len(set(ids)), ids
        for exercise_id in ids:
            family = library.get(exercise_id).progression + library.get(exercise_id).regression
            assert not set(family) & set(ids), ids


def flare_up(library: Library, old: Plan, week: int, pain: int) -> tuple[Plan, dt.date]:
    date = old.weeks[week - 1].days[2].date
    new = replan_after_flare_up(old, FlareUpReport(date=date, pain=pain), library)
    assert check_plan(new, library) == []
    return new, date


def days_from(plan: Plan, first: dt.date, last: dt.date) -> Iterator[tuple[Week, Day]]:
    for week in plan.weeks:
        for day in week.days:
            if first <= day.date < last:
                yield week, day


def test_calm_weeks_and_the_days_after_a_flare_up_use_easier_forms(
    twelve_weeks: Plan, library: Library
) -> None:
    harder_before = {e for kind in ROUTINE_KINDS for e in routine_ids(twelve_weeks.weeks[8], kind)
                     if library.get(e).regression}
    assert harder_before  # block 3 holds exercises moved up to their harder forms
    new, date = flare_up(library, twelve_weeks, week=10, pain=5)
    for _, day in days_from(new, date, date + dt.timedelta(days=7)):
        for session in day.sessions:
            if session.kind in ROUTINE_KINDS:
                for exercise in session.exercises:
                    assert exercise.id not in harder_before
                    start = library.get(exercise.id).dose.ladder()[0]
                    assert (exercise.sets, exercise.reps, exercise.hold_seconds) == (
                        start.sets, start.reps, start.hold_seconds)


def test_loaded_rotation_is_marked_for_settled_backs_only(library: Library) -> None:
    for exercise_id in LOADED_ROTATION:
        assert {"recent_pain", "disc_herniation", "flexion_intolerant", "flare_up"} <= set(
            library.get(exercise_id).contraindications)


@pytest.mark.parametrize("back", [{"pain": 3}, {"conditions": ["disc_herniation"]}])
def test_no_loaded_rotation_for_pain_above_2_or_a_disc_condition(
    library: Library, back: dict[str, Any]
) -> None:
    plan = plan_for(library, **{**TWELVE_WEEKS, "back": back})
    used = {e.id for exercises in sessions_of(plan) for e in exercises}
    assert not used & LOADED_ROTATION


def test_no_loaded_rotation_within_four_weeks_of_a_flare_up(
    twelve_weeks: Plan, library: Library
) -> None:
    new, date = flare_up(library, twelve_weeks, week=3, pain=6)
    for _, day in days_from(new, date, date + dt.timedelta(weeks=4)):
        for session in day.sessions:
            assert not {e.id for e in session.exercises} & LOADED_ROTATION


def test_a_session_chosen_again_inside_a_plan_keeps_its_block_s_routine_and_dose(
        twelve_weeks: Plan, library: Library) -> None:
    """Re-planning a day of an existing plan (a new worse_with at pain 0-2) chooses from the
    block's routine at that week's dose: a deload week's strength drops its set again."""
    profile = twelve_weeks.athlete
    week = twelve_weeks.weeks[7]
    assert week.phase == "deload"
    day = next(d for d in week.days if any(s.kind == "strength" for s in d.sessions))
    prescriber = prescriber_for(profile, library)
    prescriber.follow({w.index: w.phase for w in twelve_weeks.weeks})
    context = WeekContext(
        index=week.index, avoid=back_avoid(profile), gentle=False,
        cross_training_minutes=30, stand_in=False,
        cross_training_options=("walk",), phase=week.phase)
    again = prescriber.sessions_for(skeleton_of(day), context)
    assert [s for s in again if s.kind == "strength"] == [
        s for s in day.sessions if s.kind == "strength"]


def test_after_a_flare_up_the_block_keeps_easier_forms_and_the_next_carries_on(
        twelve_weeks: Plan, library: Library) -> None:
    """A pain-4 report in week 6: the rest of that block keeps to the easier forms (DESIGN:
    the weeks after a flare-up use the regression); the next block goes back to the routine
    the runner was learning, without moving up to harder forms."""
    revised, _ = flare_up(library, twelve_weeks, week=6, pain=4)
    assert [w.phase for w in revised.weeks[5:9]] == ["calm", "build", "deload", "build"]
    harder = set()
    for kind in ROUTINE_KINDS:
        learning = routine_ids(twelve_weeks.weeks[4], kind)
        harder |= {e for e in learning if library.get(e).regression}
        for week in revised.weeks[6:8]:
            assert not routine_ids(week, kind) & harder, (week.index, kind)
        assert routine_ids(revised.weeks[8], kind) == learning
        # The dose carries on from where it was before the report, not from the start.
        before = {e.id: dose(e) for e in routine_exercises(twelve_weeks.weeks[4], kind)}
        for exercise in routine_exercises(revised.weeks[8], kind):
            assert dose(exercise) >= before[exercise.id]
    assert harder  # the block's routine held harder forms, which the calm weeks swapped


def test_the_whole_routine_all_plan_long_even_at_its_top_doses(library: Library) -> None:
    """Doses climb only as far as two sessions of the routine fit their minutes: in every
    build week of a long bodyweight plan, the runner still does all four exercises."""
    plan = plan_for(library, weeks=16, equipment=[], current_weekly=20, goal_weekly=40)
    for week in plan.weeks:
        if week.phase in ("build", "maintain"):
            for kind in ROUTINE_KINDS:
                assert len(routine_ids(week, kind)) == 4, (week.index, kind)
