"""The plan as an iCalendar file (RFC 5545): one all-day event per day that has sessions.

Importing a revised plan must update a calendar, not double it, so each day's
event has a UID made from the athlete and the date, and its SEQUENCE is the
revision it comes from (revision 1 is sequence 0): a revision's events
supersede the last one's. A day that had sessions in an earlier revision and
has none now comes back as a cancelled event under its old UID, so the
calendar drops it. A referral (no training) is one reminder event, so the calendar
says why the days are gone.

The text is written here, line by line, rather than with the icalendar package (which the
tests read it back with): written plainly, a runner's calendar takes a fraction of the time
the package's objects take.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from backstride.inputs.library import Library
from backstride.inputs.pace import format_distance
from backstride.plan import Day, Plan, Session
from backstride.render.format import planned_dose, session_meta
from backstride.render.runs import run_details


@dataclass(frozen=True)
class CalendarHistory:
    """What the earlier revisions of a plan put in the runner's calendar, so that the next
    calendar can take back what is gone."""

    training_days: frozenset[dt.date] = frozenset()
    referral_day: dt.date | None = None  # the latest earlier referral reminder's day
    stored_at: dt.datetime | None = None  # when this revision was stored: the events' DTSTAMP


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
    """Every session as the week page gives it (its line, a run's workout and how hard),
    with its exercises and dose, then the revision and the disclaimer."""
    units = plan.athlete.units
    lines: list[str] = []
    for session in day.sessions:
        meta = session_meta(session, units)
        lines.append(f"{session.title} · {meta}" if meta else session.title)
        lines.extend(run_details(session, units))
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
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_text(PRODUCT_ID)}", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_text(f'backstride: {plan.athlete.name}')}"]
    # When the revision was stored, so the same revision always gives the same file (a plan
    # not from the history falls back to its first day).
    stamp = earlier.stored_at or dt.datetime.combine(
        _first_day(plan, earlier.training_days), dt.time(), tzinfo=dt.timezone.utc)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    stamp = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    event = functools.partial(_event, lines, athlete_id, sequence=sequence, stamp=stamp)
    for week in plan.weeks:
        for day in week.days:
            if day.sessions:
                event(day.date, day_summary(day, plan.athlete.units),
                      day_description(day, plan, library), "CONFIRMED")
    if plan.referral is not None:
        stopped = plan.referral_day()
        assert stopped is not None
        # A reminder on the day training stopped: who to see, and why (one per athlete).
        event(stopped, "See a doctor or physiotherapist before training",
              "\n".join([plan.referral.reason, plan.referral.advice, "", plan.disclaimer]),
              "CONFIRMED", uid=referral_uid(athlete_id))
    elif earlier.referral_day is not None:  # cleared and planned again: take the reminder back
        event(earlier.referral_day, "Cancelled: referral reminder", None, "CANCELLED",
              uid=referral_uid(athlete_id))
    for gone in sorted(set(earlier.training_days) - plan.training_days()):
        event(gone, "Cancelled: no training this day",
              f"Removed by backstride plan revision {plan.revision}.", "CANCELLED")
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) + b"\r\n" for line in lines)


def _event(lines: list[str], athlete_id: str, day: dt.date, summary: str,
           description: str | None, status: str, *, sequence: int, stamp: dt.datetime,
           uid: str | None = None) -> None:
    """Add to `lines` one all-day event on `day`, free time in the calendar (its properties
    in the order the icalendar package writes them, as earlier revisions of the file had)."""
    lines += ["BEGIN:VEVENT", f"SUMMARY:{_text(summary)}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
              f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
              f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}", f"UID:{_text(uid or event_uid(athlete_id, day))}",
              f"SEQUENCE:{sequence}"]
    if description is not None:
        lines.append(f"DESCRIPTION:{_text(description)}")
    lines += [f"STATUS:{status}", "TRANSP:TRANSPARENT", "END:VEVENT"]


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545, 3.3.11): backslash, semicolon, comma, line breaks."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


_FOLD_OCTETS = 74  # a line's octets before its break; a continuation adds one space


def _fold(line: str) -> bytes:
    """`line` in UTF-8, folded (RFC 5545, 3.1) into pieces of at most 74 octets, never
    inside a character's octets, and never just after a backslash, which some calendars
    would read as an escape cut in two."""
    data = line.encode("utf-8")
    pieces = []
    start = 0
    while len(data) - start > _FOLD_OCTETS:
        cut = start + _FOLD_OCTETS
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation octet: back to its start
            cut -= 1
        if data[cut - 1] == ord("\\") and cut - 1 > start:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def _first_day(plan: Plan, earlier_days: Iterable[dt.date]) -> dt.date:
    days = [week.start for week in plan.weeks[:1]] + list(earlier_days)
    return min(days, default=dt.date(2000, 1, 1))
