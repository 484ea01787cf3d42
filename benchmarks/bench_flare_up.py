"""End-to-end time of `backstride flare-up` (re-plan, store, HTML, PDF) for a 12-week plan.

    python benchmarks/bench_flare_up.py [--runs 7]

Plans the example once into a scratch history database and output folder, then, for
each run, copies both and reports a flare-up (pain 5, in week 3) on the copy: every
run is a runner's first report on a fresh plan, so it re-plans weeks 3 to 12 and
reuses only what a first report can (the weeks before it and, when its exercises
are unchanged, the guide's pages). Target (issue 3): under 1.5 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        # Planned in `run` (the database remembers the folder), kept as `seed`, restored to
        # `run` before every report.
        seed, run = Path(scratch) / "seed", Path(scratch) / "run"
        run.mkdir()
        backstride = [sys.executable, "-m", "backstride"]
        subprocess.run(
            [*backstride, "plan", str(ROOT / "examples" / "ana-lopez.yaml"), "--weeks", "12",
             "--out", str(run / "out"), "--db", str(run / "history.db")],
            check=True, capture_output=True,
        )
        shutil.copytree(run, seed)
        report = [*backstride, "flare-up", "ana-lopez", "--pain", "5", "--date", "2026-12-23",
                  "--db", str(run / "history.db")]
        times = []
        for _ in range(args.runs + 1):
            shutil.rmtree(run)
            shutil.copytree(seed, run)
            start = time.perf_counter()
            subprocess.run(report, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    print(f"flare-up, 12-week plan: median {statistics.median(times[1:]):.2f} s "
          f"over {args.runs} runs (min {min(times[1:]):.2f}, max {max(times[1:]):.2f})")


if __name__ == "__main__":
    main()
