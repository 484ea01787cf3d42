"""Profile in, plan out: triage, then week by week progression -> scheduler -> prescription.

Data flows one way. The only loop back is the volume each week actually got,
which the ramp needs so that next week's +10% is measured from what was
planned, not from what was hoped for. A re-plan after a flare-up (`replan`)
uses the same planner, from the report's week on, with what the flare-up
changes passed in as a `FlareUp`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from backstride.errors import InfeasiblePlanError
from backstride.inputs.library import Library
from backstride.inputs.profile import WEEKDAYS, Profile
from backstride.plan import Day, Phase, Plan, Week
from backstride.rules.limits import limit_note
from backstride.rules.prescribe import Prescriber, WeekContext
from backstride.rules.progression import (
    CALM_PHASES,
    CALM_SPELL_DAYS,
    MAX_OWN_LONG_RUN_PERCENT,
    RESTART_PERCENT,
    Ramp,
    WeekFrame,
    longest_run_before,
    single_run_cap,
    to_tenths,
)
from backstride.rules.reasons import run_day_notes, triage_notes
from backstride.rules.scheduler import solve_week
from backstride.rules.triage import (
    MAX_PAIN_FOR_LOADED_ROTATION,
    RECENT_FLARE_UP,
    RECENT_PAIN,
    PainTier,
    pain_tier,
    referral_for,
)
from backstride.rules.week import CROSS_TRAINING_MINUTES, DayPlan, WeekBefore, WeekRequest
from backstride.rules.workouts import runner_paces

# Which cross-training stands in for running while calm, best first, with the
# time factor DESIGN.md gives (pool running 1:1, elliptical 1.2x, cycling 1.5x).
STAND_IN_FACTORS = {
    "pool_run": 1.0,
    "elliptical": 1.2,
    "cycle": 1.5,
    "swim": 1.0,
    "yoga": 1.0,
    "walk": 1.0,
}
LOW_IMPACT = ("swim", "cycle", "pool_run", "elliptical", "yoga", "walk")
QUALITY_MIN_WEEK_TENTHS = 200
RECENT_DAYS = 29  # a little under 30 days: a run counts only while every reading agrees it does
MAX_CROSS_TRAINING_MINUTES = 90



def own_long_run_percent(profile: Profile) -> int:
    """The share of their week the runner's own longest recent run already is, up to 50%
    (DESIGN: such a runner keeps that share); 0 when they gave no longest run."""
    if profile.longest_recent_run is None or profile.current_weekly_km <= 0:
        return 0
    share = int(100 * profile.longest_recent_run_km / profile.current_weekly_km)
    return min(share, MAX_OWN_LONG_RUN_PERCENT)


def build_plan(profile: Profile, library: Library) -> Plan:
    """The whole plan for `profile`, or a referral when triage says so."""
    tier = pain_tier(profile.back)
    if tier is PainTier.REFER:
        return Plan(athlete=profile, referral=referral_for(profile.back))
    planned = plan_weeks(profile, library, tier, last_week=profile.weeks)
    notes = [*triage_notes(profile, tier), *planned.notes, *run_day_notes(profile)]
    return Plan(athlete=profile, weeks=planned.weeks, notes=notes)


@dataclass(frozen=True, kw_only=True)
class FlareUp:
    """What a flare-up report changes for the weeks planned from its week on."""

    week_index: int  # the week the report falls in: planning starts there
    lived_days: tuple[Day, ...]  # every day before the report, exactly as it was
    # The flare-up's calm rules and flare-up-safe exercises hold until this day.
    calm_until: dt.date
    volume_before_km: float  # the weekly volume before the report: running restarts at half
    ramp_cap_tenths: int  # the report's week stays within +10% of the last full week before
    rest_of_week_tenths: int  # what the old plan ran from the report's day to its week's end
    # No later week plans more than the old plan did: never jumping back to the old targets.
    old_week_tenths: Mapping[int, int] = field(default_factory=dict)
    # The old plan's day skeletons by week index: a re-planned week keeps to them wherever
    # the rules and the volume allow (the scheduler penalises each changed day).
    old_skeletons: Mapping[int, tuple[DayPlan, ...]] = field(default_factory=dict)
    # The phases of the weeks before `week_index`: the block's routine carries on from them,
    # its easier forms standing in while calm, rather than starting again.
    old_phases: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedWeeks:
    """The weeks planned, and what the runner should know about how far they got."""

    weeks: list[Week]
    notes: list[str]  # how far the ramp got, in words


def plan_weeks(
    profile: Profile,
    library: Library,
    tier: PainTier,
    last_week: int,
    flare_up: FlareUp | None = None,
) -> PlannedWeeks:
    """Weeks 1 (or the flare-up's week) to `last_week` for `profile` at pain `tier`."""
    planner = _WeekPlanner(profile, library, tier, flare_up)
    first_week = flare_up.week_index if flare_up else 1
    weeks = planner.weeks(first_week, last_week)
    return PlannedWeeks(weeks, planner.progress_notes())


def runs_of(days: Sequence[Day]) -> list[tuple[dt.date, int]]:
    """The date and tenths of a km of every run in `days`."""
    return [
        (day.date, round((s.distance_km or 0) * 10))
        for day in days
        for s in day.sessions
        if s.kind == "run"
    ]


@dataclass(frozen=True)
class _Checkpoint:
    """What planning a week changes in the planner, to undo it."""

    ramp: Ramp
    runs: list[tuple[dt.date, int]]
    last_week: tuple[DayPlan, ...]
    rotation: dict[str, int]


def back_avoid(profile: Profile) -> frozenset[str]:
    """What the runner's back avoids all plan long: its directional preference and conditions,
    and loaded rotation for a back in pain above 2 (DESIGN: The back)."""
    avoid = profile.back.avoided_contraindications()
    if profile.back.pain > MAX_PAIN_FOR_LOADED_ROTATION:
        avoid |= {RECENT_PAIN}
    return avoid


def prescriber_for(profile: Profile, library: Library) -> Prescriber:
    """The prescriber of `profile`'s sessions: routines within what the back avoids, runs at
    the runner's paces."""
    return Prescriber(library, frozenset(profile.equipment), back_avoid(profile),
                      runner_paces=runner_paces(profile), experience=profile.experience)


class _WeekPlanner:
    """Plans one week after another, carrying what the next week's rules look back at."""

    def __init__(
        self, profile: Profile, library: Library, tier: PainTier, flare_up: FlareUp | None
    ) -> None:
        self.profile = profile
        self.tier = tier
        self.flare_up = flare_up
        self.back_avoid = back_avoid(profile)
        self.prescriber = prescriber_for(profile, library)
        if flare_up is not None:
            self.prescriber.follow(flare_up.old_phases)
        self.paces = runner_paces(profile).scheduling()
        self.own_long_run_percent = own_long_run_percent(profile)
        # The requests of build weeks held short, by index: of the runner's current volume
        # (a pain-free runner's floor), and of the ramp's target. The notes re-solve them.
        self.short_of_floor: dict[int, WeekRequest] = {}
        self.short_of_target: dict[int, WeekRequest] = {}
        if flare_up is None:
            self.ramp = Ramp(profile.current_weekly_km, profile.goal_weekly_km, tier)
            self.runs: list[tuple[dt.date, int]] = []
            # The seven days before the week being planned (none before the plan).
            self.last_week: tuple[DayPlan, ...] = ()
        else:
            self.ramp = Ramp(flare_up.volume_before_km, profile.goal_weekly_km, tier,
                             first_index=flare_up.week_index)
            self.runs = runs_of(flare_up.lived_days)
            # Cross-week rules look at the week before the re-planned week starts.
            week_start = self._start_of(flare_up.week_index)
            self.last_week = tuple(
                skeleton_of(day) for day in flare_up.lived_days
                if week_start - dt.timedelta(days=7) <= day.date < week_start
            )
        # The report's day: the first day not lived under the old plan.
        self.flare_up_reported = (
            None if flare_up is None
            else flare_up.lived_days[-1].date + dt.timedelta(days=1) if flare_up.lived_days
            else profile.start
        )
        # Read from days already lived, the same for every week of the plan.
        self.calm_spell_run_cap = self._calm_spell_run_cap()

    @property
    def last_day(self) -> DayPlan | None:
        """The day before the week being planned, when known."""
        return self.last_week[-1] if self.last_week else None

    def _start_of(self, index: int) -> dt.date:
        assert self.profile.start is not None
        return self.profile.start + dt.timedelta(days=7 * (index - 1))

    def weeks(self, first: int, last: int) -> list[Week]:
        """Weeks `first` to `last`, one after the other.

        Weeks are solved one at a time, so a week may end with strength or a hard run that
        leaves the next week no legal pattern. Then the previous week is solved again with
        its last day kept free of both, and the next week tried once more.
        """
        weeks: list[Week] = []
        checkpoints: list[_Checkpoint] = []
        for index in range(first, last + 1):
            checkpoint = self._checkpoint()
            try:
                week = self.week(index)
            except InfeasiblePlanError:
                last_day = self.last_day
                if not weeks or not (last_day and (last_day.strength or last_day.run_type in
                                                   ("long", "quality"))):
                    raise
                self._restore(checkpoints[-1])
                weeks[-1] = self.week(index - 1, end_free=True)
                checkpoint = self._checkpoint()
                week = self.week(index)
            weeks.append(week)
            checkpoints.append(checkpoint)
        return weeks

    def _checkpoint(self) -> _Checkpoint:
        return _Checkpoint(copy.copy(self.ramp), list(self.runs), self.last_week,
                           dict(self.prescriber.rotation))

    def _restore(self, checkpoint: _Checkpoint) -> None:
        self.ramp = copy.copy(checkpoint.ramp)
        self.runs = list(checkpoint.runs)
        self.last_week = checkpoint.last_week
        self.prescriber.rewind(checkpoint.rotation)

    def week(self, index: int, end_free: bool = False) -> Week:
        """Plan week `index`. In a flare-up's week the days before the report stay as they
        were, and the week's volume stays within the ramp's cap where days already run
        allow; a later week plans no more than the old plan did."""
        start = self._start_of(index)
        dates = [start + dt.timedelta(days=d) for d in range(7)]
        frame = self.ramp.frame(index)
        kept: Sequence[Day] = ()
        cap_tenths: int | None = None
        rest_of_week_tenths: int | None = None
        flare_up = self.flare_up
        if flare_up is not None and index == flare_up.week_index:
            kept = [day for day in flare_up.lived_days if day.date >= start]
            cap_tenths = flare_up.ramp_cap_tenths
            rest_of_week_tenths = flare_up.rest_of_week_tenths
        elif flare_up is not None and index in flare_up.old_week_tenths:
            cap_tenths = flare_up.old_week_tenths[index]
        fixed = tuple(skeleton_of(kept[d]) if d < len(kept) else None for d in range(7))
        request = self._request(frame, dates, fixed, cap_tenths, rest_of_week_tenths, end_free)
        if flare_up is not None and index in flare_up.old_skeletons:
            request = replace(request, preferred=flare_up.old_skeletons[index])
        try:
            skeleton = solve_week(request)
        except InfeasiblePlanError as error:
            raise InfeasiblePlanError(index, error.rules, error.explanation) from None
        planned = sum(day.distance_tenths for day in skeleton)
        held = planned < request.target_tenths and frame.phase in ("build", "deload")
        if held and not kept:
            self.short_of_target[index] = request
        if not kept and frame.phase == "build" and planned < self.ramp.hold_floor:
            self.short_of_floor[index] = request
        phase = frame.phase
        if phase == "build" and (held or self.ramp.at_goal(planned)):
            phase = "maintain"
        if kept and frame.running_allowed:
            # A week cut short by a flare-up restarts the ramp at its calm (half) volume,
            # whatever its first days ran before the report.
            self.ramp.restart(min(frame.target_tenths, planned) or frame.target_tenths)
        else:
            self.ramp.record(frame, planned)
        context = self._context(frame, request, phase)
        days = [
            kept[d] if d < len(kept) else self._day(date, plan, context)
            for d, (date, plan) in enumerate(zip(dates, skeleton, strict=True))
        ]
        self.runs.extend(
            (date, plan.distance_tenths)
            for date, plan in zip(dates, skeleton, strict=True)
            if plan.run_type
        )
        self.last_week = skeleton
        return Week(
            index=index,
            start=start,
            target_km=request.target_tenths / 10,
            planned_km=planned / 10,
            deload=phase == "deload",
            phase=phase,
            days=days,
        )

    def _calm_spell_days(self, week_start: dt.date) -> tuple[int, int]:
        """How many of the week's first days a flare-up's calm spell still covers: days
        without running, and days of easy runs only."""
        if self.flare_up is None or week_start >= self.flare_up.calm_until:
            return 0, 0
        days = min(7, (self.flare_up.calm_until - week_start).days)
        if self.tier is PainTier.CALM_NO_RUNNING:
            return days, days
        if self.tier is PainTier.CALM_HALF_RUNNING:
            return 0, days
        return 0, 0

    def _day(self, date: dt.date, plan: DayPlan, context: WeekContext) -> Day:
        if self.flare_up is not None and date < self.flare_up.calm_until:
            context = replace(context, avoid=context.avoid | {"flare_up"})
        reported = self.flare_up_reported
        if reported is not None and reported <= date < reported + RECENT_FLARE_UP:
            context = replace(context, avoid=context.avoid | {RECENT_PAIN})
        return Day(date=date, rest=plan.rest, sessions=self.prescriber.sessions_for(plan, context))

    def _request(
        self,
        frame: WeekFrame,
        dates: list[dt.date],
        fixed: tuple[DayPlan | None, ...],
        cap_tenths: int | None,
        rest_of_week_tenths: int | None,
        end_free: bool,
    ) -> WeekRequest:
        profile = self.profile
        target = frame.target_tenths
        kept = sum(day.distance_tenths for day in fixed if day is not None)
        if any(fixed):
            # Days already run count in full; the rest of the week gets what it was to run,
            # cut as the calm frame cuts (half), or its share of the frame's target.
            free = sum(day is None for day in fixed)
            if rest_of_week_tenths is not None:
                share = rest_of_week_tenths * RESTART_PERCENT // 100
            else:
                share = frame.target_tenths * free // 7
            target = kept + share
        if cap_tenths is not None:
            target = min(target, max(kept, cap_tenths))
        weekdays = tuple(WEEKDAYS[date.weekday()] for date in dates)
        experienced = profile.experience in ("intermediate", "advanced")
        quality = (
            experienced
            and frame.long_and_quality_allowed
            and frame.phase == "build"
            and frame.index > 1
            and frame.target_tenths >= QUALITY_MIN_WEEK_TENTHS
        )
        last = self.last_day
        no_run_days, easy_only_days = self._calm_spell_days(dates[0])
        return WeekRequest(
            weekdays=weekdays,
            day_minutes=tuple(profile.minutes_on(day) for day in weekdays),
            run_days=frozenset(profile.run_days),
            rest_days=frozenset(profile.rest_days),
            long_run_weekday=profile.long_run_day or profile.run_days[-1],
            min_rest_days=profile.min_rest_days,
            target_tenths=target,
            single_run_cap_tenths=self._single_run_cap(dates, frame),
            paces=self.paces,
            running_allowed=frame.running_allowed,
            long_allowed=frame.long_and_quality_allowed,
            quality_allowed=quality,
            walk_run=frame.walk_run,
            calm=frame.phase in CALM_PHASES,
            cross_training_available=bool(profile.cross_training),
            cross_training_minutes=self._cross_training_minutes(frame),
            previous_day_strength=bool(last and last.strength),
            previous_day_hard=bool(last and last.run_type in ("long", "quality")),
            fixed_days=fixed,
            end_free=end_free,
            no_run_days=no_run_days,
            easy_only_days=easy_only_days,
            calm_spell_run_cap_tenths=self.calm_spell_run_cap,
            deload=frame.phase == "deload",
            week_before=WeekBefore.of(self.last_week, deload=frame.phase == "deload"),
            own_long_run_percent=self.own_long_run_percent,
        )

    def _calm_spell_run_cap(self) -> int | None:
        """After a pain 3-4 report: the longest run of the seven days before it, which no
        run of the calm spell may pass."""
        if self.flare_up is None or self.tier is not PainTier.CALM_HALF_RUNNING:
            return None
        assert self.profile.start is not None
        report = self.flare_up.calm_until - dt.timedelta(days=CALM_SPELL_DAYS)
        return longest_run_before(report, self.runs, self.profile.start,
                                  to_tenths(self.profile.longest_recent_run_km))

    def _single_run_cap(self, dates: list[dt.date], frame: WeekFrame) -> int:
        """110% of the longest run that is within the last 30 days of every day of this week.

        A deload week also keeps its longest run to last week's: fewer kilometres
        with a longer long run would not be a lighter week.
        """
        assert self.profile.start is not None
        window_start = dates[-1] - dt.timedelta(days=RECENT_DAYS)
        recent = [tenths for date, tenths in self.runs if window_start <= date < dates[0]]
        if dates[-1] - dt.timedelta(days=RECENT_DAYS) < self.profile.start:
            recent.append(to_tenths(self.profile.longest_recent_run_km))
        cap = single_run_cap(max(recent, default=0))
        last_week = [tenths for date, tenths in self.runs if date >= dates[0] - dt.timedelta(7)]
        if frame.phase == "deload" and last_week:
            cap = min(cap, max(last_week))
        return cap

    def _stand_in(self) -> str | None:
        options = [a for a in LOW_IMPACT if a in self.profile.cross_training]
        return options[0] if options else None

    def _cross_training_options(self, frame: WeekFrame) -> tuple[str, ...]:
        if frame.phase in CALM_PHASES:
            stand_in = self._stand_in()
            return (stand_in,) if stand_in else ()
        return tuple(self.profile.cross_training)

    def _cross_training_minutes(self, frame: WeekFrame) -> int:
        stand_in = self._stand_in()
        if frame.phase not in CALM_PHASES or stand_in is None:
            return CROSS_TRAINING_MINUTES
        # Matched by time to the easy running it replaces: half the usual week, per run day.
        per_run_km = self.profile.current_weekly_km / 2 / max(len(self.profile.run_days), 1)
        running_minutes = per_run_km * self.paces.easy / 60
        minutes = round(running_minutes * STAND_IN_FACTORS[stand_in])
        return max(20, min(MAX_CROSS_TRAINING_MINUTES, minutes))

    def _context(self, frame: WeekFrame, request: WeekRequest, phase: Phase) -> WeekContext:
        avoid = set(self.back_avoid)
        flare_week = frame.flare_safe_only or (frame.index == 1 and self.profile.back.pain > 0)
        if flare_week:
            avoid.add("flare_up")
        return WeekContext(
            index=frame.index,
            avoid=frozenset(avoid),
            gentle=frame.flare_safe_only,
            cross_training_minutes=request.cross_training_minutes,
            stand_in=frame.phase in CALM_PHASES,
            cross_training_options=self._cross_training_options(frame) or ("walk",),
            phase=phase,
        )

    def progress_notes(self) -> list[str]:
        """How far the ramp got when the runner's limits or the weeks left hold it short."""
        notes = []
        profile = self.profile
        if self.short_of_floor or self.short_of_target:
            # One line naming the limit that binds and the smallest change that lifts it:
            # the first week short of the runner's current volume, else the last held week.
            first_short = self.short_of_floor[min(self.short_of_floor, default=0)] if (
                self.short_of_floor) else None
            last_held = self.short_of_target[max(self.short_of_target, default=0)] if (
                self.short_of_target) else None
            return [limit_note(profile, first_short, last_held, self.ramp.hold_floor)]
        goal_tenths = to_tenths(profile.goal_weekly_km)
        if goal_tenths > to_tenths(profile.current_weekly_km) and self.ramp.base < goal_tenths:
            notes.append(
                f"The goal of {profile.goal_weekly:g} {profile.units} a week is not reached in "
                f"{profile.weeks} weeks at a safe ramp (at most +10% a week with deload weeks); "
                "the plan ends on the way there."
            )
        return notes


def skeleton_of(day: Day) -> DayPlan:
    """The day skeleton a planned day was made from (to keep it fixed when re-planning)."""
    kinds = {session.kind for session in day.sessions}
    run = next((s for s in day.sessions if s.kind == "run"), None)
    return DayPlan(
        run_type=run.run_type if run else None,
        distance_tenths=round((run.distance_km or 0) * 10) if run else 0,
        core="core" in kinds,
        strength="strength" in kinds,
        mobility="mobility" in kinds,
        cross_training="cross_training" in kinds,
        walk="walk" in kinds,
        rest=day.rest,
    )
