"""The squad overview: one table of every runner for the coach, as HTML and PDF.

It renders any runner outcome with the attributes `SquadRunner` names (`squad.RunnerResult`
has them), so the renderer needs nothing from the code that plans the squad.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup

from backstride.plan import DISCLAIMER
from backstride.render.chart import PHASE_COLOURS
from backstride.render.html import environment, stylesheet

STATUS_LABELS = {"plan": "Plan", "referral": "REFERRAL: see a professional",
                 "failed": "No plan", "bad_row": "Bad row"}


class SquadRunner(Protocol):
    """One runner's outcome, as the overview shows it."""

    @property
    def row(self) -> int: ...  # the roster row, for the table's order
    @property
    def athlete_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...  # "plan", "referral" or "failed"
    @property
    def detail(self) -> str: ...
    @property
    def weekly_km(self) -> Sequence[float]: ...
    @property
    def phases(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class SquadRow:
    """A line of the overview's table: a runner, or a roster row that could not be read."""

    row: int
    name: str
    id: str
    status: str
    label: str
    chart: Markup
    km: str  # "20 → 31 km": week 1, then the biggest week
    phase: str  # week 1's
    detail: str


def sparkline_svg(weekly_km: Sequence[float], phases: Sequence[str]) -> Markup:
    """Weekly volume as small bars, easy weeks in their own colour (as on a runner's cover).

    The bars of one colour are one path: WeasyPrint draws an SVG element by element, and a
    squad's overview has a chart per runner.
    """
    if not weekly_km:
        return Markup("")
    width, height, gap = 120.0, 24.0, 1.0
    top = max(max(weekly_km), 1.0)
    bar = (width - gap * (len(weekly_km) - 1)) / len(weekly_km)
    bars: dict[str, list[str]] = {}
    for index, (km, phase) in enumerate(zip(weekly_km, phases, strict=False)):
        bar_height = max(1.0, height * km / top)
        colour = PHASE_COLOURS.get(phase, PHASE_COLOURS["build"])
        bars.setdefault(colour, []).append(
            f"M{index * (bar + gap):.1f} {height - bar_height:.1f}h{bar:.1f}v{bar_height:.1f}"
            f"h{-bar:.1f}z")
    paths = "".join(f'<path fill="{colour}" d="{"".join(shapes)}"/>'
                    for colour, shapes in bars.items())
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
                  f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">{paths}</svg>')


def runner_row(runner: SquadRunner) -> SquadRow:
    weekly_km = runner.weekly_km
    return SquadRow(
        row=runner.row,
        name=runner.name,
        id=runner.athlete_id,
        status=runner.status,
        label=STATUS_LABELS[runner.status],
        chart=sparkline_svg(weekly_km, runner.phases),
        km=f"{weekly_km[0]:.0f} → {max(weekly_km):.0f} km" if weekly_km else "",
        phase=runner.phases[0] if runner.phases else "",
        detail=runner.detail,
    )


def bad_row(row: int, label: str, problem: str) -> SquadRow:
    return SquadRow(row=row, name=label, id="", status="bad_row",
                    label=STATUS_LABELS["bad_row"], chart=Markup(""), km="", phase="",
                    detail=problem)


def render_squad_html(name: str, results: Sequence[SquadRunner],
                      bad_rows: Sequence[tuple[int, str, str]]) -> str:
    """The overview of `results` (and of rows that could not be read: row, label, problem)."""
    rows = [runner_row(result) for result in results]
    rows += [bad_row(row, label, problem) for row, label, problem in bad_rows]
    rows.sort(key=lambda row: row.row)
    counts = {status: sum(row.status == status for row in rows)
              for status in ("plan", "referral", "failed", "bad_row")}
    return environment().get_template("squad.html").render(
        name=name, rows=rows, counts=counts, css=stylesheet(), disclaimer=DISCLAIMER,
    )
