"""End-to-end time of `backstride plan` against the floor, measured in the same run.

    python benchmarks/bench_plan_command.py [--runs 7]

The floor is what any run must pay here: a fresh interpreter importing ortools and
weasyprint and writing a one-line PDF. The two commands alternate (A B A B ...)
so drift in the machine's speed hits both; medians and the median ratio are printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = (
    "import ortools.sat.python.cp_model, weasyprint, sys;"
    "weasyprint.HTML(string='<p>floor</p>').write_pdf(sys.argv[1])"
)


def timed(command: list[str]) -> float:
    # A new history database and output folder each run, so every run plans and lays out
    # every page (an unchanged profile in a database that knows it is only re-rendered, and
    # a PDF already there lends the pages that did not change).
    with tempfile.TemporaryDirectory() as scratch:
        if "plan" in command:
            command = [*command, "--db", str(Path(scratch) / "history.db"),
                       "--out", str(Path(scratch) / "out")]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", default=str(ROOT / "examples" / "ana-lopez.yaml"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        plan = [sys.executable, "-m", "backstride", "plan", args.profile]
        floor = [sys.executable, "-c", FLOOR, str(Path(out) / "floor.pdf")]
        timed(plan), timed(floor)  # warm the file cache
        pairs = [(timed(plan), timed(floor)) for _ in range(args.runs)]
    plan_median = statistics.median(p for p, _ in pairs)
    floor_median = statistics.median(f for _, f in pairs)
    ratio = statistics.median(p / f for p, f in pairs)
    print(f"plan command: median {plan_median:.2f} s over {args.runs} runs")
    print(f"floor:        median {floor_median:.2f} s")
    print(f"ratio plan/floor (median of pairs): {ratio:.2f}x")


if __name__ == "__main__":
    main()
