"""Squad speed: 100 runners x 12 weeks, PDFs included, with --jobs 1 and --jobs 2.

    python benchmarks/bench_squad.py [--runners 100] [--runs 1] [--against PYTHON]
    python benchmarks/bench_squad.py --earnings [--runners 100]

Writes a roster of varied runners (deterministic) and runs `backstride squad` on it with
one and with two worker processes (fresh output and database each time), in turn; with
`--against`, the other build's `--jobs 2` too. Targets: `--jobs 2` at least 1.7x faster
than `--jobs 1`, and within 1.25x of the code before the public-API rework.

The machine's speed changes from day to day, so the floor (see `compare.FLOOR`) is timed
too, as a yardstick for comparing figures taken on different days.

`--earnings` measures, inside one process as a squad's worker runs, what each saving
the PDF code keeps earns, as a share of the squad's work (the CPU time of planning and
rendering every runner, which two workers share):
- laying out the pages that name no runner (the guide, the cover's second page) once
  per squad rather than once per runner;
- the garbage collector tuned for layout (`render.pdf.prepare_worker`);
- one font configuration, image cache and parsed stylesheet for every document of a
  process.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from compare import OURS, add_against_option, backstride, floor_seconds, in_turn, report, seconds

COLUMNS = ["name", "current_weekly", "goal_weekly", "start", "weeks", "run_days",
           "experience", "equipment", "cross_training", "back.pain", "back.worse_with"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Runners whose documents are laid out to measure a runner's layout (`--earnings`).
SAMPLE = 6


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


def squad_timer(python: Sequence[str], roster: Path, jobs: int) -> Callable[[], float]:
    def timed() -> float:
        with tempfile.TemporaryDirectory() as scratch:
            # Exit code 1 only says some runner got no plan: the time still counts.
            return seconds(backstride(python, "squad", str(roster), "--jobs", str(jobs),
                                      "--out", scratch, "--db", str(Path(scratch) / "h.db")),
                           check=False)
    return timed


# -- what each saving earns (--earnings) ------------------------------------------------------

def _roster_documents(roster: Path) -> list[Any]:
    """Every runner's PDF document (see `render.pages`), planned in this process."""
    from backstride.inputs.library import load_library
    from backstride.render.documents import render_documents
    from backstride.rules.planner import build_plan
    from backstride.squad import load_roster

    library = load_library()
    return [render_documents(build_plan(entry.profile, library), library).pdf
            for entry in load_roster(roster).entries if entry.profile is not None]


def _runner_costs(roster: Path, gc_tuned: bool, fonts_kept: bool) -> dict[str, float]:
    """CPU seconds, medians over the first `SAMPLE` runners: planning and the HTML, the
    runner's own pages, the pages naming no runner, and joining them; and how many runners
    and distinct pages naming no runner the roster has. Run in a fresh process each way."""
    from backstride.render import pdf
    from backstride.render.join import Pages
    from backstride.render.pages import SHARED_UNITS, assemble

    if gc_tuned:
        pdf.prepare_worker()
    else:
        pdf.warm_up()
    start = time.process_time()
    documents = _roster_documents(roster)
    costs: dict[str, list[float]] = {"plan and HTML": [(time.process_time() - start)
                                                       / len(documents)]}

    def render(html: str, css: str, names: list[str]
               ) -> tuple[bytes, dict[str, tuple[int, int]]]:
        if not fonts_kept:  # a new font configuration, image cache and parsed stylesheet
            pdf._font_config.cache_clear()  # for every document
            pdf._IMAGE_CACHE.clear()
            pdf._parsed.cache_clear()
        data, spans = pdf.render_units(html, css, names)
        assert data is not None
        return data, spans

    def clock(name: str, start: float) -> float:
        now = time.process_time()
        costs.setdefault(name, []).append(now - start)
        return now

    for document in documents[:SAMPLE]:
        start = time.process_time()
        body = [unit for unit in document.units if unit.name not in SHARED_UNITS]
        data, spans = render(document.html(body), document.stylesheet, [u.name for u in body])
        pages = {u.name: Pages(data, *spans[u.name]) for u in body}
        start = clock("own pages", start)
        for unit in document.units:
            if unit.name in SHARED_UNITS:
                data, spans = render(document.html([unit]), document.stylesheet, [unit.name])
                pages[unit.name] = Pages(data, *spans[unit.name])
        start = clock("pages naming no runner", start)
        with tempfile.TemporaryDirectory() as scratch:
            assemble(document, pages, Path(scratch) / "plan.pdf")
        clock("join", start)
    split = {name: statistics.median(values) for name, values in costs.items()}
    split["runners"] = len(documents)
    split["distinct pages naming no runner"] = len(
        {unit.key for document in documents for unit in document.units
         if unit.name in SHARED_UNITS})
    return split


def _costs_in_fresh_process(roster: Path, gc_tuned: bool, fonts_kept: bool
                            ) -> dict[str, float]:
    done = subprocess.run(
        [*OURS, __file__, "--costs", str(roster), "--gc-tuned", str(gc_tuned),
         "--fonts-kept", str(fonts_kept)],
        check=True, capture_output=True, text=True)
    costs: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return costs


def earnings(roster: Path) -> None:
    kept = _costs_in_fresh_process(roster, gc_tuned=True, fonts_kept=True)
    runners, distinct = kept.pop("runners"), kept.pop("distinct pages naming no runner")
    per_runner = sum(kept.values())
    print("one runner's work in a squad worker, CPU: " + ", ".join(
        f"{name} {value * 1000:.0f} ms" for name, value in kept.items()))
    # Laid out once per squad: for every runner after the first with the same pages.
    shared = kept["pages naming no runner"]
    saved = shared * (runners - distinct) / runners
    print(f"pages naming no runner laid out once per squad ({distinct:.0f} distinct for "
          f"{runners:.0f} runners): earn {saved / (per_runner + saved):.1%} of the squad's work")
    for name, gc_tuned, fonts_kept in (("garbage collector tuned", False, True),
                                       ("fonts, images and stylesheet kept", True, False)):
        without = _costs_in_fresh_process(roster, gc_tuned, fonts_kept)
        layout = ("own pages", "pages naming no runner")
        extra = sum(without[part] - kept[part] for part in layout)
        print(f"{name}: earns {extra / (per_runner + extra):.1%} of the squad's work "
              f"(a runner's layout {sum(kept[p] for p in layout) * 1000:.0f} ms with it, "
              f"{sum(without[p] for p in layout) * 1000:.0f} ms without)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--jobs", type=int, choices=[2], help="only the --jobs 2 runs")
    parser.add_argument("--earnings", action="store_true",
                        help="what each kept saving earns, instead of the squad's times")
    parser.add_argument("--costs", type=Path, help=argparse.SUPPRESS)  # one `--earnings` way
    parser.add_argument("--gc-tuned", type=lambda text: text == "True", help=argparse.SUPPRESS)
    parser.add_argument("--fonts-kept", type=lambda text: text == "True",
                        help=argparse.SUPPRESS)
    add_against_option(parser)
    args = parser.parse_args()
    if args.costs:
        print(json.dumps(_runner_costs(args.costs, args.gc_tuned, args.fonts_kept)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        roster = Path(scratch) / "bench.csv"
        write_roster(roster, args.runners)
        if args.earnings:
            earnings(roster)
            return
        timers = {"floor": lambda: floor_seconds(Path(scratch))}
        if not args.jobs:
            timers["--jobs 1"] = squad_timer(OURS, roster, 1)
        timers["--jobs 2"] = squad_timer(OURS, roster, 2)
        if args.against:
            timers["--jobs 2 (against)"] = squad_timer(args.against, roster, 2)
        # No untimed round first: a squad's run is long, the file cache warm within seconds.
        times = in_turn(timers, args.runs, warm_up=False)
    print(f"{args.runners} runners x 12 weeks")
    report(times, [("--jobs 1", "--jobs 2"), ("--jobs 2", "--jobs 2 (against)"),
                   ("--jobs 2", "floor")])


if __name__ == "__main__":
    main()
