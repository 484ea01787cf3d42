"""Property: over a wide range of valid profiles, every plan obeys every rule, or the
scheduler names the rules that conflict."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.check import check_plan
from backstride.errors import InfeasiblePlanError
from backstride.inputs.library import CROSS_TRAINING_IDS, EQUIPMENT, Library
from backstride.inputs.profile import WEEKDAYS, parse_profile
from backstride.rules.constraints import RULE_DESCRIPTIONS
from backstride.rules.planner import build_plan


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    run_days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    free = [d for d in WEEKDAYS if d not in run_days]
    rest_days = draw(st.lists(st.sampled_from(free), max_size=2, unique=True)) if free else []
    current = draw(st.floats(5, 100).map(lambda x: round(x, 1)))
    data: dict[str, Any] = {
        "name": "Prop Runner",
        "units": draw(st.sampled_from(["km", "mi"])),
        "current_weekly": current,
        "goal_weekly": draw(st.floats(5, 110).map(lambda x: round(x, 1))),
        "start": draw(st.dates(dt.date(2001, 1, 1), dt.date(2099, 12, 31))).isoformat(),
        "weeks": draw(st.integers(1, 16)),
        "run_days": run_days,
        "rest_days": rest_days,
        "min_rest_days": draw(st.integers(0, 3)),
        "equipment": draw(st.lists(st.sampled_from(EQUIPMENT), unique=True)),
        "cross_training": draw(st.lists(st.sampled_from(CROSS_TRAINING_IDS), unique=True)),
        "experience": draw(st.sampled_from(["novice", "intermediate", "advanced"])),
        "back": {
            "pain": draw(st.integers(0, 6)),
            "worse_with": draw(st.sampled_from(["none", "flexion", "extension"])),
        },
    }
    if draw(st.booleans()):
        data["longest_recent_run"] = round(current * draw(st.floats(0.1, 0.6)), 1)
    if draw(st.booleans()):
        data["long_run_day"] = draw(st.sampled_from(run_days))
    if draw(st.booleans()):
        data["max_minutes"] = {"default": draw(st.integers(25, 120))}
    return data


# Derandomized: CI explores the same 200 profiles every run, so a failure is reproducible.
@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_every_plan_obeys_every_rule_or_names_the_conflict(
    library: Library, data: dict[str, Any]
) -> None:
    profile = parse_profile(data, "generated", today=dt.date.fromisoformat(data["start"]))
    try:
        plan = build_plan(profile, library)
    except InfeasiblePlanError as error:
        assert error.rules
        assert all(rule in RULE_DESCRIPTIONS for rule in error.rules)
        return
    assert check_plan(plan, library) == []
