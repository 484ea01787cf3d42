"""Many processes planning and reporting flare-ups against one history database at once:
every revision and report is kept, none is duplicated, and nobody gets a busy error."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from pathlib import Path

from backstride.inputs.library import load_library
from backstride.revisions import plan_and_store, record_flare_up
from backstride.store import Store
from tests.conftest import make_profile

PROCESSES = 8
OPERATIONS = 50
ATHLETES = ("ana", "ben", "cai", "dee")
START = dt.date(2026, 12, 7)
REPORT_DAY = START + dt.timedelta(days=9)


def athlete_profile(name: str, goal: int) -> object:
    return make_profile(name=name, weeks=3, goal_weekly=goal, start=START.isoformat())


def work(worker: int, db: str, out: str) -> None:
    """OPERATIONS operations, alternating a re-plan (each stores a revision) and a flare-up
    report, over the athletes in turn; any exception fails the process."""
    library = load_library()
    with Store.open(Path(db)) as store:
        for step in range(OPERATIONS):
            athlete = ATHLETES[(worker + step) % len(ATHLETES)]
            with store.transaction():
                if step % 2 == 0:
                    profile = athlete_profile(athlete, goal=25 + (worker * 7 + step) % 40)
                    plan_and_store(store, profile, library, Path(out) / athlete,  # type: ignore[arg-type]
                                   replan=True)
                else:
                    record_flare_up(store, athlete, library, date=REPORT_DAY,
                                    pain=step % 7, note=f"worker {worker} step {step}")


def test_eight_processes_fifty_operations_each_lose_and_duplicate_nothing(
    tmp_path: Path,
) -> None:
    db, out = tmp_path / "history.db", tmp_path / "out"
    library = load_library()
    with Store.open(db) as store:
        for athlete in ATHLETES:
            plan_and_store(store, athlete_profile(athlete, goal=24), library, out / athlete)  # type: ignore[arg-type]

    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=work, args=(n, str(db), str(out)))
               for n in range(PROCESSES)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=600)
    assert [process.exitcode for process in workers] == [0] * PROCESSES

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        revisions = connection.execute(
            "SELECT athlete_id, number FROM revisions ORDER BY athlete_id, number").fetchall()
        notes = [note for (note,) in connection.execute("SELECT note FROM reports")]
    total = PROCESSES * OPERATIONS
    assert len(revisions) == len(ATHLETES) + total
    for athlete in ATHLETES:
        numbers = [number for who, number in revisions if who == athlete]
        assert numbers == list(range(1, len(numbers) + 1))
    expected_notes = {f"worker {w} step {s}" for w in range(PROCESSES)
                      for s in range(1, OPERATIONS, 2)}
    assert len(notes) == len(expected_notes) and set(notes) == expected_notes
