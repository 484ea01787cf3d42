"""One week as the scheduler sees it: the request it solves and the day skeletons it returns.

Plain data, shared by the scheduler (which reads a `WeekRequest` and returns a
`DayPlan` per day), its constraints, the planner that fills in the requests and
`prescribe`, which turns each `DayPlan` into sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

DAYS = range(7)

# Minutes reserved in the day for each kind of session; `prescribe` fills
# each one with exercises that fit inside it.
WARM_UP_MINUTES = 6
COOL_DOWN_MINUTES = 6
CORE_MINUTES = 10
STRENGTH_MINUTES = 12
MOBILITY_MINUTES = 8
WALK_MINUTES = 20
WALK_RUN_MIN_MINUTES = 20  # a walk-run session, its walks included: 20-30 minutes
WALK_RUN_MAX_MINUTES = 30
CROSS_TRAINING_MINUTES = 30

# Distances are whole tenths of a km.
MIN_RUN_TENTHS = 10  # short enough to fit a 30-minute day or a small deload week
MIN_QUALITY_TENTHS = 40
MIN_RUNNING_WEEK_TENTHS = 30
MAX_DISTANCE_TENTHS = 3000


@dataclass(frozen=True)
class Paces:
    """Seconds per km the week's time budget counts each kind of run at (DESIGN: minutes
    come from a pace model). A quality run is faster than easy: the easy pace covers it."""

    easy: int
    long: int
    walk_run: int


PACES = {
    "novice": Paces(easy=420, long=435, walk_run=570),
    "intermediate": Paces(easy=360, long=375, walk_run=510),
    "advanced": Paces(easy=315, long=330, walk_run=480),
}


@dataclass(frozen=True, kw_only=True)
class DayPlan:
    """The solved skeleton of one day: which sessions it holds, and how far it runs."""

    run_type: str | None  # easy, long, quality, walk_run, or None for no run
    distance_tenths: int
    core: bool
    strength: bool
    mobility: bool
    cross_training: bool
    walk: bool
    rest: bool

    def minutes(self, pace: int, cross_training_minutes: int) -> int:
        """The day's minutes, its run at `pace` seconds per km (rounded up) with its warm-up
        and cool-down, and `cross_training_minutes` for cross-training."""
        minutes = -(-pace * self.distance_tenths // 600)
        if self.run_type:
            minutes += WARM_UP_MINUTES + COOL_DOWN_MINUTES
        minutes += CORE_MINUTES * self.core + STRENGTH_MINUTES * self.strength
        minutes += MOBILITY_MINUTES * self.mobility + WALK_MINUTES * self.walk
        minutes += cross_training_minutes * self.cross_training
        return minutes


class SessionDays(NamedTuple):
    """How many days of a week held each kind of session a deload is measured against."""

    core: int
    strength: int
    mobility: int
    cross_training: int


@dataclass(frozen=True, kw_only=True)
class WeekBefore:
    """What a week's rules need of the seven days before it: its last day's run, whether that
    was its longest, and (for a deload, measured against them) its days of each session.

    A summary rather than the days themselves, so that two weeks asking the same of the solver
    are one cache entry however the weeks before them differed in detail.
    """

    last_run_type: str | None = None
    last_run_tenths: int = 0
    last_run_was_the_longest: bool = False
    # None unless the week is a deload.
    session_days: SessionDays | None = None

    @classmethod
    def of(cls, days: tuple[DayPlan, ...], deload: bool) -> WeekBefore:
        if not days:
            return cls()
        last = days[-1]
        counts = None
        if deload:
            counts = SessionDays(
                core=sum(day.core for day in days), strength=sum(day.strength for day in days),
                mobility=sum(day.mobility for day in days),
                cross_training=sum(day.cross_training for day in days))
        return cls(
            last_run_type=last.run_type,
            last_run_tenths=last.distance_tenths,
            last_run_was_the_longest=bool(last.run_type) and last.distance_tenths == max(
                day.distance_tenths for day in days),
            session_days=counts,
        )


@dataclass(frozen=True, kw_only=True)
class WeekRequest:
    """Everything one week's model needs; hashable, so identical weeks are solved once."""

    weekdays: tuple[str, ...]
    day_minutes: tuple[int, ...]
    run_days: frozenset[str]
    rest_days: frozenset[str]
    long_run_weekday: str
    min_rest_days: int
    target_tenths: int
    single_run_cap_tenths: int
    paces: Paces
    running_allowed: bool
    long_allowed: bool
    quality_allowed: bool
    walk_run: bool
    calm: bool
    cross_training_available: bool
    cross_training_minutes: int
    previous_day_strength: bool
    previous_day_hard: bool
    # Days that already happened (before a flare-up report): kept exactly as they were.
    fixed_days: tuple[DayPlan | None, ...] = (None,) * 7
    # Keep the last day free of strength and hard runs, so next week may start with them.
    end_free: bool = False
    # A flare-up's calm spell lasts seven days from the report, so it may run into this
    # week's first days: no running on the first `no_run_days`, easy runs only on the
    # first `easy_only_days`.
    no_run_days: int = 0
    easy_only_days: int = 0
    # After a pain 3-4 report no run of the calm spell's days (the first `easy_only_days`)
    # is longer than the longest of the seven days before the report; None: no such cap.
    calm_spell_run_cap_tenths: int | None = None
    # A deload week lowers all training, not only running: it is measured against the seven
    # days before it (`week_before.session_days`; None when unknown, as before the first week).
    deload: bool = False
    week_before: WeekBefore = WeekBefore()
    # When re-planning, the old plan's skeleton of this week, a day each (empty: none): the
    # objective penalises each day whose kinds of session differ from it, so a revision
    # changes only what the new situation requires (DESIGN: Re-planning).
    preferred: tuple[DayPlan, ...] = ()
    # A runner whose longest recent run is already a bigger share of their week than the
    # usual long-run share keeps that share, at most 50% (DESIGN: Volume and runs); 0: none.
    own_long_run_percent: int = 0

    def pace(self, d: int) -> int:
        """Seconds per km day `d`'s run is budgeted at: the slowest pace a run on that day
        can have (a quality run is faster, so it always fits in what is reserved)."""
        if self.walk_run:
            return self.paces.walk_run
        if self.weekdays[d] == self.long_run_weekday and self.long_allowed:
            return max(self.paces.long, self.paces.easy)
        return self.paces.easy

    @property
    def run_day_indexes(self) -> list[int]:
        """The days the runner may run on: a run day that is not a rest day."""
        return [d for d in DAYS
                if self.weekdays[d] in self.run_days and self.weekdays[d] not in self.rest_days]

    @property
    def free_days(self) -> list[int]:
        """The days the solver lays out (not kept from before a flare-up report)."""
        return [d for d in DAYS if self.fixed_days[d] is None]

    @property
    def partial(self) -> bool:
        """Whether some of the week's days already happened."""
        return any(day is not None for day in self.fixed_days)
