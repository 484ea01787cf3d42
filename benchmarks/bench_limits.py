"""The largest inputs backstride promises to handle, timed (issue 6's limits).

    python benchmarks/bench_limits.py [--runs 5]

- a 52-week plan for one runner (planning only, in-process; budget 250 ms);
- a roster of 1000 runners read and validated, then every runner planned
  (in-process, one core; no PDFs, which bench_squad.py times);
- a library of 1000 exercises (the shipped one plus variants) loaded, and a
  12-week plan made with it;
- the smallest change (issue 19 item 6) for a pain-free copy of
  examples/sam-miles.yaml: the extra week solves and the time the search adds
  to its 12-week plan (budget: at most 10 solves and 0.5 s).

Medians over --runs runs; the week cache is cleared before each plan so every
run solves from scratch.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backstride.inputs.library import load_library
from backstride.inputs.profile import parse_profile
from backstride.rules.limits import find_limit
from backstride.rules.planner import build_plan
from backstride.rules.scheduler import solve_week, solved_week
from backstride.squad import load_roster
from tests.rules.test_limits import library_of, roster
from tests.rules.test_smallest_change import pain_free_sam, short_week


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        solved_week.cache_clear()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    library = load_library()
    profile = parse_profile({"name": "Long Haul", "current_weekly": 20, "goal_weekly": 60,
                             "start": "2026-12-07", "weeks": 52}, "benchmark")
    build_plan(profile, library)  # warm-up: imports, first model
    seconds = median_seconds(lambda: build_plan(profile, library), args.runs)
    print(f"52-week plan: median {seconds * 1000:.0f} ms over {args.runs} runs")

    folder = Path(tempfile.mkdtemp())
    try:
        path = roster(1000, folder / "club.csv")
        seconds = median_seconds(lambda: load_roster(path), args.runs)
        print(f"1000-runner roster read and validated: median {seconds * 1000:.0f} ms")
        entries = load_roster(path).entries
        started = time.perf_counter()
        for entry in entries:
            assert entry.profile is not None
            build_plan(entry.profile, library)
        print(f"1000 runners planned (8 weeks each, one core, no PDF): "
              f"{time.perf_counter() - started:.1f} s")

        big = library_of(1000, folder / "library")
        seconds = median_seconds(lambda: load_library(big), args.runs)
        print(f"1000-exercise library loaded: median {seconds * 1000:.0f} ms")
        large = load_library(big)
        twelve = profile.model_copy(update={"weeks": 12})
        seconds = median_seconds(lambda: build_plan(twelve, large), args.runs)
        print(f"12-week plan with the 1000-exercise library: median {seconds * 1000:.0f} ms")
    finally:
        shutil.rmtree(folder)

    request, need = short_week(pain_free_sam(), library)
    times, solves = [], 0
    for _ in range(args.runs):
        solved_week.cache_clear()
        solve_week(request)  # the week itself, which the planner has solved already
        started = time.perf_counter()
        find_limit(request, need)
        times.append(time.perf_counter() - started)
        solves = solved_week.cache_info().misses - 1
    print(f"smallest change for a 12-week plan: {solves} extra solves, "
          f"median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
