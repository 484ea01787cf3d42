"""An independent check of a finished plan against every training rule of DESIGN.md.

Plain Python, written from the rules and not from the solver's model, so it can
catch what the model gets wrong. The tests run every plan they make through it;
the solver never uses it. `backstride check PLAN.json` runs it for a user: a coach
who edited a plan by hand, or a tool that wrote one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from backstride.check.routines import doses_within_the_library_range, one_routine_a_block
from backstride.check.running import (
    calm_spell_after_a_report,
    hard_runs_apart,
    long_run_rules,
    mostly_easy,
    no_strength_on_the_long_run_day,
    runs_a_runner_can_execute,
    runs_beside_the_long_run,
    runs_only_on_run_days,
    single_run_within_110_percent,
    weekly_ramp_and_deloads,
)
from backstride.check.sessions import (
    calm_weeks,
    core_and_strength,
    deload_lowers_all_training,
    equipment_and_back,
    exercises_once_and_apart,
    loaded_rotation_only_for_a_calm_back,
    planned_volume_adds_up,
    referral_means_no_training,
    rest_days,
    runs_warm_up_and_cool_down,
    time_budget,
    weekly_coverage,
    weeks_are_consecutive,
)
from backstride.errors import InputError, format_validation_error
from backstride.inputs.library import Library
from backstride.inputs.profile import load_profile
from backstride.inputs.yamlio import read_text
from backstride.plan import Plan

Check = Callable[[Plan, Library], Iterator[str]]

CHECKS: tuple[Check, ...] = (
    referral_means_no_training,
    weeks_are_consecutive,
    planned_volume_adds_up,
    runs_only_on_run_days,
    single_run_within_110_percent,
    weekly_ramp_and_deloads,
    rest_days,
    long_run_rules,
    runs_beside_the_long_run,
    no_strength_on_the_long_run_day,
    hard_runs_apart,
    mostly_easy,
    core_and_strength,
    runs_warm_up_and_cool_down,
    time_budget,
    equipment_and_back,
    exercises_once_and_apart,
    one_routine_a_block,
    doses_within_the_library_range,
    loaded_rotation_only_for_a_calm_back,
    calm_weeks,
    calm_spell_after_a_report,
    deload_lowers_all_training,
    weekly_coverage,
    runs_a_runner_can_execute,
)


def check_plan(plan: Plan, library: Library) -> list[str]:
    """Every rule violation in `plan`, one readable line each; empty when the plan is sound."""
    return [violation.problem for violation in violations(plan, library)]


@dataclass(frozen=True)
class Violation:
    rule: str  # the check's name in words: "rest days", "long run rules"
    problem: str  # where (week and date) and what

    def __str__(self) -> str:
        return f"{self.problem} [{self.rule}]"


def violations(plan: Plan, library: Library) -> list[Violation]:
    """Every rule violation in `plan`, each with the rule it breaks."""
    return [Violation(check.__name__.replace("_", " "), problem)
            for check in CHECKS for problem in check(plan, library)]


def read_plan(path: Path) -> Plan:
    """The plan in the plan.json file at `path`, or an InputError in one line naming the file:
    a file that is not a plan has nothing in it worth checking."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError([f"{path}: line {error.lineno}: not valid JSON ({error.msg})"]) from None
    except RecursionError:
        raise InputError([f"{path}: nested too deeply to be a plan"]) from None
    if not isinstance(data, dict):
        raise InputError([f"{path}: not a plan: must be a JSON object (see `backstride "
                          "schema plan`)"])
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        first, *others = format_validation_error(error, "not a plan")
        more = f" (and {len(others)} more)" if others else ""
        raise InputError([f"{path}: {first}{more}"]) from None


def check_plan_file(
    path: Path, profile_path: Path | None = None, library_dir: Path | None = None
) -> tuple[Plan, list[Violation]]:
    """The plan at `path` and its violations, judged by the limits of the profile at
    `profile_path` if given, else of the profile stored in the plan."""
    from backstride.inputs.library import load_library

    plan = read_plan(path)
    if profile_path is not None:
        plan = with_profile(plan, profile_path)
    return plan, violations(plan, load_library(library_dir))


def with_profile(plan: Plan, profile_path: Path) -> Plan:
    """`plan` as if made for the profile at `profile_path`: its limits (days, minutes,
    equipment, back, volume) replace those stored in the plan. The plan keeps its own
    calendar: the profile's start is taken from the plan."""
    profile = load_profile(profile_path, {"start": plan.athlete.start},
                           today=plan.athlete.start)
    return plan.model_copy(update={"athlete": profile})
