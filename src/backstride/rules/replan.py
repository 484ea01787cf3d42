"""Re-planning after a flare-up: keep what happened, re-plan from the report's day.

The same tiers as triage at planning time (DESIGN.md): any red flag or pain 7+
stops training from that day with a referral; pain 5-6 gives a calm rest of the
week without running, then a walk-run return week; pain 3-4 a calm rest of the
week with running cut to about half and no long or quality runs; pain 0-2 keeps
the plan but leaves flare-up-sensitive exercises out for seven days. After a calm
spell running restarts at about half the volume before the flare-up and climbs by
the normal ramp, never jumping back to the old targets. A new `worse_with` sticks.
Re-planned weeks keep the old week skeletons wherever the rules and the volume allow (the
scheduler penalises each changed day), and a later profile change keeps the calm spell,
return and regain (`keep_recovery`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backstride.errors import InputError
from backstride.inputs.library import Library
from backstride.inputs.profile import Profile
from backstride.inputs.red_flags import RED_FLAGS
from backstride.plan import Day, Plan, Session, Week
from backstride.rules.planner import (
    FlareUp,
    PlannedWeeks,
    back_avoid,
    plan_weeks,
    prescriber_for,
    runs_of,
    skeleton_of,
)
from backstride.rules.prescribe import WeekContext
from backstride.rules.progression import CALM_PHASES, CALM_SPELL_DAYS
from backstride.rules.triage import RECENT_FLARE_UP, RECENT_PAIN, PainTier, pain_tier, referral_for
from backstride.rules.week import CROSS_TRAINING_MINUTES, DayPlan

FLARE_UP_SAFE_DAYS = CALM_SPELL_DAYS
REVIEW_AFTER_DAYS = 42  # pain reported over 6 weeks or more: advise a professional review


@dataclass(frozen=True)
class FlareUpReport:
    """What the runner reported: the day, the pain (0-10) and what came with it."""

    date: dt.date
    pain: int
    worse_with: str | None = None
    red_flags: tuple[str, ...] = ()
    note: str = ""
    first_report: dt.date | None = None  # the athlete's earliest report, for the 6-week advice

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "pain": self.pain,
            "worse_with": self.worse_with,
            "red_flags": list(self.red_flags),
            "note": self.note,
        }


def check_report(plan: Plan, report: FlareUpReport) -> None:
    """Refuse a report the plan cannot take, with one clear line."""
    if not plan.weeks or plan.referral is not None:
        raise InputError([
            f"{plan.athlete.id}: the current plan holds no training to adapt (it is a referral); "
            "once a professional has cleared the runner, `backstride plan PROFILE --replan`"
        ])
    first, last = plan.weeks[0].days[0].date, plan.weeks[-1].days[-1].date
    if not first <= report.date <= last:
        raise InputError([
            f"--date {report.date}: outside the plan ({first} to {last}); give a day within it"
        ])
    unknown = [flag for flag in report.red_flags if flag not in RED_FLAGS]
    if unknown:
        raise InputError([f"--red-flag {unknown[0]}: unknown; use one of {', '.join(RED_FLAGS)}"])


def replan_after_flare_up(old: Plan, report: FlareUpReport, library: Library) -> Plan:
    """The next revision of `old` after `report`; days before the report stay as they were."""
    check_report(old, report)
    back = old.athlete.back.model_copy(
        update={
            "pain": report.pain,
            "red_flags": list(report.red_flags),
            **({"worse_with": report.worse_with} if report.worse_with else {}),
        }
    )
    profile = old.athlete.model_copy(update={"back": back})
    week_index, day_offset = _position(old, report.date)
    kept_weeks = list(old.weeks[: week_index - 1])
    tier = pain_tier(back)
    notes = [_flare_note(report, tier)]
    if report.first_report and (report.date - report.first_report).days >= REVIEW_AFTER_DAYS:
        notes.append(
            "Back pain has now been reported for 6 weeks or more: please book a review with "
            "a doctor or physiotherapist."
        )
    if tier is PainTier.REFER:
        weeks = [*kept_weeks, _stopped_week(old.weeks[week_index - 1], day_offset)]
        new = Plan(athlete=profile, referral=referral_for(back), weeks=weeks, notes=notes)
    elif tier is PainTier.CONTINUE:
        weeks = _without_flare_up_moves(old, profile, library, report.date)
        new = Plan(athlete=profile, weeks=weeks, notes=notes)
    else:
        flare_up = _flare_up(old, report.date, week_index, day_offset)
        planned = plan_weeks(profile, library, tier, last_week=len(old.weeks), flare_up=flare_up)
        new = Plan(athlete=profile, weeks=[*kept_weeks, *planned.weeks],
                   notes=[*notes, *planned.notes])
    changed = [day.date for day in new.days_changed_from(old, report.date)]
    new.revised_from = {
        "kind": "flare_up",
        "report": report.note,
        "date": report.date.isoformat(),
        "pain": report.pain,
        "changed_days": [day.isoformat() for day in changed],
    }
    if tier in (PainTier.CALM_NO_RUNNING, PainTier.CALM_HALF_RUNNING):
        # What a later profile change keeps (`keep_recovery`): the calm spell, the return and
        # the regain, through the first week back at the volume before the flare-up.
        volume_before = _volume_before(old, week_index)
        new.revised_from["recovery_ends"] = _recovery_end(new, week_index, volume_before)
    return new


def _recovery_end(plan: Plan, week_index: int, volume_before_km: float) -> str:
    """The last day of the first week after the flare-up's week that runs the volume before it
    again (or as much as the goal or the runner's limits allow: a maintained week), outside a
    return or deload week; the plan's last day when none does."""
    regained = min(volume_before_km, plan.athlete.goal_weekly_km) - 0.05
    for week in plan.weeks[week_index:]:
        back = week.planned_km >= regained or week.phase == "maintain"
        if week.phase not in (*CALM_PHASES, "deload") and back:
            return week.days[-1].date.isoformat()
    return plan.weeks[-1].days[-1].date.isoformat()


def keep_recovery(current: Plan, profile: Profile, library: Library,
                  today: dt.date) -> Plan | None:
    """`profile`'s plan when it changes while the current plan's flare-up recovery is still
    running on `today`: the current plan's days through the end of the recovery (its calm
    spell, return and regain) stay as they were, and the new profile applies from the next
    day, with the same planner a flare-up re-plans with. None when no recovery runs past
    `today`, or the new profile cannot keep one (another start, or a referral): then the
    profile is planned afresh."""
    revised = current.revised_from or {}
    ends = revised.get("recovery_ends")
    if (not isinstance(ends, str) or current.referral is not None or not current.weeks
            or profile.start != current.athlete.start):
        return None
    recovery_ends = dt.date.fromisoformat(ends)
    tier = pain_tier(profile.back)
    if today > recovery_ends or tier is PainTier.REFER:
        return None
    first_new_day = recovery_ends + dt.timedelta(days=1)
    week_index = len([week for week in current.weeks if week.days[-1].date < first_new_day]) + 1
    kept_weeks = current.weeks[: min(week_index - 1, profile.weeks)]
    note = (f"Your profile changed on {today}; the flare-up of {revised.get('date')}: its calm "
            f"spell, return and regain are kept, the new profile applies from {first_new_day}.")
    planned = PlannedWeeks([], [])
    if week_index <= profile.weeks:
        level = _last_full_week_km(current, week_index)
        flare_up = FlareUp(
            week_index=week_index,
            lived_days=tuple(day for week in kept_weeks for day in week.days),
            calm_until=first_new_day,
            volume_before_km=level,
            ramp_cap_tenths=_ramp_cap(current, week_index),
            rest_of_week_tenths=0,
            old_skeletons=_skeletons_from(current, week_index),
            old_phases=_phases_before(current, week_index),
        )
        planned = plan_weeks(profile, library, tier, last_week=profile.weeks, flare_up=flare_up)
    new = Plan(athlete=profile, weeks=[*kept_weeks, *planned.weeks],
               notes=[note, *planned.notes])
    new.revised_from = {
        "kind": "profile_change",
        "date": today.isoformat(),
        "applies_from": first_new_day.isoformat(),
        "flare_up": revised.get("date"),
        "changed_days": [day.date.isoformat()
                         for day in new.days_changed_from(current, first_new_day)],
    }
    return new


def _flare_up(old: Plan, date: dt.date, week_index: int, day_offset: int) -> FlareUp:
    """What a calm spell from `date` (day `day_offset` of week `week_index`) changes for the
    planner: it re-plans from that week, keeping the days before `date`."""
    return FlareUp(
        week_index=week_index,
        lived_days=tuple(day for week in old.weeks for day in week.days if day.date < date),
        calm_until=date + dt.timedelta(days=FLARE_UP_SAFE_DAYS),
        volume_before_km=_volume_before(old, week_index),
        ramp_cap_tenths=_ramp_cap(old, week_index),
        rest_of_week_tenths=sum(
            tenths for _, tenths in runs_of(old.weeks[week_index - 1].days[day_offset:])
        ),
        old_week_tenths={week.index: round(week.planned_km * 10)
                         for week in old.weeks if week.index > week_index},
        old_skeletons=_skeletons_from(old, week_index),
        old_phases=_phases_before(old, week_index),
    )


def _skeletons_from(plan: Plan, week_index: int) -> dict[int, tuple[DayPlan, ...]]:
    """The day skeleton of each week of `plan` from `week_index` on: what a revision keeps
    where the new situation does not require a change."""
    return {week.index: tuple(skeleton_of(day) for day in week.days)
            for week in plan.weeks if week.index >= week_index}


def _phases_before(plan: Plan, week_index: int) -> dict[int, str]:
    """The phase of each week of `plan` before `week_index`: the routines were built on them."""
    return {week.index: week.phase for week in plan.weeks if week.index < week_index}


def _position(plan: Plan, date: dt.date) -> tuple[int, int]:
    for week in plan.weeks:
        for offset, day in enumerate(week.days):
            if day.date == date:
                return week.index, offset
    raise InputError([f"--date {date}: not a day of the plan"])


def _volume_before(plan: Plan, week_index: int) -> float:
    """The weekly volume the runner was on when the flare-up came: the week it came in
    (a deload or a return week included: half of the lower figure is the safer restart)."""
    for week in reversed(plan.weeks[:week_index]):
        if week.planned_km > 0:
            return week.planned_km
    return plan.athlete.current_weekly_km


def _ramp_cap(plan: Plan, week_index: int) -> int:
    """+10% over the last week before the flare-up week that was not a deload."""
    return int(_last_full_week_km(plan, week_index) * 11 + 1e-9)


def _last_full_week_km(plan: Plan, week_index: int) -> float:
    """The volume of the last week before week `week_index` that ran and was no deload."""
    for week in reversed(plan.weeks[: week_index - 1]):
        if not week.deload and week.planned_km > 0:
            return week.planned_km
    return plan.athlete.current_weekly_km


def _stopped_week(week: Week, day_offset: int) -> Week:
    days = [
        day if position < day_offset else Day(date=day.date, rest=True, sessions=[])
        for position, day in enumerate(week.days)
    ]
    planned = sum(s.distance_km or 0 for day in days for s in day.sessions if s.kind == "run")
    return week.model_copy(
        update={"days": days, "planned_km": round(planned, 1), "phase": "calm", "deload": False}
    )


def _without_flare_up_moves(
    old: Plan, profile: Profile, library: Library, date: dt.date
) -> list[Week]:
    """Pain 0-2: the same sessions; from the report's day on, a session with an exercise
    the back should now avoid (flare-up moves for a week, a new worse_with from then on)
    gets its exercises chosen again, and every other session stays exactly as it was (a
    run's warm-up and cool-down, say, when only the day's core work had such a move)."""
    prescriber = prescriber_for(profile, library)
    # The old plan's weeks, so a session chosen again comes from its block's routine at
    # that week's dose.
    prescriber.follow({week.index: week.phase for week in old.weeks})
    back_avoids = back_avoid(profile)
    weeks = []
    for week in old.weeks:
        avoids = [_day_avoid(back_avoids, week, day, date) for day in week.days]
        unsafe = [day.date >= date and not _still_safe(day, library, avoid)
                  for day, avoid in zip(week.days, avoids, strict=True)]
        if not any(unsafe):
            weeks.append(week)
            continue
        days = []
        # Every day of the week is prescribed again, in order, so that the week's routine
        # sessions take their turns as they did; only the unsafe days take the new choice.
        calm = week.phase in CALM_PHASES
        for day, avoid, redo in zip(week.days, avoids, unsafe, strict=True):
            cross = next((s.minutes for s in day.sessions if s.kind == "cross_training"),
                         CROSS_TRAINING_MINUTES)
            context = WeekContext(
                index=week.index, avoid=avoid, gentle=calm,
                cross_training_minutes=cross, stand_in=calm,
                cross_training_options=tuple(profile.cross_training) or ("walk",),
                phase=week.phase,
            )
            chosen = prescriber.sessions_for(skeleton_of(day), context)
            days.append(Day(date=day.date, rest=day.rest,
                            sessions=_unsafe_replaced(day.sessions, chosen, library, avoid))
                        if redo else day)
        weeks.append(week.model_copy(update={"days": days}))
    return weeks


def _day_avoid(back_avoids: frozenset[str], week: Week, day: Day, date: dt.date
               ) -> frozenset[str]:
    """What the back avoids on `day` after a pain 0-2 report on `date`: flare-up moves for a
    week (and in calm and return weeks), loaded rotation for four weeks."""
    avoid = set(back_avoids)
    if (day.date - date).days < FLARE_UP_SAFE_DAYS or week.phase in CALM_PHASES:
        avoid.add("flare_up")
    if dt.timedelta(0) <= day.date - date < RECENT_FLARE_UP:
        avoid.add(RECENT_PAIN)
    return frozenset(avoid)


def _still_safe(day: Day, library: Library, avoid: frozenset[str]) -> bool:
    """Every exercise of `day` is in the library and none is one the back should avoid."""
    return all(_session_safe(session, library, avoid) for session in day.sessions)


def _session_safe(session: Session, library: Library, avoid: frozenset[str]) -> bool:
    return all(e.id in library.exercises and library.exercises[e.id].is_safe_for(avoid)
               for e in session.exercises)


def _unsafe_replaced(old: list[Session], chosen: list[Session], library: Library,
                     avoid: frozenset[str]) -> list[Session]:
    """`old`, with each session the back should now avoid replaced by its newly `chosen`
    counterpart (the same skeleton gives the same sessions in the same order)."""
    if [s.kind for s in old] != [s.kind for s in chosen]:
        return chosen
    return [session if _session_safe(session, library, avoid) else new
            for session, new in zip(old, chosen, strict=True)]


def _flare_note(report: FlareUpReport, tier: PainTier) -> str:
    when = report.date.isoformat()
    if tier is PainTier.REFER:
        return f"Flare-up reported on {when} (pain {report.pain}/10): no training from that day."
    if tier is PainTier.CALM_NO_RUNNING:
        return (f"Flare-up reported on {when} (pain {report.pain}/10): no running for the rest "
                "of that week, then a walk-run return at about half your usual volume.")
    if tier is PainTier.CALM_HALF_RUNNING:
        return (f"Flare-up reported on {when} (pain {report.pain}/10): running cut to about half "
                "for the rest of that week, easy runs only, then a gradual climb.")
    return (f"Flare-up reported on {when} (pain {report.pain}/10): the plan continues, without "
            "flare-up-sensitive exercises for a week.")
