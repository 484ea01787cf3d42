"""The plan: the public JSON contract of DESIGN.md, as pydantic models.

Distances are in km whatever the runner's display units. Serialising the same
plan always gives the same bytes (no timestamps, fixed key order).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backstride.inputs.profile import Profile

# 2: runs carry an effort, a pace range, their running and warm-up minutes and their steps.
# Plans of version 1 (kept in the history) still load: the new fields default to none.
SCHEMA_VERSION = 2
DISCLAIMER = (
    "This plan is general exercise guidance, not medical advice. It does not replace an "
    "assessment by a doctor or physiotherapist. Stop and seek care if pain gets worse, "
    "spreads down a leg, or comes with numbness, weakness, fever or bladder or bowel changes."
)

SessionKind = Literal["run", "core", "strength", "mobility", "cross_training", "walk"]
RunType = Literal["easy", "long", "quality", "walk_run"]
Phase = Literal["build", "deload", "maintain", "calm", "return"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlannedExercise(_Frozen):
    id: str = Field(..., description="Exercise id in the library")
    name: str
    sets: int | None
    reps: int | None
    hold_seconds: int | None
    minutes: float


class Effort(_Frozen):
    """How hard, in words a runner can check mid-run."""

    rpe: tuple[int, int] = Field(..., description="Rate of perceived exertion, 1-10: [low, high]")
    talk: str = Field(..., description='The talk test: "full sentences", "a few words", ...')


class PaceRange(_Frozen):
    """A pace range in seconds per km (slow end first)."""

    slow_s_per_km: int = Field(..., gt=0)
    fast_s_per_km: int = Field(..., gt=0)


StepKind = Literal["warm_up", "run", "recover", "walk", "cool_down", "repeat"]


class Step(_Frozen):
    """One step of a run as a watch would run it; a `repeat` runs its `steps` `times` times.
    A step lasts `duration_s` or `distance_m` (one of them, or neither for a repeat)."""

    kind: StepKind
    duration_s: int | None = Field(None, ge=1)
    distance_m: int | None = Field(None, ge=1)
    effort: Effort | None = None
    pace: PaceRange | None = None
    steps: list[Step] = Field(default_factory=list, description="The repeated steps")
    times: int | None = Field(None, ge=1, description="How often a repeat runs its steps")


class Session(_Frozen):
    kind: SessionKind
    title: str
    run_type: RunType | None = None
    distance_km: float | None = Field(None, description="Running distance in km (runs only)")
    minutes: int = Field(..., ge=0, description="Whole session, warm-up and cool-down included")
    exercises: list[PlannedExercise] = Field(default_factory=list)
    why: str
    # Runs only (schema version 2):
    effort: Effort | None = None
    pace: PaceRange | None = Field(None, description="Null where no pace is known")
    run_minutes: int | None = Field(None, ge=0, description="Running minutes at the pace")
    warm_up_minutes: int | None = Field(
        None, ge=0, description="The warm-up and cool-down exercises' minutes beside the run"
    )
    steps: list[Step] = Field(default_factory=list, description="The run as a workout")


class Day(_Frozen):
    date: dt.date
    rest: bool = Field(..., description="A full rest day: no run, core, strength or cross-training")
    sessions: list[Session] = Field(default_factory=list)


class Week(_Frozen):
    index: int = Field(..., ge=1)
    start: dt.date
    target_km: float
    planned_km: float
    deload: bool
    phase: Phase
    days: list[Day]


class Referral(_Frozen):
    reason: str = Field(..., description="Why no training plan was given")
    advice: str
    red_flags: list[str] = Field(default_factory=list)
    pain: int


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    athlete: Profile
    revision: int = 1
    revised_from: dict[str, object] | None = None
    referral: Referral | None = None
    notes: list[str] = Field(default_factory=list, description="Warnings and advice in words")
    disclaimer: str = DISCLAIMER
    weeks: list[Week] = Field(default_factory=list)

    def training_days(self) -> frozenset[dt.date]:
        """The days that have at least one session."""
        return frozenset(day.date for week in self.weeks for day in week.days if day.sessions)

    def days_changed_from(self, old: Plan, since: dt.date) -> list[Day]:
        """This plan's days from `since` whose sessions differ from `old`'s that day."""
        before = {day.date: day for week in old.weeks for day in week.days}
        return [day for week in self.weeks for day in week.days
                if day.date >= since and before.get(day.date) != day]

    def referral_day(self) -> dt.date | None:
        """The day training stops for a referral: the report's day, or the plan's start."""
        if self.referral is None:
            return None
        stopped = (self.revised_from or {}).get("date") or self.athlete.start
        return dt.date.fromisoformat(str(stopped))

    def to_json(self) -> str:
        """The canonical plan.json text: the same plan always gives the same bytes.

        The text `json.dumps(..., indent=2, ensure_ascii=False)` writes, written by
        pydantic's serializer: Python's json module indents in pure Python, 8x slower
        (16 ms against 2 ms for a 12-week plan, written twice for every runner of a squad).
        """
        return self.model_dump_json(indent=2) + "\n"
