"""The checks of core and strength routines: one small routine a block, each dose within the
library's range (DESIGN: Strength, core and mobility)."""

from __future__ import annotations

from collections.abc import Iterator

from backstride.check.days import CALM_SPELL, flare_up_date, is_lived, plan_days, where
from backstride.inputs.library import Exercise, Library
from backstride.plan import Plan, PlannedExercise, Week
from backstride.rules.blocks import ROUTINE_KINDS
from backstride.rules.progression import BUILDING_PHASES, block_of

MAX_ROUTINE_SIZE = 6  # DESIGN: about 4-6 core and 4-6 strength exercises a block
ROUTINE_PHASES = (*BUILDING_PHASES, "deload")


def doses_within_the_library_range(plan: Plan, library: Library) -> Iterator[str]:
    """Every planned set, rep and hold within the library's range for the exercise; a deload
    week's core and strength may drop one set below it (DESIGN: strength drops a set)."""
    for week, day in plan_days(plan):
        if is_lived(plan, day):
            continue
        for session in day.sessions:
            for planned in session.exercises:
                exercise = library.exercises.get(planned.id)
                if exercise is None:
                    continue
                one_set_fewer = week.deload and session.kind in ROUTINE_KINDS
                for problem in _out_of_range(planned, exercise, one_set_fewer):
                    yield f"{where(week, day)}: {session.title}: {exercise.name} {problem}"


def _out_of_range(planned: PlannedExercise, exercise: Exercise,
                  one_set_fewer: bool) -> Iterator[str]:
    dose = exercise.dose
    for field, value, allowed in (
        ("sets", planned.sets, dose.sets_range),
        ("reps", planned.reps, dose.reps_range),
        ("hold", planned.hold_seconds, dose.hold_range),
    ):
        if value is None or allowed is None:
            continue
        low, high = allowed
        if field == "sets" and one_set_fewer:
            low = max(1, low - 1)
        if not low <= value <= high:
            yield f"{field} {value} is outside the library's {low}-{high}"


def one_routine_a_block(plan: Plan, library: Library) -> Iterator[str]:
    """A block's core (and its strength) sessions hold one small routine: at most
    `MAX_ROUTINE_SIZE` exercises in its build, maintain and deload days. Calm and return
    weeks and the calm spell after a flare-up report swap in easier forms, so they are not
    counted."""
    reported = flare_up_date(plan)
    blocks: dict[int, list[Week]] = {}
    for week in plan.weeks:
        blocks.setdefault(block_of(week.index), []).append(week)
    for weeks in blocks.values():
        days = [day for week in weeks if week.phase in ROUTINE_PHASES for day in week.days
                if not is_lived(plan, day)
                and not (reported is not None and day.date < reported + CALM_SPELL)]
        for kind in ROUTINE_KINDS:
            used = {planned.id for day in days for session in day.sessions
                    if session.kind == kind for planned in session.exercises}
            if len(used) > MAX_ROUTINE_SIZE:
                yield (f"{where(weeks[0])}: the block's {kind} sessions hold {len(used)} "
                       f"exercises; a routine is at most {MAX_ROUTINE_SIZE}")
