"""Solver time for 4, 12 and 52-week plans (median of repeated runs, cold cache each run).

    python benchmarks/bench_solver.py [--runs 15]

Times `build_plan` (progression + CP-SAT weeks + exercise choice) in-process, after
the imports, with the week cache cleared before every run so each run pays for
every distinct week it solves; the last column is the part spent inside CP-SAT's
`solve` (the rest is building the week models in Python and choosing exercises).
Profiles: the shipped examples that give a plan, plus a 7-run-day advanced runner
(the largest week model).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ortools.sat.python import cp_model

from backstride.inputs.library import load_library
from backstride.inputs.profile import Profile, load_profile, parse_profile
from backstride.rules.planner import build_plan
from backstride.rules.scheduler import solve_week

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


def median_ms(profile: Profile, runs: int, clock: SolveClock) -> tuple[float, float, float]:
    library = load_library()
    times, solving = [], []
    for _ in range(runs):
        solve_week.cache_clear()
        clock.seconds = 0.0
        start = time.perf_counter()
        build_plan(profile, library)
        times.append((time.perf_counter() - start) * 1000)
        solving.append(clock.seconds * 1000)
    return statistics.median(times), max(times), statistics.median(solving)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    build_plan(profiles(1)["ana-lopez"], load_library())  # warm up imports and CP-SAT
    clock = SolveClock()
    print(f"{'weeks':>5}  {'profile':<10}  {'median ms':>9}  {'max ms':>7}  {'cp-sat ms':>9}")
    for weeks in (4, 12, 52):
        for name, profile in profiles(weeks).items():
            median, worst, solving = median_ms(profile, args.runs, clock)
            print(f"{weeks:>5}  {name:<10}  {median:>9.1f}  {worst:>7.1f}  {solving:>9.1f}")


if __name__ == "__main__":
    main()
