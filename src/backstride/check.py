"""An independent check of a finished plan against every training rule of DESIGN.md.

Plain Python, written from the rules and not from the solver's model, so it can
catch what the model gets wrong. The tests run every plan they make through it;
the solver never uses it. `backstride check PLAN.json` runs it for a user: a coach
who edited a plan by hand, or a tool that wrote one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from backstride.errors import InputError, format_validation_error
from backstride.inputs.library import Library
from backstride.inputs.profile import WEEKDAYS, load_profile
from backstride.inputs.yamlio import read_text
from backstride.plan import Day, Plan, Session, Week

TOLERANCE_KM = 0.051
TRAINING_KINDS = {"run", "core", "strength", "cross_training"}
HARD_RUNS = {"long", "quality"}
LOWERED_IN_A_DELOAD = ("core", "strength", "mobility", "cross_training")

Check = Callable[[Plan, Library], Iterator[str]]


def check_plan(plan: Plan, library: Library) -> list[str]:
    """Every rule violation in `plan`, one readable line each; empty when the plan is sound."""
    return [violation.problem for violation in violations(plan, library)]


@dataclass(frozen=True)
class Violation:
    rule: str  # the check's name in words: "rest days", "long run rules"
    problem: str  # where (week and date) and what

    def __str__(self) -> str:
        return f"{self.problem} [{self.rule}]"


def violations(plan: Plan, library: Library) -> list[Violation]:
    """Every rule violation in `plan`, each with the rule it breaks."""
    return [Violation(check.__name__.replace("_", " "), problem)
            for check in CHECKS for problem in check(plan, library)]


def read_plan(path: Path) -> Plan:
    """The plan in the plan.json file at `path`, or an InputError in one line naming the file:
    a file that is not a plan has nothing in it worth checking."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError([f"{path}: line {error.lineno}: not valid JSON ({error.msg})"]) from None
    except RecursionError:
        raise InputError([f"{path}: nested too deeply to be a plan"]) from None
    if not isinstance(data, dict):
        raise InputError([f"{path}: not a plan: must be a JSON object (see `backstride "
                          "schema plan`)"])
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        first, *others = format_validation_error(error, "not a plan")
        more = f" (and {len(others)} more)" if others else ""
        raise InputError([f"{path}: {first}{more}"]) from None


def check_plan_file(
    path: Path, profile_path: Path | None = None, library_dir: Path | None = None
) -> tuple[Plan, list[Violation]]:
    """The plan at `path` and its violations, judged by the limits of the profile at
    `profile_path` if given, else of the profile stored in the plan."""
    from backstride.inputs.library import load_library

    plan = read_plan(path)
    if profile_path is not None:
        plan = with_profile(plan, profile_path)
    return plan, violations(plan, load_library(library_dir))


def with_profile(plan: Plan, profile_path: Path) -> Plan:
    """`plan` as if made for the profile at `profile_path`: its limits (days, minutes,
    equipment, back, volume) replace those stored in the plan. The plan keeps its own
    calendar: the profile's start is taken from the plan."""
    profile = load_profile(profile_path, {"start": plan.athlete.start})
    return plan.model_copy(update={"athlete": profile})


# --- helpers -----------------------------------------------------------------------------------


def _days(plan: Plan) -> Iterator[tuple[Week, Day]]:
    for week in plan.weeks:
        for day in week.days:
            yield week, day


def _runs(day: Day) -> list[Session]:
    return [s for s in day.sessions if s.kind == "run"]


def _weekday(day: Day) -> str:
    return WEEKDAYS[day.date.weekday()]


def _where(week: Week, day: Day | None = None) -> str:
    """Where a problem is: the week and the day, or the week and the day it starts."""
    if day is None:
        return f"week {week.index} (from {week.start.isoformat()})"
    return f"week {week.index}, {day.date.isoformat()}"


def _week_runs(week: Week) -> list[Session]:
    return [run for day in week.days for run in _runs(day)]


def _flare_up_date(plan: Plan) -> dt.date | None:
    """The day a flare-up revision re-planned from: days before it are history, already
    lived under the old plan, and the week holding it is judged only from that day."""
    revised = plan.revised_from or {}
    if revised.get("kind") != "flare_up":
        return None
    return dt.date.fromisoformat(str(revised["date"]))


def _is_flare_up_week(plan: Plan, week: Week) -> bool:
    date = _flare_up_date(plan)
    return date is not None and week.days[0].date <= date <= week.days[-1].date


def _history(plan: Plan, week: Week) -> bool:
    """A week wholly before the flare-up date: judged when it was planned, not again."""
    date = _flare_up_date(plan)
    return date is not None and week.days[-1].date < date


def _lived(plan: Plan, day: Day) -> bool:
    date = _flare_up_date(plan)
    return date is not None and day.date < date


# --- checks ------------------------------------------------------------------------------------


def referral_means_no_training(plan: Plan, library: Library) -> Iterator[str]:
    back = plan.athlete.back
    must_refer = bool(back.red_flags) or back.pain >= 7
    training_after = [
        day.date for _, day in _days(plan) if day.sessions and not _lived(plan, day)
    ]
    if must_refer and plan.referral is None:
        yield "red flags or pain 7+ must give a referral and no training plan"
    if plan.referral is not None and training_after:
        yield f"a plan with a referral must hold no training (sessions on {training_after[0]})"


def weeks_are_consecutive(plan: Plan, library: Library) -> Iterator[str]:
    start = plan.athlete.start
    for position, week in enumerate(plan.weeks, start=1):
        if week.index != position or start is None:
            yield f"{_where(week)}: weeks must be numbered 1, 2, 3..."
            continue
        expected = start + dt.timedelta(days=7 * (position - 1))
        dates = [day.date for day in week.days]
        if week.start != expected or dates != [expected + dt.timedelta(days=i) for i in range(7)]:
            yield f"{_where(week)}: must hold the 7 days from {expected}"


def planned_volume_adds_up(plan: Plan, library: Library) -> Iterator[str]:
    for week in plan.weeks:
        total = sum(run.distance_km or 0 for run in _week_runs(week))
        if abs(total - week.planned_km) > TOLERANCE_KM:
            yield f"{_where(week)}: planned_km {week.planned_km} but runs add up to {total:.1f}"


def runs_only_on_run_days(plan: Plan, library: Library) -> Iterator[str]:
    for week, day in _days(plan):
        if _runs(day) and _weekday(day) not in plan.athlete.run_days:
            yield f"{_where(week, day)}: a run on {_weekday(day)}, which is not a run day"
        if len(_runs(day)) > 1:
            yield f"{_where(week, day)}: more than one run in a day"


def single_run_within_110_percent(plan: Plan, library: Library) -> Iterator[str]:
    athlete = plan.athlete
    assert athlete.start is not None
    history: list[tuple[dt.date, float]] = [
        (athlete.start - dt.timedelta(days=1), athlete.longest_recent_run_km)
    ]
    for week, day in _days(plan):
        for run in _runs(day):
            window = [km for date, km in history if day.date - dt.timedelta(days=30) <= date]
            limit = 1.1 * max(window, default=0.0)
            if (run.distance_km or 0) > limit + TOLERANCE_KM:
                yield (
                    f"{_where(week, day)}: run of {run.distance_km} km is over 110% of the "
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
        after_calm = previous_phase in ("calm", "return") or previous == 0
        if week.phase == "deload":
            low, high = 0.7 * previous - TOLERANCE_KM, 0.8 * previous + TOLERANCE_KM
            if not low <= week.planned_km <= high:
                yield (
                    f"{_where(week)}: a deload week must be 70-80% of the week before "
                    f"({previous:.1f} km), not {week.planned_km} km"
                )
            if previous_phase in ("calm", "return"):
                yield f"{_where(week)}: no deload straight after a {previous_phase} week"
        elif week.phase == "calm":
            before_calm = last_full if before_calm is None else before_calm
        else:
            yield from _ramp_problem(week, last_full, previous, before_calm)
            if week.planned_km > 0:  # a week without running is no base
                last_full = week.planned_km
            if before_calm is not None and week.planned_km >= before_calm - TOLERANCE_KM:
                before_calm = None
        if week.deload != (week.phase == "deload"):
            yield f"{_where(week)}: deload flag and phase disagree"
        if week.index % 4 == 0 and week.phase in ("build", "maintain") and not after_calm:
            yield f"{_where(week)}: every 4th week must be a deload week"
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
            f"{_where(week)}: {week.planned_km} km is more than the ramp allows "
            f"({allowed:.1f} km: {rule})"
        )


def rest_days(plan: Plan, library: Library) -> Iterator[str]:
    athlete = plan.athlete
    for week in plan.weeks:
        if _history(plan, week):
            continue
        count = 0
        for day in week.days:
            training = [s.kind for s in day.sessions if s.kind in TRAINING_KINDS]
            if day.rest and training:
                yield f"{_where(week, day)}: a rest day holds {', '.join(training)}"
            if not day.rest and not training:
                yield f"{_where(week, day)}: a day without training must be marked rest"
            if _weekday(day) in athlete.rest_days and not day.rest:
                yield f"{_where(week, day)}: {_weekday(day)} is one of the runner's rest days"
            count += day.rest
        if count < athlete.min_rest_days and not _is_flare_up_week(plan, week):
            yield f"{_where(week)}: {count} rest days, fewer than {athlete.min_rest_days}"


def long_run_rules(plan: Plan, library: Library) -> Iterator[str]:
    """The week's longest run is its long run, whatever its label: at most 30% of the week
    (35% below 20 km, 40% with 3 runs or fewer, 60% with two). A run labelled long is on the
    long-run day and no other run is longer."""
    athlete = plan.athlete
    for week in plan.weeks:
        if _history(plan, week) or _is_flare_up_week(plan, week):
            continue  # a week cut by a flare-up keeps the runs already done
        runs = _week_runs(week)
        longest = max((run.distance_km or 0 for run in runs), default=0.0)
        share = _long_run_share(len(runs), week.planned_km)
        if longest > share * week.planned_km + TOLERANCE_KM:
            day = next(day for day in week.days if _tenths(day) == round(longest * 10))
            yield (
                f"{_where(week, day)}: the longest run, {longest} km, is over {share:.0%} of "
                f"the week ({week.planned_km} km)"
            )
        for day in week.days:
            for run in _runs(day):
                if run.run_type != "long":
                    continue
                if _weekday(day) != athlete.long_run_day:
                    yield f"{_where(week, day)}: long run off the long-run day"
                if longest > (run.distance_km or 0) + TOLERANCE_KM:
                    yield f"{_where(week, day)}: another run is longer than the long run"


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
    return sum(round((run.distance_km or 0) * 10) for run in _runs(day))


def _long_run_days(week: Week) -> list[Day]:
    """The days of the week's longest run (all of them when several runs tie)."""
    longest = max((_tenths(day) for day in week.days), default=0)
    return [day for day in week.days if longest and _tenths(day) == longest]


def runs_beside_the_long_run(plan: Plan, library: Library) -> Iterator[str]:
    """A run the day before or after the week's longest run is at most 75% of it and never
    a quality run, across the week boundary too."""
    all_days = [day for _, day in _days(plan)]
    position = {day.date: i for i, day in enumerate(all_days)}
    for week in plan.weeks:
        for long_day in _long_run_days(week):
            i = position[long_day.date]
            for beside in all_days[max(i - 1, 0):i] + all_days[i + 1:i + 2]:
                if _lived(plan, long_day) and _lived(plan, beside):
                    continue
                if 4 * _tenths(beside) > 3 * _tenths(long_day):
                    yield (
                        f"{_where(week, beside)}: a run of {_tenths(beside) / 10} km beside "
                        f"the {_tenths(long_day) / 10} km long run of {long_day.date} (at most "
                        "75% of it)"
                    )
                if any(run.run_type == "quality" for run in _runs(beside)):
                    yield (f"{_where(week, beside)}: a quality run beside the long run of "
                           f"{long_day.date}")


def no_strength_on_the_long_run_day(plan: Plan, library: Library) -> Iterator[str]:
    """No strength work on the day of the week's longest run."""
    for week in plan.weeks:
        for day in _long_run_days(week):
            if not _lived(plan, day) and any(s.kind == "strength" for s in day.sessions):
                yield f"{_where(week, day)}: strength on the day of the week's longest run"


def hard_runs_apart(plan: Plan, library: Library) -> Iterator[str]:
    previous_hard = False
    for week, day in _days(plan):
        hard = any(run.run_type in HARD_RUNS for run in _runs(day))
        if hard and previous_hard:
            yield f"{_where(week, day)}: long or quality run the day after another"
        previous_hard = hard


def mostly_easy(plan: Plan, library: Library) -> Iterator[str]:
    for week in plan.weeks:
        if _history(plan, week):
            continue
        runs = _week_runs(week)
        quality = sum(r.distance_km or 0 for r in runs if r.run_type == "quality")
        if quality > 0.2 * week.planned_km + TOLERANCE_KM and not _is_flare_up_week(plan, week):
            yield f"{_where(week)}: quality running is over 20% of the week"
        if sum(r.run_type == "quality" for r in runs) > 1:
            yield f"{_where(week)}: more than one quality run"


def core_and_strength(plan: Plan, library: Library) -> Iterator[str]:
    previous_strength = False
    all_days = list(_days(plan))
    for position, (week, day) in enumerate(all_days):
        strength = any(s.kind == "strength" for s in day.sessions)
        if strength and previous_strength:
            yield f"{_where(week, day)}: strength on two consecutive days"
        following = all_days[position + 1][1] if position + 1 < len(all_days) else None
        if strength and following and any(r.run_type == "long" for r in _runs(following)):
            yield f"{_where(week, day)}: strength the day before the long run"
        previous_strength = strength
    for week in plan.weeks:
        if _history(plan, week):
            continue
        kinds = [{s.kind for s in day.sessions} for day in week.days]
        core_days = sum("core" in k for k in kinds)
        strength_days = sum("strength" in k for k in kinds)
        either = sum(bool(k & {"core", "strength"}) for k in kinds)
        low = 0 if _is_flare_up_week(plan, week) else 2
        if not (low <= core_days <= 3 and low <= strength_days <= 3 and either <= 3):
            yield (
                f"{_where(week)}: core on {core_days} and strength on {strength_days} days "
                f"({either} days in all); the rule is 2-3 days a week"
            )


def runs_warm_up_and_cool_down(plan: Plan, library: Library) -> Iterator[str]:
    for week, day in _days(plan):
        for run in _runs(day):
            categories = {
                library.exercises[e.id].category for e in run.exercises if e.id in library.exercises
            }
            if not {"warm_up", "cool_down"} <= categories:
                yield f"{_where(week, day)}: a run without a dynamic warm-up and static cool-down"


def time_budget(plan: Plan, library: Library) -> Iterator[str]:
    for week, day in _days(plan):
        used = sum(s.minutes for s in day.sessions)
        allowed = plan.athlete.minutes_on(_weekday(day))
        if used > allowed:
            yield f"{_where(week, day)}: {used} minutes planned, {allowed} available"


def equipment_and_back(plan: Plan, library: Library) -> Iterator[str]:
    athlete = plan.athlete
    avoid = set(athlete.back.avoided_contraindications())
    for week, day in _days(plan):
        if _lived(plan, day):
            continue
        calm = week.phase in ("calm", "return")
        for session in day.sessions:
            for planned in session.exercises:
                exercise = library.exercises.get(planned.id)
                if exercise is None:
                    yield f"{_where(week, day)}: unknown exercise '{planned.id}'"
                    continue
                if exercise.category == "cross_training":
                    if session.kind == "cross_training" and exercise.id not in (
                        athlete.cross_training
                    ):
                        yield f"{_where(week, day)}: {exercise.id} is not available to the runner"
                elif not exercise.fits_equipment(athlete.equipment):
                    yield f"{_where(week, day)}: {exercise.id} needs equipment the runner lacks"
                blocked = avoid | ({"flare_up"} if calm else set())
                if not exercise.is_safe_for(frozenset(blocked)):
                    yield f"{_where(week, day)}: {exercise.id} is contraindicated for this back"


def calm_weeks(plan: Plan, library: Library) -> Iterator[str]:
    pain = plan.athlete.back.pain
    for week in plan.weeks:
        if _history(plan, week):
            continue
        new_days = [day for day in week.days if not _lived(plan, day)]
        runs = [run for day in new_days for run in _runs(day)]
        if week.phase == "calm" and pain >= 5 and runs:
            yield f"{_where(week)}: a calm week at pain {pain} must hold no running"
        if week.phase in ("calm", "return") and any(r.run_type in HARD_RUNS for r in runs):
            yield f"{_where(week)}: no long or quality runs while calm"
        if week.phase == "calm" and plan.referral is None:
            active = {"walk", "run", "cross_training", "core", "strength"}
            for day in new_days:
                room = plan.athlete.minutes_on(_weekday(day)) >= 20
                if room and not any(s.kind in active for s in day.sessions):
                    yield f"{_where(week, day)}: never bed rest: a calm week keeps walking"
    if 3 <= pain <= 6 and plan.weeks and _flare_up_date(plan) is None:
        first = plan.weeks[0]
        if first.phase != "calm":
            yield f"{_where(first)}: pain {pain} must start with a calm week"
        if first.planned_km > 0.55 * plan.athlete.current_weekly_km + TOLERANCE_KM:
            yield f"{_where(first)}: running in a calm week must be about half the usual or less"


def deload_lowers_all_training(plan: Plan, library: Library) -> Iterator[str]:
    """A deload week lowers all training, not only running: its core, strength, mobility and
    cross-training minutes together are no more than the week before's, and it holds no
    more days of each."""
    for previous, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        if week.phase != "deload" or _history(plan, week):
            continue
        before, now = _minutes_off_the_run(previous), _minutes_off_the_run(week)
        if now > before:
            yield (f"{_where(week)}: a deload week with {now} minutes of core, strength, "
                   f"mobility and cross-training, more than the {before} of the week before")
        for kind in LOWERED_IN_A_DELOAD:
            days_before, days_now = _days_with(previous, kind), _days_with(week, kind)
            if days_now > days_before:
                yield (f"{_where(week)}: a deload week with {kind} on {days_now} days, more "
                       f"than the {days_before} of the week before")


def _minutes_off_the_run(week: Week) -> int:
    return sum(s.minutes for day in week.days for s in day.sessions
               if s.kind in LOWERED_IN_A_DELOAD)


def _days_with(week: Week, kind: str) -> int:
    return sum(any(s.kind == kind for s in day.sessions) for day in week.days)


def calm_spell_after_a_report(plan: Plan, library: Library) -> Iterator[str]:
    """After a pain 3-4 report, no run in the next 7 days is longer than the longest of the 7
    days before it (days before the plan count as the profile's longest recent run)."""
    date = _flare_up_date(plan)
    revised = plan.revised_from or {}
    if date is None or not 3 <= int(str(revised.get("pain", 0))) <= 4:
        return
    spell = dt.timedelta(days=7)
    before = [day for _, day in _days(plan) if date - spell <= day.date < date]
    longest = max((run.distance_km or 0 for day in before for run in _runs(day)), default=0.0)
    assert plan.athlete.start is not None
    if date - spell < plan.athlete.start:
        longest = max(longest, plan.athlete.longest_recent_run_km)
    for week, day in _days(plan):
        for run in _runs(day):
            if date <= day.date < date + spell and (run.distance_km or 0) > longest + TOLERANCE_KM:
                yield (f"{_where(week, day)}: a run of {run.distance_km} km within 7 days of a "
                       f"pain {revised['pain']} report, longer than the {longest:.1f} km "
                       "longest of the 7 days before it")


def weekly_coverage(plan: Plan, library: Library) -> Iterator[str]:
    for week in plan.weeks:
        if _history(plan, week):
            continue
        targets: set[str] = set()
        for day in week.days:
            for session in day.sessions:
                for planned in session.exercises:
                    exercise = library.exercises.get(planned.id)
                    if exercise and exercise.category != "cross_training":
                        targets.update(exercise.targets)
                        if exercise.category == "hip_mobility":
                            targets.add("hip_mobility")
        missing = {"core", "glutes", "hamstrings", "hip_mobility"} - targets
        if missing and not _is_flare_up_week(plan, week) and plan.referral is None:
            yield f"{_where(week)}: no exercise for {', '.join(sorted(missing))} this week"


CHECKS: tuple[Check, ...] = (
    referral_means_no_training,
    weeks_are_consecutive,
    planned_volume_adds_up,
    runs_only_on_run_days,
    single_run_within_110_percent,
    weekly_ramp_and_deloads,
    rest_days,
    long_run_rules,
    runs_beside_the_long_run,
    no_strength_on_the_long_run_day,
    hard_runs_apart,
    mostly_easy,
    core_and_strength,
    runs_warm_up_and_cool_down,
    time_budget,
    equipment_and_back,
    calm_weeks,
    calm_spell_after_a_report,
    deload_lowers_all_training,
    weekly_coverage,
)
