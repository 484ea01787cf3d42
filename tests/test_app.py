"""History on the command line: revisions, reports, errors and two writers at once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backstride.store import SCHEMA_VERSION
from tests.conftest import EXAMPLES, plan_example, run


@pytest.fixture()
def planned(tmp_path: Path) -> Path:
    return plan_example(tmp_path / "out", weeks=6)


def plan_json(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / "plan.json").read_text())
    return loaded


def test_three_reports_give_revisions_one_to_four(planned: Path) -> None:
    for date, pain in (("2026-12-10", 2), ("2026-12-17", 4), ("2026-12-29", 5)):
        result = run("flare-up", "ana-lopez", "--pain", str(pain), "--date", date, "--verbose")
        assert result.exit_code == 0, result.output
        # What changed: a line for every day the revision marks as changed.
        changed = plan_json(planned)["revised_from"]["changed_days"]
        assert changed or pain < 3  # at pain 0-2 only days with flare-up moves change
        assert sum(line.startswith("  20") for line in result.output.splitlines()) == len(
            changed)
    assert plan_json(planned)["revision"] == 4
    assert plan_json(planned)["revised_from"]["date"] == "2026-12-29"
    for number in (1, 2, 3, 4):
        kept = planned / "revisions" / str(number)
        assert json.loads((kept / "plan.json").read_text())["revision"] == number
        assert (kept / "plan.pdf").stat().st_size > 0
    listing = run("history", "ana-lopez")
    assert listing.exit_code == 0
    assert "4 revision(s), 3 report(s)" in listing.output
    shown = run("history", "ana-lopez", "--show", "2")
    assert shown.exit_code == 0 and "revisions/2/plan.pdf" in shown.output


def test_planning_again_keeps_the_flare_up_revision(planned: Path) -> None:
    assert run("flare-up", "ana-lopez", "--pain", "5", "--date", "2026-12-15").exit_code == 0
    again = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(planned.parent),
                "--weeks", "6")
    assert again.exit_code == 0
    assert "re-rendered revision 2" in again.output
    assert plan_json(planned)["revised_from"]["pain"] == 5


def test_a_report_prints_a_summary_and_the_days_only_when_verbose(planned: Path) -> None:
    result = run("flare-up", "ana-lopez", "--pain", "5", "--date", "2026-12-15")
    assert result.exit_code == 0, result.output
    assert "changes: 7 days calmer, 1 week of return" in result.output
    assert not any(line.startswith("  20") for line in result.output.splitlines())


def test_a_changed_profile_keeps_the_flare_ups_recovery_unless_replanned(planned: Path) -> None:
    assert run("flare-up", "ana-lopez", "--pain", "5", "--date", "2026-12-15").exit_code == 0
    revised = plan_json(planned)
    changed = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(planned.parent),
                  "--weeks", "8")
    assert changed.exit_code == 0, changed.output
    kept = plan_json(planned)
    assert "the new profile applies from" in kept["notes"][0]
    assert "Your profile changed on" in changed.output
    ends = revised["revised_from"]["recovery_ends"]

    def days_through(plan: dict[str, Any], last: str) -> list[dict[str, Any]]:
        return [d for w in plan["weeks"] for d in w["days"] if d["date"] <= last]

    assert days_through(kept, ends) == days_through(revised, ends)
    assert len(kept["weeks"]) == 8
    afresh = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(planned.parent),
                 "--weeks", "8", "--replan")
    assert afresh.exit_code == 0
    assert "calm" not in [week["phase"] for week in plan_json(planned)["weeks"]]


def test_the_revised_pdf_says_why(planned: Path) -> None:
    from pypdf import PdfReader

    assert run("flare-up", "ana-lopez", "--pain", "4", "--date", "2026-12-15").exit_code == 0
    text = " ".join(p.extract_text() or "" for p in PdfReader(planned / "plan.pdf").pages)
    assert "Revised after a flare-up" in text and "4/10" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--pain", "3"], "no athlete 'nobody'"),
        (["ana-lopez", "--pain", "3", "--date", "2031-01-01"], "outside the plan"),
        (["ana-lopez", "--pain", "11"], "not in the range"),
        (["ana-lopez", "--pain", "3", "--red-flag", "headache"], "headache"),
    ],
)
def test_bad_reports_exit_2_and_write_nothing(
    planned: Path, args: list[str], message: str
) -> None:
    before = sorted(p.name for p in (planned / "revisions").iterdir())
    result = run("flare-up", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (planned / "revisions").iterdir()) == before


def test_a_database_from_a_newer_version_is_refused_unharmed(
    tmp_path: Path, history_database: Path
) -> None:
    db = sqlite3.connect(history_database)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = history_database.read_bytes()
    result = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "newer backstride" in result.output
    assert history_database.read_bytes() == before


def test_two_processes_reporting_at_once_are_both_kept(
    tmp_path: Path, history_database: Path
) -> None:
    out = tmp_path / "out"
    for profile in ("ana-lopez.yaml", "sam-miles.yaml"):
        result = run("plan", str(EXAMPLES / profile), "--out", str(out), "--weeks", "4")
        assert result.exit_code == 0, result.output
    env = {**os.environ, "BACKSTRIDE_DB": str(history_database)}
    commands = [
        [sys.executable, "-m", "backstride", "flare-up", athlete, "--pain", "5",
         "--date", "2026-12-16"]
        for athlete in ("ana-lopez", "sam-carter")
    ]
    processes = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                 for c in commands]
    for process in processes:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output.decode()
    for athlete in ("ana-lopez", "sam-carter"):
        listing = run("history", athlete)
        assert "2 revision(s), 1 report(s)" in listing.output


def test_the_revised_pdf_marks_the_changed_days(planned: Path) -> None:
    from pypdf import PdfReader

    assert run("flare-up", "ana-lopez", "--pain", "5", "--date", "2026-12-15").exit_code == 0
    revised = plan_json(planned)["revised_from"]
    assert revised["changed_days"] and min(revised["changed_days"]) >= "2026-12-15"
    text = " ".join(p.extract_text() or "" for p in PdfReader(planned / "plan.pdf").pages)
    assert "CHANGED" in text


def test_reports_for_one_athlete_at_once_queue_and_build_on_each_other(
    planned: Path, history_database: Path
) -> None:
    env = {**os.environ, "BACKSTRIDE_DB": str(history_database)}
    command = [sys.executable, "-m", "backstride", "flare-up", "ana-lopez", "--date",
               "2026-12-15", "--pain"]
    processes = [subprocess.Popen([*command, pain], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT) for pain in ("5", "3", "4")]
    for process in processes:
        output, _ = process.communicate(timeout=180)
        assert process.returncode == 0, output.decode()
    assert "4 revision(s), 3 report(s)" in run("history", "ana-lopez").output
    assert plan_json(planned)["revision"] == 4
    for number in (1, 2, 3, 4):
        assert (planned / "revisions" / str(number) / "plan.pdf").is_file()
    assert not list(planned.glob(".backstride-tmp-*"))


def test_commands_on_a_missing_database_create_nothing(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    assert run("history", "--db", str(db)).exit_code == 2
    result = run("flare-up", "ana-lopez", "--pain", "3", "--db", str(db))
    assert result.exit_code == 2 and "no history database" in result.output
    assert not db.exists()


def test_replan_starts_over_after_a_referral(planned: Path) -> None:
    assert run("flare-up", "ana-lopez", "--pain", "8", "--date", "2026-12-15").exit_code == 0
    assert plan_json(planned)["referral"] is not None
    again = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(planned.parent),
                "--weeks", "6")
    assert plan_json(planned)["referral"] is not None  # unchanged profile: the referral stands
    assert "re-rendered" in again.output
    cleared = run("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(planned.parent),
                  "--weeks", "6", "--replan")
    assert cleared.exit_code == 0
    assert plan_json(planned)["referral"] is None and plan_json(planned)["revision"] == 3


def test_history_check_passes_a_sound_database_and_flags_a_damaged_one(
    planned: Path, history_database: Path
) -> None:
    sound = run("history", "--check")
    assert sound.exit_code == 0 and "ok" in sound.output
    data = bytearray(history_database.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[page + 100 : 3 * page] = os.urandom(2 * page - 100)
    history_database.write_bytes(bytes(data))
    damaged = run("history", "--check")
    assert damaged.exit_code != 0
    assert "Traceback" not in damaged.output and len(damaged.output.strip().splitlines()) == 1
