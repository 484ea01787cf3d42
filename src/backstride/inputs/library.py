"""The exercise library: the model of one exercise, and loading and validating a folder of them.

The library is data (``exercise_library/*.yaml``, a file per category, each a
YAML list of exercises). Everything the scheduler and the renderers know about
an exercise comes from here, so a coach or physio can point backstride at a
library of their own.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from backstride.errors import InputError, format_validation_error
from backstride.inputs.pose import Pose
from backstride.inputs.yamlio import load_yaml_file

Category = Literal[
    "core",
    "strength",
    "hip_mobility",
    "stretch",
    "warm_up",
    "cool_down",
    "foam_roll",
    "cross_training",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

CrossTrainingId = Literal["swim", "cycle", "yoga", "pool_run", "elliptical", "walk"]
CROSS_TRAINING_IDS: tuple[str, ...] = CrossTrainingId.__args__  # type: ignore[attr-defined]

Equipment = Literal[
    "mat", "band", "foam_roller", "dumbbells", "kettlebell", "step", "stability_ball", "bench",
]
EQUIPMENT: tuple[str, ...] = Equipment.__args__  # type: ignore[attr-defined]

Target = Literal[
    "core", "obliques", "glutes", "hamstrings", "hip_flexors", "hip_mobility", "adductors",
    "calves", "quads", "thoracic", "lower_back", "full_body", "cardio", "feet",
]



SETS = Annotated[int, Field(ge=1, le=10)]
REPS = Annotated[int, Field(ge=1, le=100)]
HOLD_SECONDS = Annotated[int, Field(ge=1, le=600)]


def _number_or_range(low: int, high: int) -> WithJsonSchema:
    """The JSON Schema of a dose field as a library file writes it: one number or
    [low, high] (it is read into a range either way)."""
    number = {"type": "integer", "minimum": low, "maximum": high}
    pair = {"type": "array", "items": number, "minItems": 2, "maxItems": 2}
    return WithJsonSchema({"anyOf": [number, pair, {"type": "null"}]})
HOLD_STEP_SECONDS = 5  # a hold grows 5 s at a time (DESIGN: a rep, a set or 5 s of hold)
# For the time a dose takes beyond the library's own estimate at its starting dose.
SECONDS_PER_REP = 3
REST_SECONDS_PER_SET = 30


def _single_value_as_range(value: object) -> object:
    """`3` in the YAML means the dose does not change: the range from 3 to 3."""
    return [value, value] if isinstance(value, int) and not isinstance(value, bool) else value


def _low_not_above_high(value: tuple[int, int] | None) -> tuple[int, int] | None:
    if value is not None and value[0] > value[1]:
        raise ValueError(f"the low end ({value[0]}) is above the high end ({value[1]})")
    return value


@dataclass(frozen=True)
class DoseStep:
    """One concrete dose: what a session prescribes on one day."""

    sets: int | None
    reps: int | None
    hold_seconds: int | None


class Dose(BaseModel):
    """How much of an exercise one session prescribes, and how far it may build.

    `sets`, `reps` and `hold_seconds` are each one number or a ``[low, high]`` range:
    a routine starts at the low end and builds towards the high end (`ladder`).
    """

    model_config = ConfigDict(extra="forbid")

    sets_range: Annotated[tuple[SETS, SETS] | None, _number_or_range(1, 10)] = Field(
        None, alias="sets", description="Sets, or [low, high]; null for a timed block"
    )
    reps_range: Annotated[tuple[REPS, REPS] | None, _number_or_range(1, 100)] = Field(
        None, alias="reps", description="Repetitions per set, or [low, high]"
    )
    hold_range: Annotated[
        tuple[HOLD_SECONDS, HOLD_SECONDS] | None, _number_or_range(1, 600)
    ] = Field(
        None, alias="hold_seconds", description="Hold per repetition in seconds, or [low, high]"
    )
    minutes: float = Field(
        ..., gt=0, le=120, description="Time it takes at the low end, rest included"
    )
    per_side: bool = Field(False, description="Reps or holds are per side")

    _as_ranges = field_validator("sets_range", "reps_range", "hold_range", mode="before")(
        _single_value_as_range
    )
    _ordered = field_validator("sets_range", "reps_range", "hold_range")(_low_not_above_high)

    @property
    def sets(self) -> int | None:
        """Sets at the starting dose."""
        return self.sets_range[0] if self.sets_range else None

    @property
    def reps(self) -> int | None:
        """Repetitions at the starting dose."""
        return self.reps_range[0] if self.reps_range else None

    @property
    def hold_seconds(self) -> int | None:
        """Hold at the starting dose."""
        return self.hold_range[0] if self.hold_range else None

    def ladder(self) -> tuple[DoseStep, ...]:
        """Every dose from the low end to the high end, one step apart: a rep at a time,
        then 5 s of hold at a time, then a set at a time (more work per set before more
        sets, so the session grows in time last)."""
        return _ladder(self.sets_range, self.reps_range, self.hold_range)

    @property
    def start(self) -> DoseStep:
        """The starting dose: the low end of every range."""
        return DoseStep(self.sets, self.reps, self.hold_seconds)

    def minutes_at(self, step: DoseStep) -> float:
        """The library's time at the starting dose, plus the extra work and rest of `step`,
        to the next half minute (never under half a minute)."""
        start = self.start
        extra_seconds = _work_seconds(step, self.per_side) - _work_seconds(start, self.per_side)
        extra_sets = (step.sets or 1) - (start.sets or 1)
        extra_seconds += extra_sets * REST_SECONDS_PER_SET
        return max(0.5, math.ceil((self.minutes + extra_seconds / 60) * 2 - 1e-9) / 2)


Range = tuple[int, int] | None


@functools.lru_cache(maxsize=1024)  # a routine asks for its exercises' ladders every week
def _ladder(sets_range: Range, reps_range: Range, hold_range: Range) -> tuple[DoseStep, ...]:
    sets, reps, hold = (None if r is None else r[0] for r in (sets_range, reps_range, hold_range))
    steps = [DoseStep(sets, reps, hold)]
    while reps_range and reps is not None and reps < reps_range[1]:
        reps += 1
        steps.append(DoseStep(sets, reps, hold))
    while hold_range and hold is not None and hold < hold_range[1]:
        hold = min(hold + HOLD_STEP_SECONDS, hold_range[1])
        steps.append(DoseStep(sets, reps, hold))
    while sets_range and sets is not None and sets < sets_range[1]:
        sets += 1
        steps.append(DoseStep(sets, reps, hold))
    return tuple(steps)


def _work_seconds(step: DoseStep, per_side: bool) -> int:
    per_set = (step.reps or 1) * (step.hold_seconds or SECONDS_PER_REP)
    if step.reps is None and step.hold_seconds is None:
        per_set = 0
    return (step.sets or 1) * per_set * (2 if per_side else 1)


class Exercise(BaseModel):
    """One exercise of the library, with everything a runner needs to do it well."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Stable id, a slug")
    name: str = Field(..., min_length=1)
    category: Category
    targets: list[Target] = Field(..., min_length=1)
    equipment: list[Equipment] = Field(default_factory=list)
    impact: Literal["none", "low", "moderate", "high"]
    spine_load: Literal["low", "moderate", "high"]
    dose: Dose
    progression: list[str] = Field(default_factory=list, description="Ids of harder variants")
    regression: list[str] = Field(default_factory=list, description="Ids of easier variants")
    contraindications: list[str] = Field(
        default_factory=list,
        description="flexion_intolerant, extension_intolerant, flare_up or a diagnosis id",
    )
    cues: list[str] = Field(..., min_length=1, description="Form cues, one line each")
    why: str = Field(..., min_length=1, description="One line: why it is in a back-care plan")
    pose: Pose = Field(..., description="Start and end position, drawn in the printed plan")

    @field_validator("contraindications")
    @classmethod
    def _known_or_diagnosis(cls, values: list[str]) -> list[str]:
        for value in values:
            if not value.replace("_", "").isalnum() or value != value.lower():
                raise ValueError(f"'{value}' is not a contraindication id (lower_snake_case)")
        return values

    def is_safe_for(self, avoid: frozenset[str]) -> bool:
        """True when none of this exercise's contraindications is in `avoid`."""
        return not avoid.intersection(self.contraindications)

    def fits_equipment(self, equipment: Collection[str]) -> bool:
        return all(item in equipment for item in self.equipment)


class Library(BaseModel):
    """All exercises, by id, in a stable order (file name, then position in file)."""

    exercises: dict[str, Exercise]

    def get(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def find(self, exercise_id: str) -> Exercise:
        """The exercise a user asked for by id, or an InputError suggesting close ids."""
        if exercise_id not in self.exercises:
            close = [i for i in self.exercises if exercise_id.lower() in i][:5]
            hint = (f"; did you mean {', '.join(close)}?" if close
                    else "; see `backstride library list`")
            raise InputError([f"no exercise with id '{exercise_id}' in the library{hint}"])
        return self.exercises[exercise_id]

    def by_category(self, category: str) -> list[Exercise]:
        return [e for e in self.exercises.values() if e.category == category]

    def __len__(self) -> int:
        return len(self.exercises)


MAX_EXERCISES = 5_000


def default_library_dir() -> Path:
    """The library shipped inside the installed package."""
    return Path(str(files("backstride.exercise_library")))


def load_library(directory: Path | None = None) -> Library:
    """Load and validate every ``*.yaml`` file in `directory`.

    Raises InputError listing every problem found, one per line, each naming
    the file and the exercise.
    """
    directory = directory or default_library_dir()
    if not directory.is_dir():
        raise InputError([f"{directory}: not a folder; give the folder holding the *.yaml files"])
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise InputError([f"{directory}: no *.yaml exercise files in this folder"])
    problems: list[str] = []
    exercises: dict[str, Exercise] = {}
    where: dict[str, str] = {}
    for path in paths:
        for exercise, location in _load_file(path, problems):
            if exercise.id in exercises:
                problems.append(
                    f"{location}: id '{exercise.id}' is already used in {where[exercise.id]}"
                )
                continue
            exercises[exercise.id] = exercise
            where[exercise.id] = location
    if len(exercises) > MAX_EXERCISES:
        problems.append(
            f"{directory}: {len(exercises):,} exercises; a library holds at most "
            f"{MAX_EXERCISES:,} (each plan's choice looks through all of them)"
        )
    problems.extend(_cross_reference_problems(exercises, where))
    if problems:
        raise InputError(problems)
    return Library(exercises=exercises)


def _load_file(path: Path, problems: list[str]) -> list[tuple[Exercise, str]]:
    try:
        data = load_yaml_file(path)
    except InputError as error:
        problems.extend(error.problems)
        return []
    if not isinstance(data, list):
        problems.append(f"{path}: must be a YAML list of exercises")
        return []
    loaded = []
    for position, item in enumerate(data, start=1):
        label = item.get("id", f"#{position}") if isinstance(item, dict) else f"#{position}"
        location = f"{path.name}: exercise {label}"
        if not isinstance(item, dict):
            problems.append(f"{location}: must be a mapping of fields")
            continue
        try:
            loaded.append((Exercise.model_validate(item), location))
        except ValidationError as error:
            problems.extend(format_validation_error(error, location))
    return loaded


def _cross_reference_problems(exercises: dict[str, Exercise], where: dict[str, str]) -> list[str]:
    problems = []
    for exercise in exercises.values():
        for field in ("progression", "regression"):
            for other in getattr(exercise, field):
                if other not in exercises:
                    problems.append(
                        f"{where[exercise.id]}: {field}: no exercise with id '{other}' "
                        "in the library"
                    )
        if exercise.category == "cross_training" and exercise.id not in CROSS_TRAINING_IDS:
            problems.append(
                f"{where[exercise.id]}: id: a cross_training exercise must be one of "
                f"{', '.join(CROSS_TRAINING_IDS)}"
            )
    return problems
