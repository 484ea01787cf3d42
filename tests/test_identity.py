"""Who a runner is in the history: a squad's runners belong to their squad, so a runner planned
on their own, and runners of two squads, keep apart histories even with one name."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import plan_example, run

ROSTER_HEADER = "name,current_weekly,longest_recent_run,goal_weekly,start,weeks,back.pain\n"
ANA = "Ana Lopez,25,9,40,2026-12-07,4,2\n"


def plan_squad(tmp_path: Path, squad: str, out: Path) -> Path:
    roster = tmp_path / f"{squad}.csv"
    roster.write_text(ROSTER_HEADER + ANA)
    result = run("squad", str(roster), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    return out / squad / "ana-lopez"


def revision(folder: Path) -> int:
    return int(json.loads((folder / "plan.json").read_text())["revision"])


def test_a_squad_runner_does_not_become_a_revision_of_the_runner_planned_alone(
    tmp_path: Path,
) -> None:
    alone = plan_example(tmp_path / "out", weeks=4)
    in_squad = plan_squad(tmp_path, "harriers", tmp_path / "out")
    assert revision(alone) == 1 and revision(in_squad) == 1
    listing = run("history")
    assert listing.exit_code == 0
    assert "harriers/ana-lopez" in listing.output
    assert any(line.split()[:1] == ["ana-lopez"] for line in listing.output.splitlines())


def test_a_flare_up_for_an_id_two_runners_share_is_refused_listing_both(
    tmp_path: Path,
) -> None:
    alone = plan_example(tmp_path / "out", weeks=4)
    plan_squad(tmp_path, "harriers", tmp_path / "out")
    before = (alone / "plan.pdf").read_bytes()
    result = run("flare-up", "ana-lopez", "--pain", "4", "--date", "2026-12-10")
    assert result.exit_code == 2
    assert "ana-lopez" in result.output and "harriers/ana-lopez" in result.output
    assert revision(alone) == 1 and (alone / "plan.pdf").read_bytes() == before
    assert run("history", "ana-lopez").exit_code == 2


def test_a_flare_up_for_a_squad_s_runner_revises_the_squad_s_plan_only(tmp_path: Path) -> None:
    alone = plan_example(tmp_path / "out", weeks=4)
    in_squad = plan_squad(tmp_path, "harriers", tmp_path / "out")
    result = run("flare-up", "harriers/ana-lopez", "--pain", "4", "--date", "2026-12-10")
    assert result.exit_code == 0, result.output
    assert revision(in_squad) == 2 and revision(alone) == 1
    assert (in_squad / "revisions" / "2" / "plan.pdf").is_file()
    history = run("history", "harriers/ana-lopez")
    assert history.exit_code == 0 and "2 revision(s), 1 report(s)" in history.output


def test_a_bare_id_only_one_squad_runner_has_picks_that_runner(tmp_path: Path) -> None:
    in_squad = plan_squad(tmp_path, "harriers", tmp_path / "out")
    result = run("flare-up", "ana-lopez", "--pain", "4", "--date", "2026-12-10")
    assert result.exit_code == 0, result.output
    assert revision(in_squad) == 2


def test_two_squads_with_a_runner_of_one_name_keep_two_histories(tmp_path: Path) -> None:
    harriers = plan_squad(tmp_path, "harriers", tmp_path / "out")
    striders = plan_squad(tmp_path, "striders", tmp_path / "out")
    assert revision(harriers) == 1 and revision(striders) == 1
    result = run("flare-up", "ana-lopez", "--pain", "4", "--date", "2026-12-10")
    assert result.exit_code == 2
    assert "harriers/ana-lopez" in result.output and "striders/ana-lopez" in result.output
