"""Weekly running volume: the ramp, the deload weeks and the calm spells after pain.

Volumes are whole tenths of a km, so "at most +10%" is exact integer arithmetic
and a plan never drifts over a limit by rounding. The ramp is fed back the
volume the scheduler actually planned each week: when the runner's days and
time hold less than the ramp allows, the next week grows from what was really
run, never from a number on paper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from backstride.plan import Phase
from backstride.rules.triage import PainTier

RAMP_PERCENT = 110  # convention: at most +10% over the last non-deload week
DELOAD_PERCENT = 78  # inside the 70-80% band, clear of both edges
DELOAD_EVERY = 4  # every 4th week is a deload week
# A routine, and a kind of workout, is held for one deload cycle: a block of weeks.
WEEKS_PER_BLOCK = DELOAD_EVERY
# The phases in which doses and workouts grow week by week.
BUILDING_PHASES = ("build", "maintain")
# The weeks that calm a back down and bring running back: easier weeks, kinder forms.
CALM_PHASES = ("calm", "return")
AFTER_DELOAD_MAX_PERCENT = 130  # never more than +30% week on week (Nielsen 2014)
RESTART_PERCENT = 50  # after a calm spell running restarts at about half
REGAIN_PERCENT = 130  # then regains the volume before it by at most +30% a week
CALM_SPELL_DAYS = 7  # a flare-up's calm rules hold for seven days from the report
# A pain-free runner is not planned below what they run now (DESIGN: Volume and runs):
# build weeks aim at no less than 90% of the current volume, or the goal when it is lower.
HOLD_PERCENT = 90
# A runner whose own longest recent run is a bigger share of their week keeps that share,
# up to this (DESIGN: long runs).
MAX_OWN_LONG_RUN_PERCENT = 50
# The 110% rule: a run may be 10% longer than the longest of the last 30 days.
SINGLE_RUN_PERCENT = 110


def single_run_cap(longest_recent_tenths: int) -> int:
    """The longest run allowed after one of `longest_recent_tenths` in the last 30 days."""
    return longest_recent_tenths * SINGLE_RUN_PERCENT // 100


def recent_run_allowing(run_tenths: int) -> int:
    """The shortest recent run after which a run of `run_tenths` is allowed."""
    return -(-run_tenths * 100 // SINGLE_RUN_PERCENT)


def block_of(week_index: int) -> int:
    """The block (0, 1, ...) of `WEEKS_PER_BLOCK` weeks that week `week_index` (1-based) is in."""
    return (week_index - 1) // WEEKS_PER_BLOCK


def first_week_of(block: int) -> int:
    """The index (1-based) of the first week of `block`."""
    return block * WEEKS_PER_BLOCK + 1


def to_tenths(km: float) -> int:
    """Kilometres to whole tenths, rounding down so a limit is never crossed."""
    return int(km * 10 + 1e-9)


@dataclass(frozen=True, kw_only=True)
class WeekFrame:
    """What the progression asks of one week before the scheduler lays it out; the defaults
    are an ordinary training week's."""

    index: int
    phase: Phase  # build, deload, calm or return; build may be relabelled maintain once planned
    target_tenths: int
    running_allowed: bool = True
    long_and_quality_allowed: bool = True
    walk_run: bool = False
    flare_safe_only: bool = False  # only exercises safe in a flare-up


class Ramp:
    """Targets week by week from `current` towards `goal`; call `record` after each week."""

    def __init__(
        self, current_km: float, goal_km: float, tier: PainTier, first_index: int = 1
    ) -> None:
        self.goal = to_tenths(goal_km)
        self.tier = tier
        self.first_index = first_index
        # The runner's current week stands in for the last non-deload week.
        self.base = current_km * 10
        self.previous_planned = current_km * 10
        self.previous_was_deload = False
        self.pre_calm_tenths = current_km * 10
        self.previous_phase = ""
        self.previous_ran = True  # whether the week before had any running
        self.returned = False  # whether a walk-run return week has run yet
        # After a calm spell the weeks regain `pre_calm_tenths` (recent fitness, not new)
        # by at most +30% a week; once there, the normal +10% ramp takes over.
        self.regaining = False
        # What a pain-free runner's build weeks hold at least: the ramp's targets never fall
        # under it (week 1 aims at +10% over the current volume, later weeks at +10% over
        # what was planned), so only the runner's own limits can plan a week below it.
        self.hold_floor = (
            min(self.goal, hold_floor_tenths(current_km)) if tier is PainTier.CONTINUE else 0
        )

    def frame(self, index: int) -> WeekFrame:
        """The frame for week `index` (1-based within the plan)."""
        offset = index - self.first_index
        if self.tier is PainTier.CALM_NO_RUNNING and offset == 0:
            return WeekFrame(
                index=index, phase="calm", target_tenths=0, running_allowed=False,
                long_and_quality_allowed=False, flare_safe_only=True,
            )
        if self.tier is PainTier.CALM_NO_RUNNING and offset >= 1 and not self.returned:
            # The walk-run return comes after the calm week, and again the next week if the
            # calm spell left it no day to run on.
            half = int(self.pre_calm_tenths * RESTART_PERCENT / 100)
            return WeekFrame(
                index=index, phase="return", target_tenths=half, long_and_quality_allowed=False,
                walk_run=True, flare_safe_only=True,
            )
        if self.tier is PainTier.CALM_HALF_RUNNING and offset == 0:
            half = int(self.pre_calm_tenths * RESTART_PERCENT / 100)
            return WeekFrame(
                index=index, phase="calm", target_tenths=half, long_and_quality_allowed=False,
                flare_safe_only=True,
            )
        after_a_calm_spell = self.previous_phase in CALM_PHASES or not self.previous_ran
        if index % DELOAD_EVERY == 0 and not after_a_calm_spell:
            return WeekFrame(index=index, phase="deload", target_tenths=self._deload_target())
        # Straight after a calm or return week (or one without running) there is nothing to
        # deload from: the week regains volume instead, and the next 4th week deloads.
        return WeekFrame(index=index, phase="build", target_tenths=self._build_target())

    def record(self, frame: WeekFrame, planned_tenths: int) -> None:
        """Tell the ramp what the scheduler planned for `frame`'s week."""
        self.previous_phase = frame.phase
        self.previous_ran = planned_tenths > 0
        if frame.phase == "return" and planned_tenths > 0:
            self.returned = True
        if frame.phase in CALM_PHASES:
            self.regaining = True
        elif planned_tenths >= min(self.pre_calm_tenths, self.goal):
            self.regaining = False
        if frame.phase == "calm" and not frame.running_allowed:
            # A week without running (but for runs before a flare-up) is no base to ramp
            # from: the return week restarts at half the volume before the calm spell.
            self.previous_was_deload = False
            return
        if planned_tenths == 0:
            self.previous_was_deload = False
            return
        if frame.phase == "deload":
            self.previous_was_deload = True
        else:
            self.base = planned_tenths
            self.previous_was_deload = False
        self.previous_planned = planned_tenths

    def restart(self, tenths: int) -> None:
        """Running restarts at `tenths` after a calm spell (a flare-up): the next weeks ramp
        from there, never from the volume before it."""
        self.base = tenths
        self.previous_planned = tenths
        self.previous_was_deload = False
        self.previous_phase = "calm"
        self.previous_ran = True
        self.regaining = True

    def at_goal(self, planned_tenths: int) -> bool:
        """Whether a week holds at the goal (or steps down to it) rather than building."""
        return planned_tenths >= self.goal

    def _build_target(self) -> int:
        if self.regaining:
            regained = int(self.previous_planned * REGAIN_PERCENT / 100 + 1e-9)
            return min(self.goal, int(self.pre_calm_tenths), regained)
        # No floor is added here: from a week that held `hold_floor`, +10% (and +30% on a
        # 78% deload) is already above it, and from a week held short of it, lifting the
        # target to it would break the +10% over the last full week. A week short of the
        # floor is the runner's limits binding, which `limits` names instead.
        cap = int(self.base * RAMP_PERCENT / 100 + 1e-9)
        if self.previous_was_deload:
            cap = min(cap, int(self.previous_planned * AFTER_DELOAD_MAX_PERCENT / 100 + 1e-9))
        return min(self.goal, cap)

    def _deload_target(self) -> int:
        previous = self.previous_planned
        target = int(previous * DELOAD_PERCENT / 100)
        if target < previous * 0.7:  # tiny volumes: the 78% floor fell under 70%
            target = int(previous * 0.8)
        return target


def hold_floor_tenths(current_km: float) -> int:
    """90% of `current_km` in whole tenths, rounded up: the least a pain-free runner's build
    week holds."""
    return -(-to_tenths(current_km) * HOLD_PERCENT // 100)


def longest_run_before(
    day: dt.date, runs: Sequence[tuple[dt.date, int]], plan_start: dt.date,
    longest_recent_tenths: int,
) -> int:
    """The longest run (tenths of a km) of the `CALM_SPELL_DAYS` days before `day`, from
    `runs` (date, tenths); days before the plan count as the profile's longest recent run.

    After a pain 3-4 report no run of the calm spell is longer than this."""
    window_start = day - dt.timedelta(days=CALM_SPELL_DAYS)
    recent = [tenths for date, tenths in runs if window_start <= date < day]
    if window_start < plan_start:
        recent.append(longest_recent_tenths)
    return max(recent, default=0)
