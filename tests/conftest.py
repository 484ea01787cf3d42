"""Shared fixtures: the shipped library and a builder for small hand-made profiles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backstride.check import check_plan
from backstride.cli import main
from backstride.inputs.library import Library, load_library
from backstride.inputs.profile import Profile, parse_profile
from backstride.plan import Plan
from backstride.rules.planner import build_plan

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"

TODAY = dt.date(2026, 12, 6)  # the tests' "today": BASE_PROFILE starts the day after
BASE_PROFILE: dict[str, Any] = {
    "name": "Test Runner",
    "current_weekly": 20,
    "goal_weekly": 30,
    "start": "2026-12-07",
    "weeks": 4,
}


@pytest.fixture(autouse=True)
def history_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own history database, never the working directory's."""
    path = tmp_path / "history.db"
    monkeypatch.setenv("BACKSTRIDE_DB", str(path))
    return path


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


def make_profile(**fields: Any) -> Profile:
    """A valid profile: BASE_PROFILE with `fields` replacing its values."""
    return parse_profile({**BASE_PROFILE, **fields}, "test profile", today=TODAY)


def plan_for(library: Library, **fields: Any) -> Plan:
    """Plan a profile and assert that the independent validator finds nothing wrong."""
    plan = build_plan(make_profile(**fields), library)
    assert check_plan(plan, library) == []
    return plan


def run(*args: str) -> Result:
    """The real `backstride` command, in-process."""
    return CliRunner().invoke(main, list(args))


def plan_example(out: Path, weeks: int, example: str = "ana-lopez") -> Path:
    """Plan a shipped example into `out`; returns the athlete's folder."""
    result = run("plan", str(EXAMPLES / f"{example}.yaml"), "--out", str(out), "--weeks",
                 str(weeks))
    assert result.exit_code == 0, result.output
    return out / example
