"""Squads: a roster in, a plan per runner out, in parallel; failures never stop the others."""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from backstride.inputs.library import default_library_dir
from backstride.squad import load_roster, worker_library
from tests.conftest import DATA, run

ROSTERS = DATA / "rosters"


def test_csv_and_yaml_rosters_hold_the_same_runners() -> None:
    from_csv = load_roster(ROSTERS / "small.csv")
    from_yaml = load_roster(ROSTERS / "small.yaml")
    assert from_csv.name == from_yaml.name == "small"
    assert [e.profile for e in from_csv.entries] == [e.profile for e in from_yaml.entries]


def test_all_bad_rows_are_reported_at_once_with_the_spreadsheet_row_and_column() -> None:
    roster = load_roster(ROSTERS / "bad_rows.csv")
    text = "\n".join(roster.problems)
    # The header is the spreadsheet's row 1, so the first runner is row 2.
    assert "bad_rows.csv: row 2: back.pain" in text
    assert "row 3: name" in text
    assert "row 4: current_weekly" in text and "row 4: run_days" in text
    assert "row 4: back.red_flags" in text
    assert [e.profile is not None for e in roster.entries] == [False, False, False, True]


def test_a_spreadsheet_export_with_a_byte_order_mark_and_a_dotted_first_column_reads() -> None:
    # Saved by a spreadsheet: a byte-order mark, `back.pain` first, CRLF, a blank row 4.
    roster = load_roster(ROSTERS / "spreadsheet_export.csv")
    assert roster.problems == []
    assert [entry.label for entry in roster.entries] == [
        "row 2 (Ana Lopez)", "row 3 (Ben Okafor)", "row 5 (Cleo Park)"]
    assert [profile.back.pain for _, profile in roster.runners] == [2, 0, 1]
    assert roster.runners[0][1].equipment == ["band", "foam_roller"]


def test_a_semicolon_file_with_decimal_commas_and_comma_lists_reads() -> None:
    roster = load_roster(ROSTERS / "semicolons.csv")
    ana, ben = (profile for _, profile in roster.runners)
    assert (ana.current_weekly, ana.longest_recent_run, ana.run_days) == (
        20.5, 7.5, ["tue", "thu", "sun"])
    assert ben.goal_weekly == 45.5
    assert roster.bad_rows[0].label == "row 4 (Cleo Park)"
    assert any("semicolons.csv: row 4: run_days: unknown weekday 'funday'" in problem
               for problem in roster.problems)


def test_excel_s_separator_line_is_not_counted_as_a_row(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\nname;current_weekly;goal_weekly\nAna;20;30\nBen;20;300\n")
    roster = load_roster(path)
    assert roster.problems == [f"{path}: row 3: goal_weekly: 300 is over 250 km a week"]


def test_an_unquoted_decimal_comma_in_a_comma_separated_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "commas.csv"
    path.write_text("name,current_weekly,goal_weekly\nAna,20,5,30\n")
    assert load_roster(path).problems == [
        f"{path}: row 2: 4 cells but only 3 columns; a decimal comma splits a number in two "
        "in a comma-separated file: write 20.5, or save the file separated by semicolons"]


def test_a_misspelt_column_suggests_the_closest_known_field(tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    path.write_text("name,current_weekly,goal_weekly,back.pian\nAna,20,30,2\n")
    assert load_roster(path).problems == [
        f"{path}: row 2: back.pian: is not a known field; did you mean `back.pain`?"]


def test_a_failing_runner_does_not_stop_the_rest(tmp_path: Path) -> None:
    result = run("squad", str(ROSTERS / "small.csv"), "--out", str(tmp_path), "--jobs", "2")
    assert result.exit_code == 1
    assert "leo-novak" in result.output and "failed" in result.output
    squad = tmp_path / "small"
    for athlete in ("ana-lopez", "ben-okafor", "kara-singh"):
        assert {p.name for p in (squad / athlete).iterdir()} >= {"plan.json", "plan.pdf"}
    assert "referral" in result.output  # the red-flag runner gets a referral sheet
    assert not (squad / "leo-novak" / "plan.json").exists()


def test_one_job_and_two_jobs_give_byte_identical_plans(tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        result = run("squad", str(ROSTERS / "small.csv"), "--out", str(out), "--jobs", jobs,
                     "--db", str(tmp_path / f"db{jobs}.db"))
        assert result.exit_code == 1, result.output  # Leo cannot be planned
        outputs.append({p.parent.name: p.read_bytes()
                        for p in sorted((out / "small").glob("*/plan.json"))})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 3
    # The folder the workers shared pages through is gone afterwards.
    assert not list((tmp_path / "jobs2" / "small").glob(".backstride-*"))


def test_planning_code_runs_under_any_executor(tmp_path: Path, history_database: Path) -> None:
    from backstride.app import plan_squad_runner
    from backstride.squad import SquadJob, plan_each

    roster = load_roster(ROSTERS / "small.csv")
    jobs = [SquadJob(row, profile.model_dump_json(), str(tmp_path / (profile.id or "x")),
                     str(history_database), None)
            for row, profile in roster.runners]
    with ThreadPoolExecutor(max_workers=1) as executor:
        results = plan_each(jobs, executor, plan_squad_runner)
    assert [r.status for r in results] == ["plan", "plan", "referral", "failed"]


def test_a_dask_cluster_gives_the_same_plans_as_one_local_job(tmp_path: Path) -> None:
    # One worker with two threads, as `dask worker --nthreads 2` starts it: two runners'
    # PDFs are asked for in one process at once.
    from distributed import LocalCluster

    local = tmp_path / "local"
    assert run("squad", str(ROSTERS / "small.csv"), "--out", str(local), "--jobs", "1",
               "--db", str(tmp_path / "local.db")).exit_code == 1
    remote = tmp_path / "remote"
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                      dashboard_address=None) as cluster:
        result = run("squad", str(ROSTERS / "small.csv"), "--out", str(remote),
                     "--cluster", cluster.scheduler_address, "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 1, result.output
    for plan in sorted((local / "small").glob("*/plan.json")):
        assert (remote / "small" / plan.parent.name / "plan.json").read_bytes() == plan.read_bytes()


def test_a_worker_reads_an_edited_library_again(tmp_path: Path) -> None:
    # Dask workers outlive one squad run: a library edited between runs must not be
    # served from the worker's cache.
    folder = tmp_path / "library"
    shutil.copytree(default_library_dir(), folder, ignore=shutil.ignore_patterns("__*"))
    first = worker_library(str(folder))
    core = folder / "core.yaml"
    core.write_text(core.read_text().replace("name: Bird dog", "name: Bird dog (edited)"))
    os.utime(core, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    again = worker_library(str(folder))
    assert first.get("bird-dog").name == "Bird dog"
    assert again.get("bird-dog").name == "Bird dog (edited)"


def test_the_overview_gives_a_runner_s_notes_as_sentences() -> None:
    from backstride.app import as_sentences

    assert as_sentences(["Pain 3/10 today: a calm week.", "The goal is not reached"]) == (
        "Pain 3/10 today: a calm week. The goal is not reached.")
    assert as_sentences([]) == ""
