"""From a solved day skeleton to sessions: which exercises, how much, and why.

Exercises are chosen per session in a small deterministic step (DESIGN: not
in the week's model): filter the library by equipment and by what the back
must avoid, then rotate through what is left so sessions vary across the week
and across the plan, while every session covers the targets it is there for.
The runs of a week share one warm-up and one cool-down (a routine to learn, not
a new list before every run), and the routine rotates from week to week.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import partial

from backstride.errors import InputError
from backstride.inputs.library import Exercise, Library
from backstride.plan import PlannedExercise, Session
from backstride.rules.reasons import WHY
from backstride.rules.week import (
    COOL_DOWN_MINUTES,
    CORE_MINUTES,
    MOBILITY_MINUTES,
    STRENGTH_MINUTES,
    WALK_MINUTES,
    WARM_UP_MINUTES,
    DayPlan,
    Paces,
)


@dataclass(frozen=True)
class Block:
    """A kind of exercise block: where its exercises come from and what it must cover."""

    name: str
    categories: tuple[str, ...]
    minutes: int
    required_targets: tuple[str, ...] = ()
    max_exercises: int = 5
    required_categories: tuple[str, ...] = ()


WARM_UP = Block("warm-up", ("warm_up",), WARM_UP_MINUTES, max_exercises=4)
COOL_DOWN = Block("cool-down", ("cool_down",), COOL_DOWN_MINUTES, max_exercises=4)
CORE = Block("core", ("core",), CORE_MINUTES, ("core",), max_exercises=4)
STRENGTH = Block("strength", ("strength",), STRENGTH_MINUTES, ("glutes", "hamstrings"), 4)
MOBILITY = Block(
    "mobility", ("hip_mobility", "stretch", "foam_roll"), MOBILITY_MINUTES, (), 5,
    required_categories=("hip_mobility",),
)

RUN_TITLES = {
    "easy": "Easy run",
    "long": "Long run",
    "quality": "Quality run: {workout}",
    "walk_run": "Walk-run",
}
QUALITY_WORKOUTS = ("tempo", "hill repeats", "intervals")
CROSS_TRAINING_TITLES = {
    "swim": "Swim",
    "cycle": "Cycle",
    "yoga": "Yoga",
    "pool_run": "Pool running",
    "elliptical": "Elliptical",
    "walk": "Brisk walk",
}


@dataclass
class WeekContext:
    """What the week's sessions depend on beyond the skeleton."""

    index: int
    avoid: frozenset[str]
    gentle: bool  # calm weeks: prefer low spine load
    paces: Paces
    cross_training_minutes: int
    stand_in: bool
    cross_training_options: tuple[str, ...]


RoutineKey = tuple[int, frozenset[str], bool]  # week, what the back avoids, gentle
Routine = tuple[list[PlannedExercise], list[PlannedExercise]]  # warm-up, cool-down


@dataclass
class Prescriber:
    """Fills sessions with exercises, rotating through the library across the whole plan."""

    library: Library
    equipment: frozenset[str]
    rotation: dict[str, int] = field(default_factory=dict)
    # Filtering the library and building exercise entries repeat every week; keep them.
    _candidate_cache: dict[tuple[str, frozenset[str], bool], list[Exercise]] = field(
        default_factory=dict
    )
    _planned_cache: dict[tuple[str, float], PlannedExercise] = field(default_factory=dict)
    # The warm-up and cool-down of each week, by what the back avoids that day (a flare-up
    # mid-week gives the days after it a routine of their own).
    _routines: dict[RoutineKey, Routine] = field(default_factory=dict)

    def rewind(self, rotation: dict[str, int]) -> None:
        """Back to an earlier `rotation`, to plan a week again: the routines chosen since
        are forgotten too."""
        self.rotation = dict(rotation)
        self._routines.clear()

    def sessions_for(self, day: DayPlan, week: WeekContext) -> list[Session]:
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
        pace = getattr(week.paces, run_type)
        distance_km = day.distance_tenths / 10
        running_minutes = math.ceil(pace * distance_km / 60 - 1e-9)
        warm_up, cool_down = self._run_routine(week)
        title = RUN_TITLES[run_type].format(
            workout=QUALITY_WORKOUTS[week.index % len(QUALITY_WORKOUTS)]
        )
        return Session(
            kind="run",
            title=title,
            run_type=run_type,
            distance_km=distance_km,
            minutes=running_minutes + _block_minutes(warm_up) + _block_minutes(cool_down),
            exercises=warm_up + cool_down,
            why=WHY[run_type],
        )

    def _run_routine(self, week: WeekContext) -> Routine:
        key = (week.index, week.avoid, week.gentle)
        if key not in self._routines:
            self._routines[key] = (self.choose(WARM_UP, week), self.choose(COOL_DOWN, week))
        return self._routines[key]

    def _exercise_session(self, kind: str, title: str, block: Block, week: WeekContext) -> Session:
        exercises = self.choose(block, week)
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

    def choose(self, block: Block, week: WeekContext) -> list[PlannedExercise]:
        """Exercises for one block: safe, available, covering the block's targets, rotated."""
        candidates = self._candidates(block, week)
        if not candidates:
            raise InputError(
                [f"exercise library: no {block.name} exercise fits this runner's equipment and "
                 "back; add one to the library"]
            )
        start = self.rotation.get(block.name, 0) % len(candidates)
        rotated = candidates[start:] + candidates[:start]
        chosen: list[Exercise] = []
        chosen_ids: set[str] = set()
        remaining = float(block.minutes)
        requirements = [partial(_has_target, t) for t in block.required_targets]
        requirements += [partial(_in_category, c) for c in block.required_categories]
        for meets in requirements:
            for exercise in rotated:
                if meets(exercise) and exercise.id not in chosen_ids:
                    if exercise.dose.minutes <= remaining:
                        chosen.append(exercise)
                        chosen_ids.add(exercise.id)
                        remaining -= exercise.dose.minutes
                    break
        for exercise in rotated:
            if len(chosen) >= block.max_exercises:
                break
            # At most one move a sensitive back might object to per session; the rest are
            # the spine-sparing basics.
            risky = bool(exercise.contraindications) and any(c.contraindications for c in chosen)
            if (exercise.id not in chosen_ids and not risky
                    and exercise.dose.minutes <= remaining):
                chosen.append(exercise)
                chosen_ids.add(exercise.id)
                remaining -= exercise.dose.minutes
        if not chosen:
            chosen.append(min(rotated, key=lambda e: e.dose.minutes))
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
        usable = [
            e
            for e in self.library.exercises.values()
            if e.category in block.categories
            and e.fits_equipment(self.equipment)
            and e.is_safe_for(week.avoid)
        ]
        if week.gentle:
            gentle = [e for e in usable if e.spine_load == "low"]
            if len(gentle) >= 3:
                return gentle
        return usable

    def _advance(self, key: str, steps: int) -> int:
        position = self.rotation.get(key, 0)
        self.rotation[key] = position + steps
        return position

    def _planned(self, exercise: Exercise, minutes: float) -> PlannedExercise:
        key = (exercise.id, minutes)
        if key not in self._planned_cache:
            self._planned_cache[key] = PlannedExercise(
                id=exercise.id,
                name=exercise.name,
                sets=exercise.dose.sets,
                reps=exercise.dose.reps,
                hold_seconds=exercise.dose.hold_seconds,
                minutes=minutes,
            )
        return self._planned_cache[key]


def _block_minutes(exercises: list[PlannedExercise]) -> int:
    return math.ceil(sum(e.minutes for e in exercises) - 1e-9)


def _has_target(target: str, exercise: Exercise) -> bool:
    return target in exercise.targets


def _in_category(category: str, exercise: Exercise) -> bool:
    return exercise.category == category
