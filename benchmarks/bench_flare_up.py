"""End-to-end time of `backstride flare-up` (re-plan, store, HTML, PDF) for a 12-week plan.

    python benchmarks/bench_flare_up.py [--runs 7] [--against PYTHON]

Plans the example once into a scratch history database and output folder (with each
build, for `--against`), then, for each run, copies both and reports a flare-up (pain 5,
in week 3) on the copy: every run is a runner's first report on a fresh plan, so it
re-plans weeks 3 to 12. The floor (see `compare.FLOOR`) runs in turn with it.
Target: within 1.5x the floor.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
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


def flare_up_timer(python: Sequence[str], scratch: Path, name: str) -> Callable[[], float]:
    """Plans the example into `scratch/name/seed`; each call reports a flare-up on a copy."""
    seed, run = scratch / name / "seed", scratch / name / "run"
    run.mkdir(parents=True)
    # The database remembers the folder it was planned into: plan in `run`, keep it as `seed`.
    subprocess.run(
        backstride(python, "plan", str(ROOT / "examples" / "ana-lopez.yaml"), "--weeks", "12",
                   "--out", str(run / "out"), "--db", str(run / "history.db")),
        check=True, capture_output=True,
    )
    shutil.copytree(run, seed)

    def timed() -> float:
        shutil.rmtree(run)
        shutil.copytree(seed, run)
        return seconds(backstride(python, "flare-up", "ana-lopez", "--pain", "5",
                                  "--date", "2026-12-23", "--db", str(run / "history.db")))
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    add_against_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        timers = {"floor": lambda: floor_seconds(scratch),
                  "flare-up": flare_up_timer(OURS, scratch, "ours")}
        if args.against:
            timers["flare-up (against)"] = flare_up_timer(args.against, scratch, "against")
        times = in_turn(timers, args.runs)
    report(times, [("flare-up", "floor"), ("flare-up (against)", "floor"),
                   ("flare-up", "flare-up (against)")])


if __name__ == "__main__":
    main()
