"""The scheduler's rules one at a time, on a tiny week (after the CP-SAT primer's tdd examples).

Each test builds a week's variables, adds one rule, fixes a few days and asks CP-SAT
whether the rule allows them: one pattern the rule accepts and one it refuses, so every
rule is shown to bind. Day patterns read Monday to Sunday: "1" fixes a day's value to
true, "0" to false, "." leaves it to the solver. The last tests solve whole weeks under
every rule and check that an impossible request names the rules that conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from backstride.errors import InfeasiblePlanError
from backstride.rules import constraints
from backstride.rules.constraints import HARD_RULES, RULE_DESCRIPTIONS
from backstride.rules.scheduler import WeekModel, solve_week
from backstride.rules.week import PACES, DayPlan, WeekBefore, WeekRequest

Rule = Callable[[WeekModel], None]

# Four run days, the long run on Saturday, 60 minutes a day and 120 on Saturday.
WEEK = WeekRequest(
    weekdays=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    day_minutes=(60, 60, 60, 60, 60, 120, 60),
    run_days=frozenset({"tue", "thu", "sat", "sun"}),
    rest_days=frozenset(),
    long_run_weekday="sat",
    min_rest_days=2,
    target_tenths=200,
    single_run_cap_tenths=100,
    paces=PACES["intermediate"],
    running_allowed=True,
    long_allowed=True,
    quality_allowed=True,
    walk_run=False,
    calm=False,
    cross_training_available=True,
    cross_training_minutes=30,
    previous_day_strength=False,
    previous_day_hard=False,
)
EASY_5_KM = DayPlan(run_type="easy", distance_tenths=50, core=False, strength=False,
                    mobility=False, cross_training=False, walk=False, rest=False)


def allows(rule: Rule | None, request: WeekRequest = WEEK, **days: str | Sequence[int]) -> bool:
    """Whether `rule` alone (beside the definitions that tie the day variables together)
    allows a week with `days` fixed: a pattern such as rest="11....." or, for distance, a
    tenth of a km per day."""
    week = WeekModel(request)
    if rule is not None:
        rule(week)
    for name, values in days.items():
        variables = getattr(week, name)
        for variable, value in zip(variables, values, strict=True):
            if value != ".":
                week.model.add(variable == int(value))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(week.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def refuses(rule: Rule, request: WeekRequest = WEEK, **days: str | Sequence[int]) -> bool:
    """Whether `rule` refuses a week that the day definitions alone allow: the rule binds."""
    return allows(None, request, **days) and not allows(rule, request, **days)


def test_every_rule_is_in_the_user_s_table_of_rules() -> None:
    """An impossible plan names rules: docs/how-plans-are-made.md explains each one."""
    table = (Path(__file__).parents[2] / "docs" / "how-plans-are-made.md").read_text()
    missing = [rule.__name__ for rule in HARD_RULES if f"| `{rule.__name__}` |" not in table]
    assert missing == []


def test_every_rule_is_listed_once_and_described() -> None:
    names = [rule.__name__ for rule in HARD_RULES]
    assert len(set(names)) == len(names)
    public = [name for name, value in vars(constraints).items()
              if callable(value) and getattr(value, "__module__", "") == constraints.__name__]
    assert sorted(public) == sorted(names)
    assert all(RULE_DESCRIPTIONS[name] for name in names)


def test_days_before_the_report_stay() -> None:
    request = replace(WEEK, fixed_days=(EASY_5_KM, *(None,) * 6))
    rule = constraints.days_before_the_report_stay
    assert allows(rule, request, distance=(50, *"......"), easy="1......")
    assert refuses(rule, request, distance=(40, *"......"))
    assert refuses(rule, request, run="0......")


def test_runs_only_on_run_days() -> None:
    assert allows(constraints.runs_only_on_run_days, run=".1.1.11")
    assert refuses(constraints.runs_only_on_run_days, run="1......")


def test_rest_days_stay_rest() -> None:
    request = replace(WEEK, rest_days=frozenset({"fri"}))
    assert allows(constraints.rest_days_stay_rest, request, rest="....1..")
    assert refuses(constraints.rest_days_stay_rest, request, rest="....0..")


def test_minimum_rest_days() -> None:
    assert allows(constraints.minimum_rest_days, rest="1000100")
    assert refuses(constraints.minimum_rest_days, rest="1000000")
    six = replace(WEEK, min_rest_days=6)
    assert allows(constraints.minimum_rest_days, six, rest="1111110")
    assert refuses(constraints.minimum_rest_days, six, rest="1111100")


def test_minimum_rest_days_after_a_report_asks_no_more_than_the_days_left() -> None:
    # Six days lived without a rest day: the one day left rests, and that is enough.
    request = replace(WEEK, fixed_days=(*(EASY_5_KM,) * 6, None))
    assert allows(constraints.minimum_rest_days, request, rest="0000001")
    assert refuses(constraints.minimum_rest_days, request, rest="0000000")


def test_core_and_strength_two_to_three_days() -> None:
    rule = constraints.core_and_strength_two_to_three_days
    assert allows(rule, core="1010000", strength="1010000")
    assert allows(rule, core="1010000", strength="1000100")  # conditioning on three days
    assert refuses(rule, core="1000000", strength="1010000")  # core on one day only
    assert refuses(rule, core="1010000", strength="0101100")  # conditioning on four days


def test_strength_never_on_consecutive_days() -> None:
    rule = constraints.strength_never_on_consecutive_days
    assert allows(rule, strength="1010000")
    assert refuses(rule, strength="1100000")
    after_strength = replace(WEEK, previous_day_strength=True)
    assert allows(rule, after_strength, strength="0100000")
    assert refuses(rule, after_strength, strength="1000000")
    ending_free = replace(WEEK, end_free=True)
    assert refuses(rule, ending_free, strength="......1")


def test_no_strength_the_day_before_the_long_run() -> None:
    rule = constraints.no_strength_the_day_before_the_long_run
    assert allows(rule, strength="...1...")
    assert refuses(rule, strength="....1..")  # Friday, the long run on Saturday


def test_no_strength_on_the_long_run_day() -> None:
    # The day of the week's longest run, whatever its label: here Sunday's easy 7 km.
    rule = constraints.no_strength_on_the_long_run_day
    assert allows(rule, distance=(0, 50, 0, 50, 0, 0, 70), strength="...1...")
    assert refuses(rule, distance=(0, 50, 0, 50, 0, 0, 70), strength="......1")


def test_long_run_only_on_long_run_day() -> None:
    assert allows(constraints.long_run_only_on_long_run_day, long=".....1.")
    assert refuses(constraints.long_run_only_on_long_run_day, long="......1")


def test_long_and_quality_never_on_consecutive_days() -> None:
    rule = constraints.long_and_quality_never_on_consecutive_days
    assert allows(rule, quality="...1...", long=".....1.")
    assert refuses(rule, quality="....1..", long=".....1.")
    after_long = replace(WEEK, previous_day_hard=True)
    assert refuses(rule, after_long, quality="1......")


def test_runs_beside_the_long_run_are_shorter() -> None:
    rule = constraints.runs_beside_the_long_run_are_shorter
    assert allows(rule, distance=(0, 50, 0, 50, 0, 80, 60))  # 60 is 75% of 80
    assert refuses(rule, distance=(0, 50, 0, 50, 0, 80, 61))
    assert refuses(rule, distance=(0, 50, 0, 50, 0, 80, 80))  # two longest runs side by side
    assert refuses(rule, distance=(0, 0, 0, 0, 0, 80, 50), quality="......1")


def test_runs_beside_the_long_run_across_the_week_boundary() -> None:
    rule = constraints.runs_beside_the_long_run_are_shorter
    rest = replace(EASY_5_KM, run_type=None, distance_tenths=0, rest=True)
    sunday_long = replace(EASY_5_KM, run_type="long", distance_tenths=80)
    after_long = replace(WEEK, run_days=WEEK.run_days | {"mon"},
                         week_before=WeekBefore.of((*(rest,) * 5, EASY_5_KM, sunday_long),
                                                   deload=False))
    assert allows(rule, after_long, distance=(60, *"......"))
    assert refuses(rule, after_long, distance=(61, *"......"))
    after_easy = replace(after_long, week_before=WeekBefore.of(
        (*(rest,) * 5, sunday_long, EASY_5_KM), deload=False))
    # Monday as the week's longest run: Sunday's 5 km must be at most 75% of it.
    assert allows(rule, after_easy, distance=(67, 0, 0, 0, 0, 0, 0))
    assert refuses(rule, after_easy, distance=(66, 0, 0, 0, 0, 0, 0))


def test_long_run_share_of_week() -> None:
    rule = constraints.long_run_share_of_week
    # Four runs: the long run may be 30% of the week, and is the longest run.
    assert allows(rule, distance=(0, 45, 0, 45, 0, 60, 50), long=".....1.")
    assert refuses(rule, distance=(0, 40, 0, 40, 0, 70, 50))
    assert refuses(rule, distance=(0, 65, 0, 45, 0, 60, 30), long=".....1.")
    # Three runs: 40%.
    assert allows(rule, distance=(0, 60, 0, 60, 0, 80, 0))
    assert refuses(rule, distance=(0, 55, 0, 55, 0, 90, 0))


def test_two_run_days_have_no_long_run() -> None:
    two_days = replace(WEEK, run_days=frozenset({"tue", "sat"}))
    assert allows(constraints.long_run_share_of_week, two_days, long=".....0.")
    assert refuses(constraints.long_run_share_of_week, two_days, long=".....1.")


def test_two_runs_are_neither_over_60_percent() -> None:
    two_days = replace(WEEK, run_days=frozenset({"tue", "sat"}))
    assert allows(constraints.long_run_share_of_week, two_days, distance=(0, 40, 0, 0, 0, 60, 0))
    assert refuses(constraints.long_run_share_of_week, two_days, distance=(0, 39, 0, 0, 0, 61, 0))


def test_calm_spell_runs_no_longer_than_before() -> None:
    rule = constraints.calm_spell_runs_no_longer_than_before
    calm_spell = replace(WEEK, easy_only_days=3, calm_spell_run_cap_tenths=40)
    assert allows(rule, calm_spell, distance=(0, 40, 0, 60, *"..."))  # Thursday is after it
    assert refuses(rule, calm_spell, distance=(0, 41, *"....."))
    assert allows(rule, WEEK, distance=(0, 41, *"....."))


def test_deload_lowers_all_training() -> None:
    rule = constraints.deload_lowers_all_training
    last_week = (replace(EASY_5_KM, core=True, strength=True, cross_training=True),
                 *(replace(EASY_5_KM, core=True, strength=True, mobility=True),) * 2,
                 *(EASY_5_KM,) * 4)
    deload = replace(WEEK, deload=True, week_before=WeekBefore.of(last_week, deload=True))
    assert allows(rule, deload, core="111....", cross="1......")
    assert refuses(rule, deload, core="1111...")
    assert refuses(rule, deload, cross="11.....")
    assert refuses(rule, deload, mobility="111....")
    assert allows(rule, replace(deload, deload=False), core="1111...", cross="11.....")


def test_single_run_within_110_percent() -> None:
    rule = constraints.single_run_within_110_percent
    assert allows(rule, distance=(*".....", 100, "."))
    assert refuses(rule, distance=(*".....", 101, "."))


def test_weekly_volume_within_target() -> None:
    rule = constraints.weekly_volume_within_target
    assert allows(rule, distance=(0, 50, 0, 50, 0, 60, 40))
    assert refuses(rule, distance=(0, 50, 0, 50, 0, 60, 41))


def test_mostly_easy_running() -> None:
    rule = constraints.mostly_easy_running
    assert allows(rule, distance=(0, 40, 0, 50, 0, 60, 50), quality=".1.....")
    assert refuses(rule, distance=(0, 50, 0, 40, 0, 60, 50), quality=".1.....")
    assert refuses(rule, quality=".1.1...")


def test_run_types_fit_the_phase() -> None:
    rule = constraints.run_types_fit_the_phase
    assert allows(rule, run="...1...", long=".....1.", quality=".1.....")
    assert refuses(rule, replace(WEEK, running_allowed=False), run="...1...")
    assert refuses(rule, replace(WEEK, long_allowed=False), long=".....1.")
    assert refuses(rule, replace(WEEK, quality_allowed=False), quality=".1.....")
    walk_run = replace(WEEK, walk_run=True)
    assert allows(rule, walk_run, walk_run="...1...")
    assert refuses(rule, walk_run, easy="...1...")


def test_run_types_fit_the_phase_in_a_calm_spell_carried_into_the_week() -> None:
    calm_spell = replace(WEEK, no_run_days=2, easy_only_days=4)
    rule = constraints.run_types_fit_the_phase
    assert allows(rule, calm_spell, run="..1....", easy="...1...")
    assert refuses(rule, calm_spell, run=".1.....")
    assert refuses(rule, calm_spell, quality="...1...")


def test_walk_runs_at_most_half_an_hour() -> None:
    rule = constraints.walk_runs_at_most_half_an_hour
    walk_run = replace(WEEK, walk_run=True)  # budgeted at 510 s/km: 30 min is 3.5 km
    assert allows(rule, walk_run, walk_run="...1...", distance=(0, 0, 0, 35, 0, 0, 0))
    assert refuses(rule, walk_run, walk_run="...1...", distance=(0, 0, 0, 36, 0, 0, 0))
    assert allows(rule, WEEK, easy="...1...", distance=(0, 0, 0, 36, 0, 0, 0))


def test_cross_training_on_non_run_days() -> None:
    rule = constraints.cross_training_on_non_run_days
    assert allows(rule, cross="1......", run="01.....")
    assert refuses(rule, cross="1......", run="1......")


def test_sessions_fit_the_day() -> None:
    # Tuesday, 60 minutes: 5 km at 6:00 (30 min) and 12 minutes of warm-up and cool-down,
    # with core (10) it fits; with strength (12) as well, it does not.
    rule = constraints.sessions_fit_the_day
    assert allows(rule, distance=(".", 50, *"....."), core=".1.....")
    assert refuses(rule, distance=(".", 50, *"....."), core=".1.....", strength=".1.....")


def test_at_least_one_run_a_week() -> None:
    rule = constraints.at_least_one_run_a_week
    assert allows(rule, run="00000.0")
    assert refuses(rule, run="0000000")
    assert allows(rule, replace(WEEK, target_tenths=20), run="0000000")


def test_hip_mobility_every_week() -> None:
    assert allows(constraints.hip_mobility_every_week, mobility="000000.")
    assert refuses(constraints.hip_mobility_every_week, mobility="0000000")


def test_keep_walking_when_calm() -> None:
    rule = constraints.keep_walking_when_calm
    idle = {name: "0......" for name in ("run", "cross", "core", "strength")}
    calm = replace(WEEK, calm=True)
    assert allows(rule, calm, walk="1......", **idle)
    assert refuses(rule, calm, walk="0......", **idle)
    assert allows(rule, WEEK, **idle)


# --- Whole weeks under every rule ---------------------------------------------------------


def test_the_tiny_week_solves_within_every_rule() -> None:
    days = solve_week(WEEK)
    assert sum(day.distance_tenths for day in days) == WEEK.target_tenths
    assert sum(day.rest for day in days) >= WEEK.min_rest_days
    assert [day.run_type for day in days][5] == "long"


def test_a_small_return_week_prefers_fewer_walk_runs_of_20_minutes() -> None:
    """6 km of walk-run over four run days: three sessions, two of them about 20 minutes at
    the budgeted 510 s/km (2.3 km), rather than four of 1.5 km."""
    week = replace(WEEK, walk_run=True, calm=True, long_allowed=False, quality_allowed=False,
                   target_tenths=60)
    days = solve_week(week)
    walk_runs = [day.distance_tenths for day in days if day.run_type == "walk_run"]
    assert sum(walk_runs) == 60
    assert len(walk_runs) == 3
    assert sorted(walk_runs)[-2] >= 22


def test_five_free_days_leave_room_for_two_rest_days() -> None:
    request = replace(WEEK, rest_days=frozenset({"mon", "fri"}))
    days = solve_week(request)
    assert days[0].rest and days[4].rest


@pytest.mark.parametrize(
    ("changes", "conflicts"),
    [
        # One free day: it cannot hold two core and strength days, nor a lone run that
        # keeps within the long-run share.
        ({"min_rest_days": 6}, [{"minimum_rest_days", "core_and_strength_two_to_three_days"},
                                {"minimum_rest_days", "at_least_one_run_a_week",
                                 "long_run_share_of_week"}]),
        ({"day_minutes": (15,) * 7}, [{"sessions_fit_the_day", "at_least_one_run_a_week"}]),
        ({"rest_days": frozenset({"mon", "tue", "wed", "thu", "fri", "sat"})},
         [{"rest_days_stay_rest", "core_and_strength_two_to_three_days"},
          {"rest_days_stay_rest", "at_least_one_run_a_week", "long_run_share_of_week"}]),
    ],
)
def test_an_impossible_week_names_the_rules_that_conflict(
    changes: dict[str, object], conflicts: list[set[str]]
) -> None:
    """The rules named are one of the week's smallest conflicts (which one the solver finds
    first is its choice), each with its description."""
    with pytest.raises(InfeasiblePlanError) as caught:
        solve_week(replace(WEEK, **changes))  # type: ignore[arg-type]
    assert set(caught.value.rules) in conflicts
    for name in caught.value.rules:
        assert f"{name} ({RULE_DESCRIPTIONS[name]})" in caught.value.explanation


def kinds(day: DayPlan) -> tuple[object, ...]:
    """What the changed-day penalty compares: everything but the distance and the walk."""
    return (day.run_type, day.core, day.strength, day.mobility, day.cross_training, day.rest)


def test_a_preferred_skeleton_is_kept_where_only_preferences_would_change_it() -> None:
    # Without quality the week lays out differently; preferring that layout keeps it even
    # where quality is allowed again (the quality bonus is below the changed-day penalty).
    without_quality = solve_week(replace(WEEK, quality_allowed=False))
    free = solve_week(WEEK)
    assert [kinds(day) for day in free] != [kinds(day) for day in without_quality]
    kept = solve_week(replace(WEEK, preferred=without_quality))
    assert [kinds(day) for day in kept] == [kinds(day) for day in without_quality]


def test_volume_outweighs_the_preferred_skeleton() -> None:
    all_rest = DayPlan(run_type=None, distance_tenths=0, core=False, strength=False,
                       mobility=False, cross_training=False, walk=False, rest=True)
    week = solve_week(replace(WEEK, preferred=(all_rest,) * 7))
    assert sum(day.distance_tenths for day in week) == sum(
        day.distance_tenths for day in solve_week(WEEK))
