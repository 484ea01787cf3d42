"""Squad speed: 100 runners x 12 weeks, PDFs included, with --jobs 1 and --jobs 2.

    python benchmarks/bench_squad.py [--runners 100]

Writes a roster of varied runners (deterministic), runs `backstride squad` on it
with one and with two worker processes (fresh output and database each time),
and prints the wall times, the speed-up, and one runner's cost split (solve,
HTML, the PDF's cover and weeks, its guide, the join) measured in-process.
Targets (issue 4): under 60 s, and --jobs 2 at least 1.7x faster than --jobs 1.

This machine is shared and its speed changes from day to day (the same code took 69 s
one day and 96 s another), so the floor of `bench_plan_command.py` (a fresh interpreter
importing OR-Tools and WeasyPrint and writing a one-line PDF) is timed too, as a yardstick
for comparing figures taken on different days. `--jobs 2` alone skips the one-worker run.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_plan_command import FLOOR, timed

COLUMNS = ["name", "current_weekly", "goal_weekly", "start", "weeks", "run_days",
           "experience", "equipment", "cross_training", "back.pain", "back.worse_with"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def write_roster(path: Path, runners: int) -> None:
    pick = random.Random(7)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(runners):
            current = pick.randint(10, 60)
            run_days = sorted(pick.sample(DAYS, pick.randint(3, 5)), key=DAYS.index)
            writer.writerow([
                f"Runner {number:03d}", current, current + pick.randint(0, 20), "2026-12-07", 12,
                ";".join(run_days), pick.choice(["novice", "intermediate", "advanced"]),
                pick.choice(["", "band", "band;foam_roller"]), pick.choice(["walk", "swim;cycle"]),
                pick.choice([0, 0, 1, 2, 3]), pick.choice(["none", "flexion", "extension"]),
            ])


def floor_seconds(runs: int = 5) -> float:
    """The median time of the floor command (see bench_plan_command.py)."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-c", FLOOR, str(Path(scratch) / "floor.pdf")]
        timed(command)  # warm the file cache
        return statistics.median(timed(command) for _ in range(runs))


def squad_seconds(roster: Path, jobs: int) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "backstride", "squad", str(roster), "--jobs", str(jobs),
                   "--out", scratch, "--db", str(Path(scratch) / "history.db")]
        start = time.perf_counter()
        subprocess.run(command, capture_output=True)
        return time.perf_counter() - start


def cost_split() -> dict[str, float]:
    """One runner's costs in a squad's worker (CPU seconds, medians of 3): planning, the
    HTML, the PDF of the cover and weeks, the PDFs of the pages that name no runner (the
    cover's second page and the exercise guide, each laid out once per squad for every
    runner with the same kinds of session or exercises), and joining them."""
    from backstride.inputs.library import load_library
    from backstride.inputs.profile import parse_profile
    from backstride.render.documents import render_documents
    from backstride.render.pages import SHARED_UNITS, Pages, assemble
    from backstride.render.pdf import prepare_worker, render_units
    from backstride.rules.planner import build_plan

    library = load_library()
    profile = parse_profile({"name": "Split", "current_weekly": 30, "goal_weekly": 40,
                             "start": "2026-12-07", "weeks": 12}, "bench")
    prepare_worker()  # as a squad worker starts
    costs: dict[str, list[float]] = {}

    def clock(name: str, start: float) -> float:
        now = time.process_time()
        costs.setdefault(name, []).append(now - start)
        return now

    for _ in range(3):
        start = time.process_time()
        plan = build_plan(profile, library)
        start = clock("solve", start)
        document = render_documents(plan, library).pdf
        start = clock("HTML", start)
        body = [unit for unit in document.units if unit.name not in SHARED_UNITS]
        body_pdf, body_spans = render_units(document.html(body), [u.name for u in body])
        pages = {u.name: Pages(body_pdf, *body_spans[u.name]) for u in body}  # type: ignore[arg-type]
        start = clock("cover and weeks PDF", start)
        for unit in document.units:
            if unit.name in SHARED_UNITS:
                pdf, spans = render_units(document.html([unit]), [unit.name])
                pages[unit.name] = Pages(pdf, *spans[unit.name])  # type: ignore[arg-type]
        start = clock("second page and guide PDFs", start)
        with tempfile.TemporaryDirectory() as scratch:
            assemble(document, pages, Path(scratch) / "plan.pdf")
        clock("join", start)
    return {name: statistics.median(values) for name, values in costs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=100)
    parser.add_argument("--jobs", type=int, choices=[2], help="only the --jobs 2 run")
    args = parser.parse_args()
    floor = floor_seconds()
    with tempfile.TemporaryDirectory() as scratch:
        roster = Path(scratch) / "bench.csv"
        write_roster(roster, args.runners)
        one = None if args.jobs else squad_seconds(roster, 1)
        two = squad_seconds(roster, 2)
    figures = f"--jobs 2 {two:.1f} s"
    if one is not None:
        figures = f"--jobs 1 {one:.1f} s, {figures}, speed-up {one / two:.2f}x"
    print(f"{args.runners} runners x 12 weeks: {figures}")
    print(f"floor (machine yardstick): {floor:.2f} s; --jobs 2 is {two / floor:.0f} floors")
    split = cost_split()
    print("one runner (12 weeks), CPU: " + ", ".join(
        f"{name} {seconds * 1000:.0f} ms" for name, seconds in split.items()))


if __name__ == "__main__":
    main()
