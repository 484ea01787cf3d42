"""Property: any report on any day of any plan keeps the past and obeys every rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.check import check_plan
from backstride.errors import InfeasiblePlanError
from backstride.inputs.library import Library
from backstride.inputs.profile import parse_profile
from backstride.rules.planner import build_plan
from backstride.rules.replan import FlareUpReport, replan_after_flare_up

from .test_property import profiles


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.integers(0, 10), st.floats(0, 1), st.sampled_from([None, "flexion",
                                                                          "extension"]))
def test_a_report_keeps_the_past_and_the_rules(
    library: Library, data: dict[str, Any], pain: int, when: float, worse_with: str | None
) -> None:
    try:
        old = build_plan(parse_profile(data, "generated",
                                       today=dt.date.fromisoformat(data["start"])), library)
    except InfeasiblePlanError:
        return
    if not old.weeks:
        return
    first = old.weeks[0].days[0].date
    date = first + dt.timedelta(days=int(when * (len(old.weeks) * 7 - 1)))
    try:
        new = replan_after_flare_up(old, FlareUpReport(date, pain, worse_with), library)
    except InfeasiblePlanError as error:
        assert error.rules
        return
    assert check_plan(new, library) == []
    before = [day for week in old.weeks for day in week.days if day.date < date]
    assert [day for week in new.weeks for day in week.days if day.date < date] == before
