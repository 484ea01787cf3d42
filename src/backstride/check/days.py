"""What every check of a plan looks at: its days and runs, where a problem is, and which
days a flare-up revision left as history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from backstride.inputs.profile import WEEKDAYS
from backstride.plan import Day, Plan, Session, Week
from backstride.rules.progression import CALM_SPELL_DAYS

TOLERANCE_KM = 0.051
CALM_SPELL = dt.timedelta(days=CALM_SPELL_DAYS)  # after a flare-up report (DESIGN: The back)
TRAINING_KINDS = {"run", "core", "strength", "cross_training"}
HARD_RUNS = {"long", "quality"}
LOWERED_IN_A_DELOAD = ("core", "strength", "mobility", "cross_training")

def plan_days(plan: Plan) -> Iterator[tuple[Week, Day]]:
    for week in plan.weeks:
        for day in week.days:
            yield week, day


def runs_on(day: Day) -> list[Session]:
    return [s for s in day.sessions if s.kind == "run"]


def weekday_of(day: Day) -> str:
    return WEEKDAYS[day.date.weekday()]


def where(week: Week, day: Day | None = None) -> str:
    """Where a problem is: the week and the day, or the week and the day it starts."""
    if day is None:
        return f"week {week.index} (from {week.start.isoformat()})"
    return f"week {week.index}, {day.date.isoformat()}"


def week_runs(week: Week) -> list[Session]:
    return [run for day in week.days for run in runs_on(day)]


def flare_up_date(plan: Plan) -> dt.date | None:
    """The day a flare-up revision re-planned from (or, after a profile change that kept a
    flare-up's recovery, the day the new profile applies from): days before it are history,
    already lived under the old plan, and the week holding it is judged only from that day."""
    revised = plan.revised_from or {}
    if revised.get("kind") == "flare_up":
        return dt.date.fromisoformat(str(revised["date"]))
    if revised.get("kind") == "profile_change":
        return dt.date.fromisoformat(str(revised["applies_from"]))
    return None


def is_flare_up_week(plan: Plan, week: Week) -> bool:
    date = flare_up_date(plan)
    return date is not None and week.days[0].date <= date <= week.days[-1].date


def is_history(plan: Plan, week: Week) -> bool:
    """A week wholly before the flare-up date: judged when it was planned, not again."""
    date = flare_up_date(plan)
    return date is not None and week.days[-1].date < date


def is_lived(plan: Plan, day: Day) -> bool:
    date = flare_up_date(plan)
    return date is not None and day.date < date
