"""Limits: the largest inputs backstride promises to handle work, and anything past a
documented limit is refused with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from backstride.check import check_plan
from backstride.errors import InputError
from backstride.inputs.library import MAX_EXERCISES, Library, default_library_dir, load_library
from backstride.rules.planner import build_plan
from backstride.squad import MAX_RUNNERS, load_roster
from tests.conftest import make_profile, plan_for


def test_a_52_week_plan_obeys_every_rule(library: Library) -> None:
    plan = plan_for(library, weeks=52, current_weekly=20, goal_weekly=60)
    assert len(plan.weeks) == 52


def test_more_than_52_weeks_is_refused_by_name() -> None:
    with pytest.raises(InputError, match="weeks"):
        make_profile(weeks=53)


def library_of(size: int, folder: Path) -> Path:
    """The shipped library plus copies of its exercises under new ids, `size` in all."""
    shutil.copytree(default_library_dir(), folder, ignore=shutil.ignore_patterns("*.py"))
    shipped = [e for p in sorted(folder.glob("*.yaml")) for e in yaml.safe_load(p.read_text())]
    copies = []
    for number in range(size - len(shipped)):
        original = shipped[number % len(shipped)]
        if original["category"] == "cross_training":
            original = shipped[0]
        copies.append({**original, "id": f"{original['id']}-v{number}",
                       "name": f"{original['name']} (variant {number})",
                       "progression": [], "regression": []})
    (folder / "zz-variants.yaml").write_text(yaml.safe_dump(copies, sort_keys=False))
    return folder


def test_a_library_of_1000_exercises_loads_and_plans(tmp_path: Path) -> None:
    library = load_library(library_of(1000, tmp_path / "library"))
    assert len(library) == 1000
    plan = build_plan(make_profile(weeks=4), library)
    assert check_plan(plan, library) == []


def test_a_library_over_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=f"at most {MAX_EXERCISES:,}"):
        load_library(library_of(MAX_EXERCISES + 1, tmp_path / "library"))


def roster(rows: int, path: Path) -> Path:
    lines = ["name,current_weekly,goal_weekly,run_days,back.pain"]
    lines += [f"Runner {n},{15 + n % 40},{25 + n % 50},mon;wed;sat,{n % 3}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_roster_of_1000_runners_loads_every_runner(tmp_path: Path) -> None:
    loaded = load_roster(roster(1000, tmp_path / "club.csv"))
    assert len(loaded.entries) == 1000 and not any(e.problems for e in loaded.entries)
    assert len({e.profile.id for e in loaded.entries if e.profile}) == 1000


def test_a_roster_over_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=f"at most {MAX_RUNNERS:,}"):
        load_roster(roster(MAX_RUNNERS + 1, tmp_path / "federation.csv"))
