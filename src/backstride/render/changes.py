"""What a revision changed, in words: one line per changed day, for the runner to read.

`rules.replan.changed_days` says which days changed (data, stored with the
revision); this says how, in the runner's units.
"""

from __future__ import annotations

import datetime as dt

from backstride.plan import Day, Plan
from backstride.render.format import format_distance, format_weekday


def describe_changes(old: Plan, new: Plan, since: dt.date) -> list[str]:
    """Day by day, old sessions -> new ones, in the runner's units; a day whose sessions stay
    but whose exercises change says which exercises go and come (one line per day that
    `changed_days` counts)."""
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
