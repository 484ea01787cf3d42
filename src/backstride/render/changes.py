"""What a revision changed, in words: a one-line summary, and one line per changed day.

`Plan.days_changed_from` says which days changed (data, stored with the
revision); this says how, in the runner's units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from backstride.inputs.pace import format_distance
from backstride.plan import Day, Plan, Week
from backstride.render.format import format_weekday
from backstride.rules.progression import CALM_PHASES, CALM_SPELL_DAYS


def describe_changes(old: Plan, new: Plan, since: dt.date) -> list[str]:
    """Day by day, old sessions -> new ones, in the runner's units; a day whose sessions stay
    but whose exercises change says which exercises go and come (one line per day that
    `Plan.days_changed_from` counts)."""
    before = {day.date: day for week in old.weeks for day in week.days}
    after = {day.date: day for week in new.weeks for day in week.days}
    lines = []
    for date in sorted(set(before) | set(after)):
        if date < since or before.get(date) == after.get(date):
            continue
        old_text = _day_text(before.get(date), old.athlete.units)
        new_text = _day_text(after.get(date), new.athlete.units)
        day = f"{date.isoformat()} {format_weekday(date)}"
        if old_text != new_text:
            lines.append(f"{day}: {old_text} -> {new_text}")
        else:
            lines.append(f"{day}: {new_text}, {_exercise_changes(before[date], after[date])}")
    return lines


def summarize_changes(old: Plan, new: Plan, since: dt.date) -> str:
    """What a revision from `since` changed, in one line: first what the flare-up required
    (the calm days, the weeks of return, the weeks lighter than before, or training stopping),
    then everything else ("7 days calmer, 2 weeks of return, 3 weeks lighter; nothing else
    changed")."""
    before = {day.date: day for week in old.weeks for day in week.days}
    changed = new.days_changed_from(old, since)
    required: list[str] = []
    explained: set[dt.date] = set()
    later = [week for week in new.weeks if week.days[-1].date >= since]
    if new.referral is not None and old.referral is None:
        required.append(f"no training from {since.isoformat()}")
        explained = {day.date for day in changed}
    elif later and later[0].phase == "calm":
        calm_end = since + dt.timedelta(days=CALM_SPELL_DAYS)
        calm = {day.date for week in later for day in week.days if since <= day.date < calm_end}
        explained |= calm | set(_dates(later[:1]))
        required.append(_count(len(calm), "day", "calmer"))
    returning = [week for week in later[1:] if week.phase == "return"]
    old_km = {week.index: week.planned_km for week in old.weeks}
    lighter = [week for week in later[1:] if week.phase not in CALM_PHASES
               and week.planned_km < old_km.get(week.index, 0) - 0.05]
    if returning:
        required.append(_count(len(returning), "week", "of return"))
    if lighter:
        required.append(_count(len(lighter), "week", "lighter"))
    explained |= set(_dates(returning)) | set(_dates(lighter))
    others = [day for day in changed if day.date not in explained]
    units = new.athlete.units
    other_exercises = sum(
        _day_text(before.get(day.date), units) == _day_text(day, units) for day in others)
    rest = ([_count(len(others) - other_exercises, "other day", "changed")]
            if len(others) > other_exercises else [])
    if other_exercises:
        rest.append(_count(other_exercises, "day", "with other exercises"))
    if not required:
        return "; ".join([", ".join(rest), "nothing else changed"]) if rest else "nothing changed"
    return "; ".join([", ".join(required), ", ".join(rest) or "nothing else changed"])


def _dates(weeks: Iterable[Week]) -> list[dt.date]:
    return [day.date for week in weeks for day in week.days]


def _count(number: int, noun: str, what: str) -> str:
    """"1 week lighter", "3 weeks lighter": `noun` pluralised on its last word."""
    return f"{number} {noun}{'' if number == 1 else 's'} {what}"


def _exercise_changes(old: Day, new: Day) -> str:
    before, after = ([e.name for s in day.sessions for e in s.exercises] for day in (old, new))
    gone = [name for name in before if name not in after]
    come = [name for name in after if name not in before]
    parts = ([f"without {', '.join(gone)}"] if gone else []) + (
        [f"with {', '.join(come)}"] if come else [])
    return "; ".join(parts) or "other doses"


def _day_text(day: Day | None, units: str) -> str:
    if day is None:
        return "-"
    if not day.sessions:
        return "rest"
    parts = []
    for session in day.sessions:
        if session.kind == "run" and session.distance_km:
            parts.append(f"{session.title} {format_distance(session.distance_km, units)}")
        else:
            parts.append(session.title)
    return " + ".join(parts)
