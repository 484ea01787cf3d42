"""Issue 19 item 6: a pain-free runner is planned at the volume they run now, and when their
own limits make that impossible the plan names the smallest change that would hold it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from backstride.inputs.library import Library
from backstride.inputs.profile import Profile, parse_profile
from backstride.rules.limits import Change, Limit, find_limit
from backstride.rules.planner import _WeekPlanner, build_plan
from backstride.rules.progression import hold_floor_tenths, to_tenths
from backstride.rules.scheduler import solve_week, solved_week
from backstride.rules.triage import PainTier
from backstride.rules.week import WeekRequest
from tests.conftest import EXAMPLES, TODAY, make_profile, plan_for


def pain_free_sam() -> Profile:
    """examples/sam-miles.yaml without the flare-up: 12 mi on tue/thu/sat at 45/45/90 min,
    11:30/mi."""
    fields: dict[str, Any] = yaml.safe_load((EXAMPLES / "sam-miles.yaml").read_text())
    fields["back"] = {**fields["back"], "pain": 0}
    return parse_profile(fields, "sam, pain-free", today=TODAY)


def short_week(profile: Profile, library: Library) -> tuple[WeekRequest, int]:
    """The planner's first build week short of the runner's current volume, and the volume
    it should hold (what the plan's note is made from)."""
    planner = _WeekPlanner(profile, library, PainTier.CONTINUE, None)
    planner.weeks(1, profile.weeks)
    assert planner.short_of_floor, "no build week fell short of the runner's current volume"
    return planner.short_of_floor[min(planner.short_of_floor)], planner.ramp.hold_floor


def first_short_week_limit(profile: Profile, library: Library) -> Limit:
    return find_limit(*short_week(profile, library))


def assert_holds_current_volume(profile: Profile, library: Library) -> None:
    plan = build_plan(profile, library)
    floor = hold_floor_tenths(profile.current_weekly_km)
    floor = min(floor, to_tenths(profile.goal_weekly_km))
    for week in plan.weeks:
        if week.phase in ("build", "maintain"):
            assert round(week.planned_km * 10) >= floor, (week.index, week.planned_km)


@pytest.mark.parametrize(
    "fields",
    [
        {"current_weekly": 20, "goal_weekly": 30, "weeks": 8},
        {"current_weekly": 30, "goal_weekly": 30, "weeks": 8, "longest_recent_run": 10},
        {"current_weekly": 40, "goal_weekly": 50, "weeks": 8, "longest_recent_run": 14,
         "run_days": ["mon", "wed", "fri", "sat", "sun"], "max_minutes": {"default": 75}},
        {"current_weekly": 25, "goal_weekly": 40, "weeks": 12, "experience": "intermediate"},
    ],
)
def test_a_pain_free_runner_whose_days_hold_their_volume_keeps_at_least_90_percent(
    library: Library, fields: dict[str, Any]
) -> None:
    profile = make_profile(**fields)
    plan_for(library, **fields)  # and the independent validator finds nothing wrong
    assert_holds_current_volume(profile, library)


def test_a_goal_below_the_current_volume_is_planned_down_to() -> None:
    from backstride.rules.progression import Ramp

    ramp = Ramp(40, 30, PainTier.CONTINUE)
    assert ramp.hold_floor == 300
    frame = ramp.frame(1)
    assert frame.target_tenths == 300


def test_sam_pain_free_is_told_the_smallest_change_in_one_line(library: Library) -> None:
    plan = build_plan(pain_free_sam(), library)
    assert plan.weeks, "the plan is still made"
    limit_notes = [note for note in plan.notes if "would hold" in note]
    assert limit_notes == [
        "Tuesday and Thursday hold 2.9 mi at your pace; 55 min instead of 45 on Tuesday and "
        "Thursday, or a run on Monday, would hold your 12 mi a week."
    ]
    assert not any("More run days or minutes" in note for note in plan.notes)
    assert build_plan(pain_free_sam(), library).notes == plan.notes  # same input, same plan


def test_applying_each_change_holds_sams_volume(library: Library) -> None:
    sam = pain_free_sam()
    limit = first_short_week_limit(sam, library)
    assert [change.kind for change in limit.changes] == ["minutes", "run_day"]
    for change in limit.changes:
        assert_holds_current_volume(change.applied_to(sam), library)


def test_a_short_recent_long_run_is_named_and_lifting_it_holds_the_volume(
    library: Library,
) -> None:
    runner = make_profile(current_weekly=30, goal_weekly=30, weeks=6, longest_recent_run=4,
                          run_days=["mon", "wed", "fri", "sun"], max_minutes={"default": 90})
    limit = first_short_week_limit(runner, library)
    assert limit.capped_long_run_tenths
    change = next(c for c in limit.changes if c.kind == "recent_long_run")
    assert "long run of" in limit.sentence("km", "your 30 km a week")
    assert_holds_current_volume(change.applied_to(runner), library)


def test_finding_the_smallest_change_costs_at_most_ten_extra_solves(library: Library) -> None:
    request, need = short_week(pain_free_sam(), library)
    solved_week.cache_clear()
    solve_week(request)  # the week itself, which the planner solved already
    find_limit(request, need)
    assert solved_week.cache_info().misses - 1 <= 10


def test_a_change_reads_in_the_runners_units() -> None:
    change = Change(kind="minutes", weekdays=("tue", "thu"), minutes_before=(30, 40),
                    minutes_after=(45, 55))
    assert change.clause("mi") == (
        "45 min instead of 30 on Tuesday, 55 min instead of 40 on Thursday"
    )
    assert Change(kind="run_day", weekdays=("wed",)).clause("km") == "a run on Wednesday"


def test_when_no_single_change_is_enough_the_changes_together_hold_the_volume(
    library: Library,
) -> None:
    runner = make_profile(current_weekly=30, goal_weekly=80, run_days=["tue", "sun"], weeks=6)
    limit = first_short_week_limit(runner, library)
    assert limit.together and len(limit.changes) > 1
    changed = runner
    for change in limit.changes:
        changed = change.applied_to(changed)
    first_week = build_plan(changed, library).weeks[0]
    assert round(first_week.planned_km * 10) >= hold_floor_tenths(30)
