"""End-to-end time of `backstride plan` on a 12-week profile against the floor.

    python benchmarks/bench_plan_command.py [--runs 7] [--against PYTHON]

The floor (see `compare.FLOOR`) is what any run must pay here: a fresh interpreter
importing OR-Tools and WeasyPrint and writing a one-line PDF. Each run plans into a new
history database and output folder, so every run plans and lays out every page. With
`--against`, the other build's `plan` runs in turn with this tree's. Target: this tree's
`plan` within 2.0x the floor.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from compare import (
    OURS,
    ROOT,
    add_against_option,
    backstride,
    floor_seconds,
    in_turn,
    report,
    seconds,
)


def plan_timer(python: Sequence[str], profile: str, scratch: Path) -> Callable[[], float]:
    def timed() -> float:
        with tempfile.TemporaryDirectory(dir=scratch) as run:
            return seconds(backstride(python, "plan", profile, "--weeks", "12",
                                      "--db", str(Path(run) / "history.db"),
                                      "--out", str(Path(run) / "out")))
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", default=str(ROOT / "examples" / "ana-lopez.yaml"))
    add_against_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        timers = {"floor": lambda: floor_seconds(scratch),
                  "plan": plan_timer(OURS, args.profile, scratch)}
        if args.against:
            timers["plan (against)"] = plan_timer(args.against, args.profile, scratch)
        times = in_turn(timers, args.runs)
    report(times, [("plan", "floor"), ("plan (against)", "floor"), ("plan", "plan (against)")])


if __name__ == "__main__":
    main()
