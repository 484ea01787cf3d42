"""The plan as an iCalendar file (RFC 5545): one all-day event per day that has sessions.

Importing a revised plan must update a calendar, not double it, so each day's
event has a UID made from the athlete and the date, and its SEQUENCE is the
revision it comes from (revision 1 is sequence 0): a revision's events
supersede the last one's. A day that had sessions in an earlier revision and
has none now comes back as a cancelled event under its old UID, so the
calendar drops it. A referral (no training) is one reminder event, so the calendar
says why the days are gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from backstride.library import Library
from backstride.plan import CalendarHistory, Day, Plan, Session
from backstride.render.html import format_distance, planned_dose, session_meta

PRODUCT_ID = "-//backstride//training plan//EN"
RUN_LABELS = {"easy": "Easy run", "long": "Long run", "quality": "Quality run",
              "walk_run": "Walk-run"}
KIND_LABELS = {"core": "core", "strength": "strength", "mobility": "mobility"}


def event_uid(athlete_id: str, day: dt.date) -> str:
    return f"{athlete_id}-{day:%Y%m%d}@backstride"


def referral_uid(athlete_id: str) -> str:
    return f"{athlete_id}-referral@backstride"


def session_label(session: Session, units: str) -> str:
    """'Easy run 6.0 km', 'core', 'cycle 30 min': a session in a few words."""
    if session.kind == "run":
        label = RUN_LABELS.get(session.run_type or "easy", "Run")
        if session.distance_km is not None:
            label += f" {format_distance(session.distance_km, units)}"
        return label
    return KIND_LABELS.get(session.kind) or session.title[:1].lower() + session.title[1:]


def day_summary(day: Day, units: str) -> str:
    """The event title: 'Easy run 6.0 km + core', 'Rest day: walk 20 min'."""
    text = " + ".join(session_label(session, units) for session in day.sessions)
    if day.rest:
        return f"Rest day: {text}"
    return text[:1].upper() + text[1:]


def day_description(day: Day, plan: Plan, library: Library) -> str:
    """Every session with its exercises and dose, then the revision and the disclaimer."""
    units = plan.athlete.units
    lines: list[str] = []
    for session in day.sessions:
        meta = session_meta(session, units, ", ")
        lines.append(f"{session.title} ({meta})" if meta else session.title)
        lines.extend(
            f"- {exercise.name}: {planned_dose(exercise, library)}"
            for exercise in session.exercises
        )
        lines.append("")
    lines.append(f"backstride plan, revision {plan.revision}.")
    lines.append(plan.disclaimer)
    return "\n".join(lines)


def plan_calendar(
    plan: Plan, library: Library, earlier: CalendarHistory | None = None
) -> bytes:
    """The .ics text of `plan`; `earlier` says what its earlier revisions put in the
    calendar, so what this one no longer has is cancelled."""
    earlier = earlier or CalendarHistory()
    athlete_id = plan.athlete.id or "athlete"
    sequence = plan.revision - 1
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"backstride: {plan.athlete.name}")
    # When the revision was stored, so the same revision always gives the same file (a plan
    # not from the history falls back to its first day).
    stamp = earlier.stored_at or dt.datetime.combine(
        _first_day(plan, earlier.training_days), dt.time(), tzinfo=dt.timezone.utc)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    stamp = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    for week in plan.weeks:
        for day in week.days:
            if not day.sessions:
                continue
            event = _event(athlete_id, day.date, sequence, stamp)
            event.add("summary", day_summary(day, plan.athlete.units))
            event.add("description", day_description(day, plan, library))
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
    if plan.referral is not None:
        calendar.add_component(_referral_event(plan, athlete_id, sequence, stamp))
    elif earlier.referral_day is not None:  # cleared and planned again: take the reminder back
        event = _event(athlete_id, earlier.referral_day, sequence, stamp,
                       uid=referral_uid(athlete_id))
        event.add("summary", "Cancelled: referral reminder")
        event.add("status", "CANCELLED")
        calendar.add_component(event)
    for gone in sorted(set(earlier.training_days) - plan.training_days()):
        event = _event(athlete_id, gone, sequence, stamp)
        event.add("summary", "Cancelled: no training this day")
        event.add("description", f"Removed by backstride plan revision {plan.revision}.")
        event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()


def _referral_event(plan: Plan, athlete_id: str, sequence: int, stamp: dt.datetime) -> Event:
    """A reminder on the day training stopped: who to see, and why (one per athlete)."""
    assert plan.referral is not None
    stopped = plan.referral_day()
    assert stopped is not None
    event = _event(athlete_id, stopped, sequence, stamp, uid=referral_uid(athlete_id))
    event.add("summary", "See a doctor or physiotherapist before training")
    event.add("description", "\n".join([
        plan.referral.reason, plan.referral.advice, "", plan.disclaimer]))
    event.add("status", "CONFIRMED")
    return event


def _event(
    athlete_id: str, day: dt.date, sequence: int, stamp: dt.datetime, uid: str | None = None
) -> Event:
    event = Event()
    event.add("uid", uid or event_uid(athlete_id, day))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("sequence", sequence)
    event.add("transp", "TRANSPARENT")
    return event


def _first_day(plan: Plan, earlier_days: Iterable[dt.date]) -> dt.date:
    days = [week.start for week in plan.weeks[:1]] + list(earlier_days)
    return min(days, default=dt.date(2000, 1, 1))
