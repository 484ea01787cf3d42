"""From a solved day skeleton to sessions: which exercises, how much, and why.

Exercises are chosen per session in a small deterministic step (DESIGN: not
in the week's model): filter the library by equipment and by what the back
must avoid, then pick what covers the targets each session is there for.

Core and strength follow a routine the runner learns (DESIGN: about 4-6 of each,
held for a block of 4 weeks, the deload cycle). Within a block the dose climbs a
step each build week along the library's dose range; the next block moves an
exercise that reached its top dose to its `progression`; calm and return weeks
and the days after a flare-up use the `regression`. The warm-up, the cool-down
and the mobility session are routines too, kept all plan long: a calm week and
a flare-up's days, whose back avoids more, get versions of their own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TypeVar

from backstride.errors import InputError
from backstride.inputs.library import DoseStep, Exercise, Library
from backstride.plan import PlannedExercise, Session
from backstride.rules import workouts
from backstride.rules.blocks import (
    COOL_DOWN,
    CORE,
    CROSS_TRAINING_TITLES,
    MOBILITY,
    ROUTINE_BLOCKS,
    STRENGTH,
    WARM_UP,
    Block,
)
from backstride.rules.progression import (
    BUILDING_PHASES,
    CALM_PHASES,
    WEEKS_PER_BLOCK,
    block_of,
    first_week_of,
)
from backstride.rules.reasons import WHY
from backstride.rules.week import (
    WALK_MINUTES,
    DayPlan,
)

ROUTINE_SIZE = 4  # per core and per strength routine (DESIGN: about 4-6); 2 sessions of 2
ROUTINE_SESSIONS_A_WEEK = 2  # core and strength each come 2-3 days a week
SPINE_LOAD_ORDER = {"low": 0, "moderate": 1, "high": 2}
T = TypeVar("T")


@dataclass
class WeekContext:
    """What the week's sessions depend on beyond the skeleton."""

    index: int
    avoid: frozenset[str]
    gentle: bool  # calm weeks: prefer low spine load
    cross_training_minutes: int
    stand_in: bool
    cross_training_options: tuple[str, ...]
    phase: str = "build"  # the week's phase: where the routine's dose stands

    @property
    def easier(self) -> bool:
        """Calm and return weeks, and days a flare-up's rules cover, use regressions."""
        return self.phase in CALM_PHASES or "flare_up" in self.avoid


@dataclass(frozen=True)
class RoutineEntry:
    """One exercise of a block's routine, where on its dose ladder the block starts, and
    the highest step it climbs to: the library's top, or lower where a higher dose would
    take more than the exercise's share of a session."""

    exercise: Exercise
    start_step: int
    top: int


@dataclass(frozen=True)
class BlockRoutine:
    """The core or strength exercises of one block, and how many make one session."""

    entries: tuple[RoutineEntry, ...]
    per_session: int


Choice = tuple[Exercise, DoseStep]


KeptKey = tuple[str, frozenset[str], bool]  # block, what the back avoids, gentle


@dataclass
class Prescriber:
    """Fills sessions with exercises: core and strength from the block's routine, the
    warm-up, cool-down and mobility from routines kept all plan long; cross-training takes
    turns through the runner's activities."""

    library: Library
    equipment: frozenset[str]
    # What the back avoids all plan long: routines are chosen within it (`back_avoid`).
    routine_avoid: frozenset[str] = frozenset()
    rotation: dict[str, int] = field(default_factory=dict)
    # The runner's paces and experience shape each run.
    runner_paces: workouts.RunnerPaces = field(kw_only=True)
    experience: str = field(default="novice", kw_only=True)
    # Filtering the library and building exercise entries repeat every week; keep them.
    _candidate_cache: dict[tuple[str, frozenset[str], bool], list[Exercise]] = field(
        default_factory=dict
    )
    _planned_cache: dict[tuple[str, float, DoseStep], PlannedExercise] = field(default_factory=dict)
    # The warm-up, cool-down and mobility routines, by what the back avoids and gentleness.
    _kept: dict[KeptKey, list[PlannedExercise]] = field(default_factory=dict)
    # Each week's phase, as planned: how far each block's routine has built.
    _phases: dict[int, str] = field(default_factory=dict)
    _block_routines: dict[tuple[str, int], BlockRoutine] = field(default_factory=dict)
    # The targets each week's routine sessions have covered so far, by block and week.
    _covered: dict[tuple[str, int], set[str]] = field(default_factory=dict)

    def rewind(self, rotation: dict[str, int]) -> None:
        """Back to an earlier `rotation`, to plan a week again: the routines chosen since
        are forgotten too (and chosen again the same way from the weeks' phases)."""
        self.rotation = dict(rotation)
        self._kept.clear()
        self._block_routines.clear()
        self._covered.clear()

    def follow(self, phases: Mapping[int, str]) -> None:
        """Take an existing plan's week phases, to choose its sessions again as it did."""
        self._phases.update(phases)

    def sessions_for(self, day: DayPlan, week: WeekContext) -> list[Session]:
        self._phases[week.index] = week.phase
        sessions: list[Session] = []
        if day.run_type is not None:
            sessions.append(self._run_session(day, week))
        if day.core:
            sessions.append(self._exercise_session("core", "Core stability", CORE, week))
        if day.strength:
            sessions.append(
                self._exercise_session("strength", "Hip, glute and hamstring strength", STRENGTH,
                                       week)
            )
        if day.cross_training:
            sessions.append(self._cross_training_session(week))
        if day.mobility:
            sessions.append(
                self._exercise_session("mobility", "Hip mobility and stretching", MOBILITY, week)
            )
        if day.walk:
            sessions.append(self._walk_session())
        return sessions

    def _run_session(self, day: DayPlan, week: WeekContext) -> Session:
        run_type = day.run_type or "easy"
        paces = self.runner_paces
        spell = workouts.return_started(self._phases, week.index)
        run = workouts.run_plan(
            run_type, day.distance_tenths * 100, paces, experience=self.experience,
            week_index=week.index, level=workouts.workout_level(self._phases, week.index),
            walk_run_number=self._advance(f"walk-run from week {spell}", 1)
            if run_type == "walk_run" else 0,
        )
        warm_up, cool_down = (self._kept_routine(b, week) for b in (WARM_UP, COOL_DOWN))
        warm_up_minutes = _block_minutes(warm_up) + _block_minutes(cool_down)
        return Session(
            kind="run", title=workouts.RUN_TITLES[run_type].format(workout=run.name),
            run_type=run_type, distance_km=day.distance_tenths / 10,
            minutes=run.minutes + warm_up_minutes, exercises=warm_up + cool_down,
            why=f"{WHY[run_type]} {paces.describe()}", effort=run.effort, pace=run.pace,
            run_minutes=run.minutes, warm_up_minutes=warm_up_minutes, steps=run.steps,
        )

    def _kept_routine(self, block: Block, week: WeekContext) -> list[PlannedExercise]:
        """The warm-up, cool-down or mobility routine: one for the whole plan, so the runner
        learns it, while the back allows it (DESIGN: a runner learns a routine)."""
        key = (block.name, week.avoid, week.gentle)
        if key not in self._kept:
            self._kept[key] = self.choose(block, week, rotate=False)
        return self._kept[key]

    def _exercise_session(self, kind: str, title: str, block: Block, week: WeekContext) -> Session:
        if block in ROUTINE_BLOCKS:
            exercises = self._routine_session(block, week)
        else:
            exercises = self._kept_routine(block, week)
        return Session(
            kind=kind,
            title=title,
            minutes=_block_minutes(exercises),
            exercises=exercises,
            why=WHY[kind],
        )

    def _cross_training_session(self, week: WeekContext) -> Session:
        options = week.cross_training_options
        activity = options[self._advance("cross_training", 1) % len(options)]
        minutes = week.cross_training_minutes
        return Session(
            kind="cross_training",
            title=f"{CROSS_TRAINING_TITLES[activity]} {minutes} min",
            minutes=minutes,
            exercises=[self._planned(self.library.get(activity), minutes)]
            if activity in self.library.exercises
            else [],
            why=WHY["stand_in" if week.stand_in else "cross_training"],
        )

    def _walk_session(self) -> Session:
        # No exercise entry: `walk` in the library is the cross-training activity, which a
        # runner may not list; an easy walk needs no access to anything.
        return Session(
            kind="walk",
            title=f"Walk {WALK_MINUTES} min",
            minutes=WALK_MINUTES,
            exercises=[],
            why=WHY["walk"],
        )

    def choose(self, block: Block, week: WeekContext, rotate: bool = True
               ) -> list[PlannedExercise]:
        """Exercises for one block: safe, available, covering the block's targets; rotated
        through the library, or (`rotate` off) always from its start, so that versions for
        backs that avoid more keep what they can of the usual one."""
        candidates = self._candidates(block, week)
        if not candidates:
            raise InputError(
                [f"exercise library: no {block.name} exercise fits this runner's equipment and "
                 "back; add one to the library"]
            )
        start = self.rotation.get(block.name, 0) % len(candidates) if rotate else 0
        rotated = candidates[start:] + candidates[:start]
        chosen: list[Exercise] = []
        remaining = float(block.minutes)
        requirements = [partial(_has_target, t) for t in block.required_targets]
        requirements += [partial(_in_category, c) for c in block.required_categories]
        for meets in requirements:
            for exercise in rotated:
                if meets(exercise) and _fits_with(exercise, chosen):
                    if exercise.dose.minutes <= remaining:
                        chosen.append(exercise)
                        remaining -= exercise.dose.minutes
                    break
        for exercise in rotated:
            if len(chosen) >= block.max_exercises:
                break
            # At most one move a sensitive back might object to per session; the rest are
            # the spine-sparing basics.
            risky = bool(exercise.contraindications) and any(c.contraindications for c in chosen)
            if _fits_with(exercise, chosen) and not risky and exercise.dose.minutes <= remaining:
                chosen.append(exercise)
                remaining -= exercise.dose.minutes
        if not chosen:
            chosen.append(min(rotated, key=lambda e: e.dose.minutes))
        if rotate:
            self._advance(block.name, len(chosen))
        order = {exercise.id: position for position, exercise in enumerate(rotated)}
        chosen.sort(key=lambda e: order[e.id])
        return [self._planned(e, e.dose.minutes) for e in chosen]

    def _candidates(self, block: Block, week: WeekContext) -> list[Exercise]:
        key = (block.name, week.avoid, week.gentle)
        if key not in self._candidate_cache:
            self._candidate_cache[key] = self._filter(block, week)
        return self._candidate_cache[key]

    def _filter(self, block: Block, week: WeekContext) -> list[Exercise]:
        # The block's categories in its order (hip mobility before foam rolling), each in
        # library order.
        usable = sorted((e for e in self.library.exercises.values()
                         if self._usable(block, week.avoid, e)),
                        key=lambda e: block.categories.index(e.category))
        if week.gentle:
            gentle = [e for e in usable if e.spine_load == "low"]
            if len(gentle) >= 3:
                return gentle
        return usable

    def _advance(self, key: str, steps: int) -> int:
        position = self.rotation.get(key, 0)
        self.rotation[key] = position + steps
        return position

    def _planned(
        self, exercise: Exercise, minutes: float, step: DoseStep | None = None
    ) -> PlannedExercise:
        """The plan's entry for `exercise` at `step` (its starting dose by default)."""
        step = step or exercise.dose.start
        key = (exercise.id, minutes, step)
        if key not in self._planned_cache:
            self._planned_cache[key] = PlannedExercise(
                id=exercise.id,
                name=exercise.name,
                sets=step.sets,
                reps=step.reps,
                hold_seconds=step.hold_seconds,
                minutes=minutes,
            )
        return self._planned_cache[key]

    # --- routines: core and strength ---------------------------------------------------------

    def _routine_session(self, block: Block, week: WeekContext) -> list[PlannedExercise]:
        """One session from the block's routine: the week's sessions take turns through it,
        so the week does all of it, and the block's required targets that the week's earlier
        sessions left open come first."""
        routine = self._block_routine(block, block_of(week.index))
        slot = self._advance(f"{block.name} in week {week.index}", 1)
        start = slot * routine.per_session % len(routine.entries)
        entries = routine.entries[start:] + routine.entries[:start]
        options = [c for c in (self._today(e, block, week) for e in entries) if c is not None]
        covered = self._covered.setdefault((block.name, week.index), set())
        open_targets = [t for t in block.required_targets if t not in covered]
        chosen: list[Choice] = []
        remaining = float(block.minutes)
        for exercise, step in _targets_first(options, open_targets):
            minutes = exercise.dose.minutes_at(step)
            if (len(chosen) < routine.per_session and minutes <= remaining
                    and _fits_with(exercise, [other for other, _ in chosen])):
                chosen.append((exercise, step))
                remaining -= minutes
        if not chosen:  # nothing of the routine suits this day's back: the general choice
            return self.choose(block, week)
        covered.update(target for exercise, _ in chosen for target in exercise.targets)
        order = {exercise.id: position for position, (exercise, _) in enumerate(options)}
        chosen.sort(key=lambda choice: order[choice[0].id])
        return [self._planned(e, e.dose.minutes_at(step), step) for e, step in chosen]

    def _today(self, entry: RoutineEntry, block: Block, week: WeekContext) -> Choice | None:
        """What `entry` becomes this week: its dose for the week's place in the block, or
        in an easier week, in the rest of a block after a calm or return week, or when the
        back must avoid it today, its regression at the regression's starting dose; None
        when nothing of it suits the day."""
        exercise = entry.exercise
        usable = partial(self._usable, block, week.avoid)
        if week.easier or self._after_a_calm_week(week.index) or not usable(exercise):
            easier = next((self.library.get(r) for r in exercise.regression
                           if usable(self.library.get(r))), None)
            if easier is not None:
                return easier, easier.dose.start
            return (exercise, exercise.dose.start) if usable(exercise) else None
        ladder = exercise.dose.ladder()
        built = self._building_weeks(week.index)
        if week.phase == "deload":
            # The last build week's dose, one set fewer (DESIGN: a deload drops a set).
            last = ladder[min(entry.start_step + max(built - 1, 0), entry.top)]
            return exercise, replace(last, sets=max(1, last.sets - 1)) if last.sets else last
        return exercise, ladder[min(entry.start_step + built, entry.top)]

    def _after_a_calm_week(self, week_index: int, whole_block: bool = False) -> bool:
        """Whether a calm or return week came earlier in `week_index`'s block (or anywhere in
        it): the weeks after a flare-up keep to the easier forms until the next block (DESIGN),
        and that block's routine moves no exercise up."""
        return any(phase in CALM_PHASES for phase in self._block_phases(week_index, whole_block))

    def _usable(self, block: Block, avoid: frozenset[str], exercise: Exercise) -> bool:
        return (exercise.category in block.categories and exercise.is_safe_for(avoid)
                and exercise.fits_equipment(self.equipment))

    def _building_weeks(self, week_index: int, whole_block: bool = False) -> int:
        """Build or maintain weeks of `week_index`'s block before it (or in all of it) that
        did the routine: none after a calm or return week, whose block ends on easier forms."""
        built = 0
        for phase in self._block_phases(week_index, whole_block):
            if phase in CALM_PHASES:
                break
            built += phase in BUILDING_PHASES
        return built

    def _block_phases(self, week_index: int, whole_block: bool) -> list[str | None]:
        """The phases of the weeks of `week_index`'s block before it (or all of them)."""
        first = first_week_of(block_of(week_index))
        last = first + WEEKS_PER_BLOCK if whole_block else week_index
        return [self._phases.get(index) for index in range(first, last)]

    def _block_routine(self, block: Block, number: int) -> BlockRoutine:
        key = (block.name, number)
        if key not in self._block_routines:
            earlier = number - 1
            if first_week_of(earlier) in self._phases:
                previous = self._block_routine(block, earlier)
                entries = self._next_entries(block, previous, earlier)
            else:
                entries = self._first_entries(block)
            self._block_routines[key] = BlockRoutine(entries, _per_session(block, len(entries)))
        return self._block_routines[key]

    def _first_entries(self, block: Block) -> tuple[RoutineEntry, ...]:
        """A new routine: the spine-sparing, easiest forms first (an exercise with fewer
        regressions below it), covering the block's targets, no two of one family."""
        pool = self._routine_pool(block)
        position = {exercise.id: place for place, exercise in enumerate(pool)}
        pool.sort(key=lambda e: (SPINE_LOAD_ORDER[e.spine_load], self._depth(e), position[e.id]))
        chosen: list[Exercise] = []
        for exercise, _ in _targets_first([(e, None) for e in pool], block.required_targets):
            if len(chosen) < ROUTINE_SIZE and _fits_with(exercise, chosen):
                chosen.append(exercise)
        if not chosen:
            raise InputError(
                [f"exercise library: no {block.name} exercise fits this runner's equipment and "
                 "back; add one to the library"]
            )
        return tuple(_entry(e, 0, block, len(chosen)) for e in chosen)

    def _next_entries(
        self, block: Block, previous: BlockRoutine, number: int
    ) -> tuple[RoutineEntry, ...]:
        """The routine after block `number`: each exercise that reached its top dose in a
        block without calm weeks (pain 2 or less) moves to its progression at the
        progression's starting dose; the others carry on from where they got to."""
        built = self._building_weeks(first_week_of(number), whole_block=True)
        settled = not self._after_a_calm_week(first_week_of(number), whole_block=True)
        pool = self._routine_pool(block)
        entries = list(previous.entries)
        for place, entry in enumerate(entries):
            reached = entry.start_step + built - 1
            others = [e.exercise for e in entries if e is not entry]
            harder = next((e for e in pool if e.id in entry.exercise.progression
                           and _fits_with(e, others)), None)
            if settled and built and reached >= entry.top and harder is not None:
                entries[place] = _entry(harder, 0, block, len(entries))
            else:
                entries[place] = _entry(entry.exercise, min(entry.start_step + built,
                                                            entry.top), block, len(entries))
        return tuple(entries)

    def _routine_pool(self, block: Block) -> list[Exercise]:
        return [e for e in self.library.exercises.values()
                if self._usable(block, self.routine_avoid, e)]

    def _depth(self, exercise: Exercise) -> int:
        """How many regressions lie below `exercise` in the library (its first one each)."""
        depth, seen = 0, {exercise.id}
        while exercise.regression and exercise.regression[0] not in seen:
            exercise = self.library.get(exercise.regression[0])
            seen.add(exercise.id)
            depth += 1
        return depth



def _per_session(block: Block, routine_size: int) -> int:
    """How many of the routine one session holds: the week's two sessions (the fewest a week
    has) do all of it between them."""
    return min(math.ceil(routine_size / ROUTINE_SESSIONS_A_WEEK), block.max_exercises)


def _entry(exercise: Exercise, start_step: int, block: Block, routine_size: int
           ) -> RoutineEntry:
    """`exercise` in a routine of `routine_size`, climbing no higher than its share of a
    session's minutes allows (never below its starting dose), so that every session, and a
    deload week, fits the time the scheduler gave it."""
    share = block.minutes / _per_session(block, routine_size)
    ladder = exercise.dose.ladder()
    fitting = [step for step, dose in enumerate(ladder) if exercise.dose.minutes_at(dose) <= share]
    top = max(fitting, default=0)
    return RoutineEntry(exercise, min(start_step, top), top)


def _block_minutes(exercises: list[PlannedExercise]) -> int:
    return math.ceil(sum(e.minutes for e in exercises) - 1e-9)


def _has_target(target: str, exercise: Exercise) -> bool:
    return target in exercise.targets


def _in_category(category: str, exercise: Exercise) -> bool:
    return exercise.category == category


def _targets_first(options: Sequence[tuple[Exercise, T]],
                   targets: Sequence[str]) -> list[tuple[Exercise, T]]:
    """`options` with, first, the first option covering each of `targets`."""
    front: list[tuple[Exercise, T]] = []
    for target in targets:
        covering = next((o for o in options if target in o[0].targets), None)
        if covering is not None and covering not in front:
            front.append(covering)
    return front + [option for option in options if option not in front]


def _related(one: Exercise, other: Exercise) -> bool:
    """The same exercise, or one the easier or harder form of the other."""
    return (one.id == other.id or other.id in one.progression or other.id in one.regression
            or one.id in other.progression or one.id in other.regression)


def _fits_with(exercise: Exercise, chosen: Sequence[Exercise]) -> bool:
    return not any(_related(exercise, other) for other in chosen)



