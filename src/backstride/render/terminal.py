"""A plan as the terminal shows it: a line a week, or the referral advice instead."""

from __future__ import annotations

from backstride.inputs.pace import to_units
from backstride.plan import Plan


def summary_lines(plan: Plan) -> list[str]:
    """The runner, then each week's start, planned distance in their units and phase."""
    athlete = plan.athlete
    if plan.referral is not None:
        return [f"{athlete.name}: no training plan. {plan.referral.reason}",
                f"  {plan.referral.advice}"]
    units = athlete.units
    return [
        f"{athlete.name}: {len(plan.weeks)} weeks from {athlete.start}",
        f"  {'week':>4}  {'starts':<10}  {units:>6}  phase",
        *(f"  {week.index:>4}  {week.start.isoformat():<10}  "
          f"{to_units(week.planned_km, units):>6.1f}  {week.phase}" for week in plan.weeks),
    ]
