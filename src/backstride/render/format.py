"""How numbers, dates and doses read on every output: plan.html and the PDF, and the calendar.

One place for them, so a distance or a dose reads the same on a week page and in the
runner's calendar, and no output depends on the machine's locale.
"""

from __future__ import annotations

import datetime as dt

from backstride.inputs.library import Exercise, Library
from backstride.inputs.pace import clock_text, format_distance, km_per_unit
from backstride.plan import PaceRange, PlannedExercise, Session

EN_DASH = "\u2013"  # date ranges, as typeset: "21 Dec \u2013 27 Dec"
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_profile_distance(value: float, units: str) -> str:
    """A distance the runner typed in their own units: '40 km', '24.5 mi'."""
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {units}"


def format_weekday(day: dt.date) -> str:
    """'Mon'."""
    return _WEEKDAY_NAMES[day.weekday()]


def format_short_date(day: dt.date) -> str:
    """'7 Dec'."""
    return f"{day.day} {_MONTH_NAMES[day.month - 1]}"


def format_long_date(day: dt.date) -> str:
    """'7 Dec 2026'."""
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def format_minutes(minutes: float) -> str:
    """'30 min', '7.5 min'."""
    text = f"{minutes:.1f}".removesuffix(".0")
    return f"{text} min"


def format_dose(sets: int | None, reps: int | None, hold_seconds: int | None,
                minutes: float, *, per_side: bool) -> str:
    """'3 x 30 s hold', '2 x 10 per side', '2 x 8 per side, 3 s hold', '6 min'."""
    side = " per side" if per_side else ""
    count = f"{sets} x " if sets and sets > 1 else ""
    # A single set reads better as "10 reps" than as "1 x 10".
    reps_text = f"{count}{reps}{side}" if count else f"{reps} reps{side}"
    if reps and hold_seconds:
        return f"{reps_text}, {hold_seconds} s hold"
    if reps:
        return reps_text
    if hold_seconds:
        return f"{count}{hold_seconds} s hold{side}"
    return format_minutes(minutes)


def table_dose(sets: int | None, reps: int | None, hold_seconds: int | None,
               minutes: float) -> str:
    """A dose in a routine table's cell, whose row says if it is per side: '2 x 8',
    '3 x 20 s', '3 x 5, 8 s', '1 x 10' (a deload's one set, beside weeks of two)."""
    count = f"{sets} x " if sets else ""
    if reps and hold_seconds:
        return f"{count}{reps}, {hold_seconds} s"
    if reps:
        return f"{count}{reps}"
    if hold_seconds:
        return f"{count}{hold_seconds} s"
    return format_minutes(minutes)


def planned_dose(exercise: PlannedExercise, library: Library) -> str:
    """The dose a session prescribes (whether it is per side comes from the library)."""
    known = library.exercises.get(exercise.id)
    per_side = known.dose.per_side if known else False
    return format_dose(exercise.sets, exercise.reps, exercise.hold_seconds,
                       exercise.minutes, per_side=per_side)


def library_dose(exercise: Exercise) -> str:
    """The exercise's usual dose, as the library gives it."""
    dose = exercise.dose
    return format_dose(dose.sets, dose.reps, dose.hold_seconds, dose.minutes,
                       per_side=dose.per_side)


def first_sentence(text: str) -> str:
    """The first sentence only, where a page has room for one line (footer, week pages)."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def format_pace(seconds_per_km: float, units: str) -> str:
    """'6:05': minutes and seconds per km, or per mile with `units: mi`."""
    return clock_text(seconds_per_km * km_per_unit(units))


def format_pace_range(pace: PaceRange, units: str) -> str:
    """'6:00-6:30/km': the fast end first, as a watch's pace alert reads."""
    fast, slow = format_pace(pace.fast_s_per_km, units), format_pace(pace.slow_s_per_km, units)
    span = fast if fast == slow else f"{fast}-{slow}"
    return f"{span}/{units}"


def session_meta(session: Session, units: str) -> str:
    """What follows the title: '6.0 km · 36 min at 6:00-6:30/km, + 12 min warm-up and
    cool-down' for a run that knows its running minutes (plan version 2), else distance and
    minutes ('6.7 km · 53 min'), never what the title already says ("Walk 20 min").
    A run of several steps (a workout, a walk-run) has no one pace: its steps give theirs."""
    parts = []
    if session.distance_km is not None:
        parts.append(format_distance(session.distance_km, units))
    if session.run_minutes is not None:
        running = format_minutes(session.run_minutes)
        if session.pace is not None and len(session.steps) <= 1:
            running += f" at {format_pace_range(session.pace, units)}"
        parts.append(running)
    elif session.minutes and not session.title.endswith(format_minutes(session.minutes)):
        parts.append(format_minutes(session.minutes))
    text = " · ".join(parts)
    if session.run_minutes is not None and session.warm_up_minutes:
        text += f", + {format_minutes(session.warm_up_minutes)} warm-up and cool-down"
    return text
