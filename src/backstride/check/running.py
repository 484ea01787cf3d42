"""The checks of a plan's running: run days, the 110% rule, the weekly ramp and deloads, the
long run by size, the days beside it, hard runs apart, mostly easy, the calm spell after
a report, and runs a runner can execute (an effort, steps that add up)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from backstride.check.days import (
    CALM_SPELL,
    HARD_RUNS,
    TOLERANCE_KM,
    flare_up_date,
    is_flare_up_week,
    is_history,
    is_lived,
    plan_days,
    runs_on,
    week_runs,
    weekday_of,
    where,
)
from backstride.inputs.library import Library
from backstride.inputs.profile import Profile
from backstride.plan import Day, Plan, Session, Step, Week
from backstride.rules.progression import CALM_PHASES, MAX_OWN_LONG_RUN_PERCENT
from backstride.rules.week import WALK_RUN_MAX_MINUTES

# A run's distance is in whole tenths of a km and its running time in whole minutes: its
# steps add up to them within that rounding.
STEPS_TOLERANCE_M = 100
STEPS_TOLERANCE_S = 60
WORKOUT_RUNS = ("quality", "walk_run")


def runs_only_on_run_days(plan: Plan, library: Library) -> Iterator[str]:
    for week, day in plan_days(plan):
        if runs_on(day) and weekday_of(day) not in plan.athlete.run_days:
            yield f"{where(week, day)}: a run on {weekday_of(day)}, which is not a run day"
        if len(runs_on(day)) > 1:
            yield f"{where(week, day)}: more than one run in a day"


def single_run_within_110_percent(plan: Plan, library: Library) -> Iterator[str]:
    athlete = plan.athlete
    assert athlete.start is not None
    history: list[tuple[dt.date, float]] = [
        (athlete.start - dt.timedelta(days=1), athlete.longest_recent_run_km)
    ]
    for week, day in plan_days(plan):
        for run in runs_on(day):
            window = [km for date, km in history if day.date - dt.timedelta(days=30) <= date]
            limit = 1.1 * max(window, default=0.0)
            if (run.distance_km or 0) > limit + TOLERANCE_KM:
                yield (
                    f"{where(week, day)}: run of {run.distance_km or 0:.1f} km is over 110% of the "
                    f"longest run of the previous 30 days ({max(window, default=0.0):.1f} km)"
                )
            history.append((day.date, run.distance_km or 0))


def weekly_ramp_and_deloads(plan: Plan, library: Library) -> Iterator[str]:
    """+10% over the last full week; deloads at 70-80% of the week before, every 4th week,
    but never straight after a calm or return week (there is nothing to deload from).

    After a calm spell running restarts at about half the volume before it (up to 55%) and
    regains that volume by at most +30% a week, never past +10% over it; once regained, the
    +10% ramp holds again.
    """
    last_full = plan.athlete.current_weekly_km
    previous = last_full
    previous_phase = "build"
    before_calm: float | None = None  # the volume before a calm spell, until regained
    for week in plan.weeks:
        after_calm = previous_phase in CALM_PHASES or previous == 0
        if week.phase == "deload":
            low, high = 0.7 * previous - TOLERANCE_KM, 0.8 * previous + TOLERANCE_KM
            if not low <= week.planned_km <= high:
                yield (
                    f"{where(week)}: a deload week must be 70-80% of the week before "
                    f"({previous:.1f} km), not {week.planned_km:.1f} km"
                )
            if previous_phase in CALM_PHASES:
                yield f"{where(week)}: no deload straight after a {previous_phase} week"
        elif week.phase == "calm":
            before_calm = last_full if before_calm is None else before_calm
        else:
            yield from _ramp_problem(week, last_full, previous, before_calm)
            if week.planned_km > 0:  # a week without running is no base
                last_full = week.planned_km
            if before_calm is not None and week.planned_km >= before_calm - TOLERANCE_KM:
                before_calm = None
        if week.deload != (week.phase == "deload"):
            yield f"{where(week)}: deload flag and phase disagree"
        if week.index % 4 == 0 and week.phase in ("build", "maintain") and not after_calm:
            yield f"{where(week)}: every 4th week must be a deload week"
        previous, previous_phase = week.planned_km, week.phase


def _ramp_problem(
    week: Week, last_full: float, previous: float, before_calm: float | None
) -> Iterator[str]:
    """A build, maintain or return week over what the ramp allows after `previous`."""
    if before_calm is None:
        allowed, rule = 1.1 * last_full, "+10% over the last full week"
    else:
        allowed = min(max(0.55 * before_calm, 1.3 * previous), 1.1 * before_calm)
        rule = (f"+30% a week while regaining the {before_calm:.1f} km run before the calm "
                "spell")
    if week.planned_km > allowed + TOLERANCE_KM:
        yield (
            f"{where(week)}: {week.planned_km:.1f} km is more than the ramp allows "
            f"({allowed:.1f} km: {rule})"
        )


def long_run_rules(plan: Plan, library: Library) -> Iterator[str]:
    """The week's longest run is its long run, whatever its label: at most 30% of the week
    (35% below 20 km, 40% with 3 runs or fewer, 60% with two; the runner's own bigger share
    of their recent week, up to 50%). A run labelled long is on the
    long-run day and no other run is longer."""
    athlete = plan.athlete
    own_share = _own_share(athlete)
    for week in plan.weeks:
        if is_history(plan, week) or is_flare_up_week(plan, week):
            continue  # a week cut by a flare-up keeps the runs already done
        runs = week_runs(week)
        longest = max((run.distance_km or 0 for run in runs), default=0.0)
        share = max(_long_run_share(len(runs), week.planned_km),
                    own_share if len(runs) > 2 else 0.0)
        if longest > share * week.planned_km + TOLERANCE_KM:
            day = next(day for day in week.days if _tenths(day) == round(longest * 10))
            yield (
                f"{where(week, day)}: the longest run, {longest:.1f} km, is over {share:.0%} of "
                f"the week ({week.planned_km:.1f} km)"
            )
        for day in week.days:
            for run in runs_on(day):
                if run.run_type != "long":
                    continue
                if weekday_of(day) != athlete.long_run_day:
                    yield f"{where(week, day)}: long run off the long-run day"
                if longest > (run.distance_km or 0) + TOLERANCE_KM:
                    yield f"{where(week, day)}: another run is longer than the long run"


def _own_share(athlete: Profile) -> float:
    """The share of their week the runner's own longest recent run is, up to a half."""
    if athlete.longest_recent_run is None or athlete.current_weekly_km <= 0:
        return 0.0
    return min(athlete.longest_recent_run_km / athlete.current_weekly_km,
               MAX_OWN_LONG_RUN_PERCENT / 100)


def _long_run_share(runs: int, week_km: float) -> float:
    if runs <= 1:
        return 1.0
    if runs == 2:
        return 0.60
    if runs == 3:
        return 0.40
    return 0.35 if week_km < 20 else 0.30


def _tenths(day: Day) -> int:
    """The day's running, in whole tenths of a km (0 without a run)."""
    return sum(round((run.distance_km or 0) * 10) for run in runs_on(day))


def _long_run_days(week: Week) -> list[Day]:
    """The days of the week's longest run (all of them when several runs tie)."""
    longest = max((_tenths(day) for day in week.days), default=0)
    return [day for day in week.days if longest and _tenths(day) == longest]


def runs_beside_the_long_run(plan: Plan, library: Library) -> Iterator[str]:
    """A run the day before or after the week's longest run is at most 75% of it and never
    a quality run, across the week boundary too."""
    all_days = [day for _, day in plan_days(plan)]
    position = {day.date: i for i, day in enumerate(all_days)}
    for week in plan.weeks:
        for long_day in _long_run_days(week):
            i = position[long_day.date]
            for beside in all_days[max(i - 1, 0):i] + all_days[i + 1:i + 2]:
                if is_lived(plan, long_day) and is_lived(plan, beside):
                    continue
                if 4 * _tenths(beside) > 3 * _tenths(long_day):
                    yield (
                        f"{where(week, beside)}: a run of {_tenths(beside) / 10:.1f} km beside "
                        f"the {_tenths(long_day) / 10:.1f} km long run of {long_day.date} (at most "
                        "75% of it)"
                    )
                if any(run.run_type == "quality" for run in runs_on(beside)):
                    yield (f"{where(week, beside)}: a quality run beside the long run of "
                           f"{long_day.date}")


def no_strength_on_the_long_run_day(plan: Plan, library: Library) -> Iterator[str]:
    """No strength work on the day of the week's longest run."""
    for week in plan.weeks:
        for day in _long_run_days(week):
            if not is_lived(plan, day) and any(s.kind == "strength" for s in day.sessions):
                yield f"{where(week, day)}: strength on the day of the week's longest run"


def hard_runs_apart(plan: Plan, library: Library) -> Iterator[str]:
    previous_hard = False
    for week, day in plan_days(plan):
        hard = any(run.run_type in HARD_RUNS for run in runs_on(day))
        if hard and previous_hard:
            yield f"{where(week, day)}: long or quality run the day after another"
        previous_hard = hard


def mostly_easy(plan: Plan, library: Library) -> Iterator[str]:
    for week in plan.weeks:
        if is_history(plan, week):
            continue
        runs = week_runs(week)
        quality = sum(r.distance_km or 0 for r in runs if r.run_type == "quality")
        if quality > 0.2 * week.planned_km + TOLERANCE_KM and not is_flare_up_week(plan, week):
            yield f"{where(week)}: quality running is over 20% of the week"
        if sum(r.run_type == "quality" for r in runs) > 1:
            yield f"{where(week)}: more than one quality run"


def calm_spell_after_a_report(plan: Plan, library: Library) -> Iterator[str]:
    """After a pain 3-4 report, no run in the next 7 days is longer than the longest of the 7
    days before it (days before the plan count as the profile's longest recent run)."""
    date = flare_up_date(plan)
    revised = plan.revised_from or {}
    if date is None or not 3 <= int(str(revised.get("pain", 0))) <= 4:
        return
    spell = CALM_SPELL
    before = [day for _, day in plan_days(plan) if date - spell <= day.date < date]
    longest = max((run.distance_km or 0 for day in before for run in runs_on(day)), default=0.0)
    assert plan.athlete.start is not None
    if date - spell < plan.athlete.start:
        longest = max(longest, plan.athlete.longest_recent_run_km)
    for week, day in plan_days(plan):
        for run in runs_on(day):
            if date <= day.date < date + spell and (run.distance_km or 0) > longest + TOLERANCE_KM:
                yield (f"{where(week, day)}: a run of {run.distance_km or 0:.1f} km within 7 "
                       f"days of a pain {revised['pain']} report, longer than the {longest:.1f} km "
                       "longest of the 7 days before it")


def runs_a_runner_can_execute(plan: Plan, library: Library) -> Iterator[str]:
    """Every run of a version-2 plan says how hard (an effort); quality runs and walk-runs
    are workouts (steps); a run's steps add up to its distance and its running minutes, each
    step's time or distance worked at the middle of its pace range. Days before a flare-up
    report are the plan they were made in."""
    if plan.schema_version < 2:
        return
    for week, day in plan_days(plan):
        if is_lived(plan, day):
            continue
        for run in runs_on(day):
            yield from (f"{where(week, day)}: {problem}" for problem in run_problems(run))


def run_problems(run: Session) -> Iterator[str]:
    if run.effort is None:
        yield f"{run.title}: no effort (RPE and talk test)"
    if run.run_type == "walk_run" and (run.run_minutes or 0) > WALK_RUN_MAX_MINUTES:
        yield (f"{run.title}: {run.run_minutes} min; a walk-run takes at most "
               f"{WALK_RUN_MAX_MINUTES} (a return starts with 20-30 minutes)")
    if not run.steps:
        if run.run_type in WORKOUT_RUNS:
            yield f"{run.title}: a {run.run_type.replace('_', '-')} run without its steps"
        return
    totals = _steps_totals(run.steps)
    if totals is None:
        yield f"{run.title}: a step has neither a pace nor both its time and distance"
        return
    metres, seconds = totals
    distance_m = (run.distance_km or 0) * 1000
    if abs(metres - distance_m) > STEPS_TOLERANCE_M:
        yield (f"{run.title}: its steps cover {metres / 1000:.2f} km, not "
               f"{run.distance_km or 0:.1f} km")
    if run.run_minutes is None or abs(seconds - run.run_minutes * 60) > STEPS_TOLERANCE_S:
        yield (f"{run.title}: its steps take {seconds / 60:.1f} min, not its "
               f"{run.run_minutes} running minutes")


def _steps_totals(steps: list[Step]) -> tuple[float, float] | None:
    """The metres and seconds of `steps`, or None when a step's other half is unknown."""
    metres = seconds = 0.0
    for step in steps:
        if step.kind == "repeat":
            inner = _steps_totals(step.steps)
            if inner is None:
                return None
            metres += (step.times or 1) * inner[0]
            seconds += (step.times or 1) * inner[1]
            continue
        if step.pace is None or (step.duration_s is None) == (step.distance_m is None):
            return None
        pace = (step.pace.slow_s_per_km + step.pace.fast_s_per_km) / 2
        if step.duration_s is not None:
            seconds += step.duration_s
            metres += step.duration_s * 1000 / pace
        else:
            metres += step.distance_m or 0
            seconds += (step.distance_m or 0) * pace / 1000
    return metres, seconds
