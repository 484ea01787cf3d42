"""The checks of everything else in a plan: referrals, weeks and volumes adding up, rest
days, core and strength, warm-ups and cool-downs, time budgets, equipment and the back,
calm weeks, deloads of all training, and what each week covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from backstride.check.days import (
    HARD_RUNS,
    LOWERED_IN_A_DELOAD,
    TOLERANCE_KM,
    TRAINING_KINDS,
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
from backstride.plan import Plan, Week
from backstride.rules.progression import CALM_PHASES
from backstride.rules.triage import MAX_PAIN_FOR_LOADED_ROTATION, RECENT_FLARE_UP, RECENT_PAIN
from backstride.rules.week import WALK_MINUTES


def referral_means_no_training(plan: Plan, library: Library) -> Iterator[str]:
    back = plan.athlete.back
    must_refer = bool(back.red_flags) or back.pain >= 7
    training_after = [
        day.date for _, day in plan_days(plan) if day.sessions and not is_lived(plan, day)
    ]
    if must_refer and plan.referral is None:
        yield "red flags or pain 7+ must give a referral and no training plan"
    if plan.referral is not None and training_after:
        yield f"a plan with a referral must hold no training (sessions on {training_after[0]})"


def weeks_are_consecutive(plan: Plan, library: Library) -> Iterator[str]:
    start = plan.athlete.start
    for position, week in enumerate(plan.weeks, start=1):
        if week.index != position or start is None:
            yield f"{where(week)}: weeks must be numbered 1, 2, 3..."
            continue
        expected = start + dt.timedelta(days=7 * (position - 1))
        dates = [day.date for day in week.days]
        if week.start != expected or dates != [expected + dt.timedelta(days=i) for i in range(7)]:
            yield f"{where(week)}: must hold the 7 days from {expected}"


def planned_volume_adds_up(plan: Plan, library: Library) -> Iterator[str]:
    for week in plan.weeks:
        total = sum(run.distance_km or 0 for run in week_runs(week))
        if abs(total - week.planned_km) > TOLERANCE_KM:
            yield f"{where(week)}: planned_km {week.planned_km:.1f} but runs add up to {total:.1f}"


def rest_days(plan: Plan, library: Library) -> Iterator[str]:
    athlete = plan.athlete
    for week in plan.weeks:
        if is_history(plan, week):
            continue
        count = 0
        for day in week.days:
            training = [s.kind for s in day.sessions if s.kind in TRAINING_KINDS]
            if day.rest and training:
                yield f"{where(week, day)}: a rest day holds {', '.join(training)}"
            if not day.rest and not training:
                yield f"{where(week, day)}: a day without training must be marked rest"
            if weekday_of(day) in athlete.rest_days and not day.rest:
                yield f"{where(week, day)}: {weekday_of(day)} is one of the runner's rest days"
            count += day.rest
        if count < athlete.min_rest_days and not is_flare_up_week(plan, week):
            yield f"{where(week)}: {count} rest days, fewer than {athlete.min_rest_days}"


def core_and_strength(plan: Plan, library: Library) -> Iterator[str]:
    previous_strength = False
    all_days = list(plan_days(plan))
    for position, (week, day) in enumerate(all_days):
        strength = any(s.kind == "strength" for s in day.sessions)
        if strength and previous_strength:
            yield f"{where(week, day)}: strength on two consecutive days"
        following = all_days[position + 1][1] if position + 1 < len(all_days) else None
        if strength and following and any(r.run_type == "long" for r in runs_on(following)):
            yield f"{where(week, day)}: strength the day before the long run"
        previous_strength = strength
    for week in plan.weeks:
        if is_history(plan, week):
            continue
        kinds = [{s.kind for s in day.sessions} for day in week.days]
        core_days = sum("core" in k for k in kinds)
        strength_days = sum("strength" in k for k in kinds)
        either = sum(bool(k & {"core", "strength"}) for k in kinds)
        low = 0 if is_flare_up_week(plan, week) else 2
        if not (low <= core_days <= 3 and low <= strength_days <= 3 and either <= 3):
            yield (
                f"{where(week)}: core on {core_days} and strength on {strength_days} days "
                f"({either} days in all); the rule is 2-3 days a week"
            )


def runs_warm_up_and_cool_down(plan: Plan, library: Library) -> Iterator[str]:
    for week, day in plan_days(plan):
        for run in runs_on(day):
            categories = {
                library.exercises[e.id].category for e in run.exercises if e.id in library.exercises
            }
            if not {"warm_up", "cool_down"} <= categories:
                yield f"{where(week, day)}: a run without a dynamic warm-up and static cool-down"


def time_budget(plan: Plan, library: Library) -> Iterator[str]:
    for week, day in plan_days(plan):
        used = sum(s.minutes for s in day.sessions)
        allowed = plan.athlete.minutes_on(weekday_of(day))
        if used > allowed:
            yield f"{where(week, day)}: {used} minutes planned, {allowed} available"


def equipment_and_back(plan: Plan, library: Library) -> Iterator[str]:
    athlete = plan.athlete
    avoid = set(athlete.back.avoided_contraindications())
    for week, day in plan_days(plan):
        if is_lived(plan, day):
            continue
        calm = week.phase in CALM_PHASES
        for session in day.sessions:
            for planned in session.exercises:
                exercise = library.exercises.get(planned.id)
                if exercise is None:
                    yield f"{where(week, day)}: unknown exercise '{planned.id}'"
                    continue
                if exercise.category == "cross_training":
                    if session.kind == "cross_training" and exercise.id not in (
                        athlete.cross_training
                    ):
                        yield f"{where(week, day)}: {exercise.id} is not available to the runner"
                elif not exercise.fits_equipment(athlete.equipment):
                    yield f"{where(week, day)}: {exercise.id} needs equipment the runner lacks"
                blocked = avoid | ({"flare_up"} if calm else set())
                if not exercise.is_safe_for(frozenset(blocked)):
                    yield f"{where(week, day)}: {exercise.id} is contraindicated for this back"


def exercises_once_and_apart(plan: Plan, library: Library) -> Iterator[str]:
    """Never the same exercise twice in a session, nor an exercise beside its own harder
    form (DESIGN: Strength, core and mobility)."""
    for week, day in plan_days(plan):
        if is_lived(plan, day):
            continue
        for session in day.sessions:
            ids = [planned.id for planned in session.exercises]
            for twice in sorted({each for each in ids if ids.count(each) > 1}):
                yield f"{where(week, day)}: {session.title} holds {twice} twice"
            for each in sorted(set(ids)):
                exercise = library.exercises.get(each)
                harder = sorted(set(exercise.progression) & set(ids)) if exercise else []
                for other in harder:
                    yield (f"{where(week, day)}: {session.title} holds {each} and its harder "
                           f"form {other}")


def loaded_rotation_only_for_a_calm_back(plan: Plan, library: Library) -> Iterator[str]:
    """Loaded flexion with rotation (Russian twists, bicycle crunches) only for a back with no
    pain above 2 and no flare-up report in the last 4 weeks (DESIGN: The back)."""
    reported = flare_up_date(plan) if (plan.revised_from or {}).get("kind") == "flare_up" else None
    for week, day in plan_days(plan):
        if is_lived(plan, day):
            continue
        too_soon = reported is not None and day.date < reported + RECENT_FLARE_UP
        if plan.athlete.back.pain <= MAX_PAIN_FOR_LOADED_ROTATION and not too_soon:
            continue
        for session in day.sessions:
            for planned in session.exercises:
                exercise = library.exercises.get(planned.id)
                if exercise is not None and RECENT_PAIN in exercise.contraindications:
                    yield (f"{where(week, day)}: {exercise.id} loads the spine in flexion with "
                           "rotation, not for a back in pain or within 4 weeks of a flare-up")


def calm_weeks(plan: Plan, library: Library) -> Iterator[str]:
    pain = plan.athlete.back.pain
    for week in plan.weeks:
        if is_history(plan, week):
            continue
        new_days = [day for day in week.days if not is_lived(plan, day)]
        runs = [run for day in new_days for run in runs_on(day)]
        if week.phase == "calm" and pain >= 5 and runs:
            yield f"{where(week)}: a calm week at pain {pain} must hold no running"
        if week.phase in CALM_PHASES and any(r.run_type in HARD_RUNS for r in runs):
            yield f"{where(week)}: no long or quality runs while calm"
        if week.phase == "calm" and plan.referral is None:
            active = {"walk", "run", "cross_training", "core", "strength"}
            for day in new_days:
                room = plan.athlete.minutes_on(weekday_of(day)) >= WALK_MINUTES
                if room and not any(s.kind in active for s in day.sessions):
                    yield f"{where(week, day)}: never bed rest: a calm week keeps walking"
    if 3 <= pain <= 6 and plan.weeks and flare_up_date(plan) is None:
        first = plan.weeks[0]
        if first.phase != "calm":
            yield f"{where(first)}: pain {pain} must start with a calm week"
        if first.planned_km > 0.55 * plan.athlete.current_weekly_km + TOLERANCE_KM:
            yield f"{where(first)}: running in a calm week must be about half the usual or less"


def deload_lowers_all_training(plan: Plan, library: Library) -> Iterator[str]:
    """A deload week lowers all training, not only running: its core, strength, mobility and
    cross-training minutes together are no more than the week before's, and it holds no
    more days of each."""
    for previous, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        if week.phase != "deload" or is_history(plan, week):
            continue
        before, now = _minutes_off_the_run(previous), _minutes_off_the_run(week)
        if now > before:
            yield (f"{where(week)}: a deload week with {now} minutes of core, strength, "
                   f"mobility and cross-training, more than the {before} of the week before")
        for kind in LOWERED_IN_A_DELOAD:
            days_before, days_now = _days_with(previous, kind), _days_with(week, kind)
            if days_now > days_before:
                yield (f"{where(week)}: a deload week with {kind} on {days_now} days, more "
                       f"than the {days_before} of the week before")


def _minutes_off_the_run(week: Week) -> int:
    return sum(s.minutes for day in week.days for s in day.sessions
               if s.kind in LOWERED_IN_A_DELOAD)


def _days_with(week: Week, kind: str) -> int:
    return sum(any(s.kind == kind for s in day.sessions) for day in week.days)


def weekly_coverage(plan: Plan, library: Library) -> Iterator[str]:
    for week in plan.weeks:
        if is_history(plan, week):
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
        if missing and not is_flare_up_week(plan, week) and plan.referral is None:
            yield f"{where(week)}: no exercise for {', '.join(sorted(missing))} this week"
