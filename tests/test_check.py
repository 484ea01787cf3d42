"""The independent validator catches broken plans (so a passing plan means something)."""

from __future__ import annotations

from backstride.check import check_plan
from backstride.inputs.library import Library
from backstride.plan import Day, Plan, Session, Week
from tests.conftest import plan_for


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


def test_a_missing_deload_is_caught(library: Library) -> None:
    plan = plan_for(library, weeks=4)
    week = plan.weeks[3].model_copy(update={"phase": "build", "deload": False})
    broken = plan.model_copy(update={"weeks": [*plan.weeks[:3], week]})
    assert any("every 4th week" in p for p in check_plan(broken, library))
