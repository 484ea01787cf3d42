"""What the benchmarks share: running commands in turn and timing them.

Every benchmark can time the code in this tree against another build of backstride
(`--against`, a Python command line whose `-m backstride` is the other build, e.g.
`--against /work/baseline/.venv/bin/python`, or `--against "env PYTHONPATH=/tmp/variant/src
.venv/bin/python"` for a copy with one optimisation taken out). The commands run in turn
(A B C A B C ...) so that drift in the machine's speed hits them all alike.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = [sys.executable]

# What any run must pay here: a fresh interpreter importing OR-Tools and WeasyPrint and
# writing a one-line PDF.
FLOOR = (
    "import ortools.sat.python.cp_model, weasyprint, sys;"
    "weasyprint.HTML(string='<p>floor</p>').write_pdf(sys.argv[1])"
)


def add_against_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--against", type=shlex.split, default=None, metavar="PYTHON",
        help="also time the backstride that this Python command line runs, in turn with "
             "this tree's (e.g. /work/baseline/.venv/bin/python)")


def backstride(python: Sequence[str], *args: str) -> list[str]:
    return [*python, "-m", "backstride", *args]


def seconds(command: Sequence[str], check: bool = True) -> float:
    """The wall time of `command`, its output thrown away."""
    start = time.perf_counter()
    subprocess.run(command, check=check, capture_output=True)
    return time.perf_counter() - start


def floor_seconds(scratch: Path) -> float:
    return seconds([sys.executable, "-c", FLOOR, str(scratch / "floor.pdf")])


def in_turn(timers: Mapping[str, Callable[[], float]], runs: int, warm_up: bool = True
            ) -> dict[str, list[float]]:
    """Each timer `runs` times, in turn, after one untimed round (which warms the file
    cache) unless `warm_up` is false."""
    for timer in timers.values() if warm_up else ():
        timer()
    times: dict[str, list[float]] = {name: [] for name in timers}
    for _ in range(runs):
        for name, timer in timers.items():
            times[name].append(timer())
    return times


def report(times: Mapping[str, list[float]], ratios: Sequence[tuple[str, str]]) -> None:
    """Print each command's median, and the median of the run-by-run ratios asked for."""
    width = max(len(name) for name in times)
    for name, values in times.items():
        print(f"{name:<{width}}  median {statistics.median(values):6.2f} s  "
              f"(min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs)")
    for top, bottom in ratios:
        if top in times and bottom in times:
            ratio = statistics.median(a / b for a, b in zip(times[top], times[bottom],
                                                            strict=True))
            print(f"{top} / {bottom}: {ratio:.2f}x (median of the runs' ratios)")
