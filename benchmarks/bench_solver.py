"""Solver time for 4, 12 and 52-week plans (median of repeated runs, cold cache each run).

    python benchmarks/bench_solver.py [--runs 15]

Times `build_plan` (progression + CP-SAT weeks + exercise choice) in-process, after
the imports, with the week cache cleared before every run so each run pays for
every distinct week it solves. The columns: the whole of `build_plan`; the weeks alone,
without the smallest-change search a plan held short of its volume runs for its note
(issue 19 gives that search a budget of its own, `bench_limits.py`); that search; the
part spent inside CP-SAT's `solve`. Profiles: the shipped examples that give a plan, plus
a 7-run-day advanced runner (the largest week model).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from backstride.inputs.library import load_library
from backstride.inputs.profile import Profile, load_profile, parse_profile
from backstride.rules import planner
from backstride.rules.planner import build_plan
from backstride.rules.scheduler import solved_week

ROOT = Path(__file__).resolve().parent.parent
WIDE = {
    "name": "Wide Week", "current_weekly": 45, "goal_weekly": 70, "start": "2026-12-07",
    "run_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "min_rest_days": 1,
    "experience": "advanced", "max_minutes": {"default": 75, "sun": 150},
    "equipment": ["band", "foam_roller", "dumbbells"], "cross_training": ["swim", "cycle"],
}


def profiles(weeks: int) -> dict[str, Profile]:
    found = {}
    for name in ("ana-lopez", "sam-miles"):
        profile = load_profile(ROOT / "examples" / f"{name}.yaml")
        found[name] = profile.model_copy(update={"weeks": weeks})
    found["wide-week"] = parse_profile({**WIDE, "weeks": weeks}, "bench")
    return found


class NoteClock:
    """Adds up the time spent finding the smallest change (`limit_note`) while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        note = planner.limit_note
        clock = self

        def timed_note(*args: Any, **kwargs: Any) -> str:
            start = time.perf_counter()
            try:
                return note(*args, **kwargs)
            finally:
                clock.seconds += time.perf_counter() - start

        planner.limit_note = timed_note


class SolveClock:
    """Adds up the time spent in CpSolver.solve while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._solve = cp_model.CpSolver.solve
        clock = self

        def timed_solve(solver: cp_model.CpSolver, *args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return clock._solve(solver, *args, **kwargs)
            finally:
                clock.seconds += time.perf_counter() - start

        cp_model.CpSolver.solve = timed_solve  # type: ignore[method-assign]


def median_ms(profile: Profile, runs: int, clock: SolveClock, notes: NoteClock
              ) -> tuple[float, float, float, float]:
    """Medians of the whole plan, of its weeks alone, of the smallest-change search, and
    of the time inside CP-SAT (in ms)."""
    library = load_library()
    times, weeks, searching, solving = [], [], [], []
    for _ in range(runs):
        solved_week.cache_clear()
        clock.seconds = notes.seconds = 0.0
        start = time.perf_counter()
        build_plan(profile, library)
        total = time.perf_counter() - start
        times.append(total * 1000)
        weeks.append((total - notes.seconds) * 1000)
        searching.append(notes.seconds * 1000)
        solving.append(clock.seconds * 1000)
    return (statistics.median(times), statistics.median(weeks), statistics.median(searching),
            statistics.median(solving))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    build_plan(profiles(1)["ana-lopez"], load_library())  # warm up imports and CP-SAT
    clock, notes = SolveClock(), NoteClock()
    print(f"{'weeks':>5}  {'profile':<10}  {'plan ms':>7}  {'weeks ms':>8}  "
          f"{'smallest change ms':>18}  {'cp-sat ms':>9}")
    for weeks in (4, 12, 52):
        for name, profile in profiles(weeks).items():
            total, alone, search, solving = median_ms(profile, args.runs, clock, notes)
            print(f"{weeks:>5}  {name:<10}  {total:>7.1f}  {alone:>8.1f}  {search:>18.1f}  "
                  f"{solving:>9.1f}")


if __name__ == "__main__":
    main()
