"""The exercise library: the model of one exercise, and loading and validating a folder of them.

The library is data (``exercise_library/*.yaml``, a file per category, each a
YAML list of exercises). Everything the scheduler and the renderers know about
an exercise comes from here, so a coach or physio can point backstride at a
library of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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



class Dose(BaseModel):
    """How much of an exercise one session prescribes."""

    model_config = ConfigDict(extra="forbid")

    sets: int | None = Field(None, ge=1, le=10, description="Sets, or null for a timed block")
    reps: int | None = Field(None, ge=1, le=100, description="Repetitions per set")
    hold_seconds: int | None = Field(None, ge=1, le=600, description="Hold per repetition")
    minutes: float = Field(..., gt=0, le=120, description="Time it takes, rest included")
    per_side: bool = Field(False, description="Reps or holds are per side")


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

    def fits_equipment(self, equipment: Iterable[str]) -> bool:
        return set(self.equipment) <= set(equipment)


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
