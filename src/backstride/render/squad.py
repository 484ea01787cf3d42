"""The squad overview: one table of every runner for the coach, as HTML and PDF.

It renders any runner outcome with the attributes `SquadRunner` names (`squad.RunnerResult`
has them), with the runner's profile beside it, so the renderer needs nothing from the code
that plans the squad. Runners who need the coach's attention come first, every chart has
the same scale (one runner's bars compare with another's), and distances are in each
runner's own units.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from markupsafe import Markup

from backstride.files import write_atomically
from backstride.inputs.pace import to_units
from backstride.inputs.profile import Profile
from backstride.plan import DISCLAIMER
from backstride.render.chart import PHASE_COLOURS
from backstride.render.format import format_profile_distance
from backstride.render.templates import environment, stylesheet
from backstride.rules.progression import CALM_PHASES

STATUS_LABELS = {"plan": "Plan", "referral": "REFERRAL: see a professional",
                 "failed": "No plan", "bad_row": "Bad row"}
CALM_START_LABEL = "Plan, calm start"
# Who the coach looks at first: no training allowed, then no plan, then an unreadable row,
# then a plan that starts calm because of pain; everyone else after, in roster order.
ATTENTION_ORDER = ("referral", "failed", "bad_row", "calm_start", "plan")
TERMINAL_NOTE_WIDTH = 90


class SquadRunner(Protocol):
    """One runner's outcome, as the overview shows it."""

    @property
    def row(self) -> int: ...  # the roster row, for the table's order
    @property
    def athlete_id(self) -> str: ...  # also their folder beside squad.html
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
    status: str  # the row's CSS class and its place in ATTENTION_ORDER
    label: str
    chart: Markup
    now: str  # running per week now, in the runner's units
    goal: str
    peak: str  # the plan's biggest week
    pain: str
    detail: str
    has_files: bool  # a plan or referral sheet to link to


def squad_title(squad: str) -> str:
    """The squad's name as a heading: 'north-harriers' is 'North harriers'."""
    words = squad.replace("-", " ").replace("_", " ").strip() or "squad"
    return words[0].upper() + words[1:]


def terminal_note(text: str, width: int = TERMINAL_NOTE_WIDTH) -> str:
    """`text` on one terminal line of at most `width` characters, shortened at a word
    boundary (never mid-word) with '...' where it was cut."""
    return textwrap.shorten(text, width, placeholder=" ...")


def sparkline_svg(weekly_km: Sequence[float], phases: Sequence[str], top_km: float) -> Markup:
    """Weekly volume as small bars, easy weeks in their own colour (as on a runner's cover),
    `top_km` the full height: the squad's biggest week, so every runner's chart compares.

    The bars of one colour are one path: WeasyPrint draws an SVG element by element, and a
    squad's overview has a chart per runner.
    """
    if not weekly_km:
        return Markup("")
    width, height, gap = 120.0, 24.0, 1.0
    top = max(top_km, *weekly_km, 1.0)
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


def runner_row(runner: SquadRunner, profile: Profile | None, top_km: float) -> SquadRow:
    weekly_km = runner.weekly_km
    status = runner.status
    # A plan that starts by calming the back down.
    if status == "plan" and runner.phases and runner.phases[0] in CALM_PHASES:
        status = "calm_start"
    units = profile.units if profile else "km"
    return SquadRow(
        row=runner.row,
        name=runner.name,
        id=runner.athlete_id,
        status=status,
        label=CALM_START_LABEL if status == "calm_start" else STATUS_LABELS[status],
        chart=sparkline_svg(weekly_km, runner.phases, top_km),
        now=format_profile_distance(profile.current_weekly, units) if profile else "",
        goal=format_profile_distance(profile.goal_weekly, units) if profile else "",
        peak=f"{to_units(max(weekly_km), units):.0f} {units}" if weekly_km else "",
        pain=f"{profile.back.pain}/10" if profile else "",
        detail=runner.detail,
        has_files=runner.status != "failed",
    )


def bad_row(row: int, label: str, problem: str) -> SquadRow:
    return SquadRow(row=row, name=label, id="", status="bad_row",
                    label=STATUS_LABELS["bad_row"], chart=Markup(""), now="", goal="",
                    peak="", pain="", detail=problem, has_files=False)


def render_squad_html(
    squad: str,
    results: Sequence[SquadRunner],
    bad_rows: Sequence[tuple[int, str, str]],
    profiles: Mapping[int, Profile] | None = None,
    *,
    links: bool = False,
) -> str:
    """The overview of squad `squad` (its folder name): `results`, each with its profile by
    roster row in `profiles`, and the rows that could not be read (row, label, problem).
    With `links` (squad.html, beside the runners' folders) each runner's name links to
    their plan."""
    profiles = profiles or {}
    top_km = max((max(result.weekly_km) for result in results if result.weekly_km),
                 default=1.0)
    rows = [runner_row(result, profiles.get(result.row), top_km) for result in results]
    rows += [bad_row(row, label, problem) for row, label, problem in bad_rows]
    rows.sort(key=lambda row: (ATTENTION_ORDER.index(row.status), row.row))
    counts = {status: sum(row.status == status for row in rows) for status in ATTENTION_ORDER}
    return environment().get_template("squad.html").render(
        title=squad_title(squad), rows=rows, counts=counts, links=links, css=stylesheet(),
        disclaimer=DISCLAIMER,
    )


def write_overview(
    squad: str,
    folder: Path,
    results: Sequence[SquadRunner],
    bad_rows: Sequence[tuple[int, str, str]],
    profiles: Mapping[int, Profile],
    *,
    pack: bool = False,
) -> list[Path]:
    """squad.html (linking to each runner's files), squad.pdf and, with `pack`, pack.pdf in
    the squad's `folder`: the overview, then every runner's plan or referral sheet in
    roster order, each starting on the front of a sheet when printed double-sided."""
    from backstride.render.pdf import join_pdfs, write_pdf

    html = render_squad_html(squad, results, bad_rows, profiles, links=True)
    html_path, pdf_path = folder / "squad.html", folder / "squad.pdf"

    def write_html(path: Path) -> None:
        path.write_text(html, encoding="utf-8")

    write_atomically(html_path, write_html)
    # The PDF links nowhere: its links would point into the folder it was laid out in.
    write_pdf(render_squad_html(squad, results, bad_rows, profiles), pdf_path)
    written = [html_path, pdf_path]
    if pack:
        plans = [folder / result.athlete_id / "plan.pdf" for result in results
                 if result.status != "failed"]
        join_pdfs([pdf_path, *[plan for plan in plans if plan.is_file()]],
                  folder / "pack.pdf", double_sided=True)
        written.append(folder / "pack.pdf")
    return written
