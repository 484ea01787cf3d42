"""Runs killed part-way: files are whole (old or new, never truncated), the history survives,
and the next run clears what the killed one left behind."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import icalendar
from pypdf import PdfReader

from backstride.files import TEMP_PREFIX
from tests.conftest import EXAMPLES

# Fractions of a normal run's time: solving, storing the revision, rendering, renaming.
KILL_POINTS = (0.1, 0.25, 0.4, 0.5, 0.6, 0.7)


def backstride(*args: str) -> list[str]:
    return [sys.executable, "-m", "backstride", *args]


def assert_whole(folder: Path) -> None:
    """Every plan file under its real name is complete and readable."""
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["weeks"]
    assert len(PdfReader(folder / "plan.pdf").pages) > 3
    assert (folder / "plan.html").read_text().rstrip().endswith("</html>")
    assert icalendar.Calendar.from_ical((folder / "plan.ics").read_bytes()).walk("VEVENT")


def kill_after(command: list[str], seconds: float, folder: Path) -> bool:
    """Start `command` and kill it (and its render workers) after `seconds`, or as soon as it
    has staged a temporary file when `seconds` is 0. True if it was killed."""
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + (seconds or 60)
    while time.monotonic() < deadline and process.poll() is None:
        if not seconds and any(folder.glob(TEMP_PREFIX + "*")):
            break
        time.sleep(0.005)
    killed = process.poll() is None
    if killed:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return killed


def test_runs_killed_at_any_point_leave_whole_files_and_history(tmp_path: Path) -> None:
    db = tmp_path / "history.db"
    out = tmp_path / "out"
    folder = out / "ana-lopez"
    command = backstride("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(out),
                         "--db", str(db), "--weeks", "4", "--replan")
    subprocess.run(command, check=True, capture_output=True)
    # The quicker of two runs: on a busy machine one slow run would put the later kill
    # points after a quicker run has already finished.
    durations = []
    for _ in range(2):
        started = time.monotonic()
        subprocess.run(command, check=True, capture_output=True)
        durations.append(time.monotonic() - started)
    duration = min(durations)

    kills = 0
    for fraction in (0.0, *KILL_POINTS):  # 0: the moment it first stages a file
        kills += kill_after(command, fraction * duration, folder)
        assert_whole(folder)
        with sqlite3.connect(db) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            numbers = [n for (n,) in connection.execute(
                "SELECT number FROM revisions ORDER BY number")]
        assert numbers == list(range(1, len(numbers) + 1))

    assert kills >= len(KILL_POINTS)
    finished = subprocess.run(command, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert_whole(folder)
    assert not list(folder.rglob(TEMP_PREFIX + "*")), "a killed run's temporary file was kept"
    check = subprocess.run(backstride("history", "--check", "--db", str(db)),
                           capture_output=True, text=True)
    assert check.returncode == 0 and "ok" in check.stdout


def test_ctrl_c_while_rendering_stops_cleanly_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = out / "ana-lopez"
    command = backstride("plan", str(EXAMPLES / "ana-lopez.yaml"), "--out", str(out),
                         "--db", str(tmp_path / "history.db"), "--weeks", "4")
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not any(folder.glob(TEMP_PREFIX + "*")) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert errors.strip().splitlines()[-1] == "interrupted; no files were changed"
    assert not list(folder.glob("*")), "an interrupted first run left files behind"
