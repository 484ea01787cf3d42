"""The squad overview: one table of every runner for the coach, as HTML and PDF."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from backstride.plan import DISCLAIMER
from backstride.render.html import PHASE_COLOURS, environment, stylesheet
from backstride.squad import RunnerResult

STATUS_LABELS = {"plan": "Plan", "referral": "REFERRAL: see a professional",
                 "failed": "No plan", "bad_row": "Bad row"}


def sparkline_svg(weekly_km: Sequence[float], phases: Sequence[str]) -> Markup:
    """Weekly volume as small bars, easy weeks in their own colour (as on a runner's cover).

    The bars of one colour are one path: WeasyPrint draws an SVG element by element, and a
    squad's overview has a chart per runner (measured: about half the time of 12 rects).
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


def render_squad_html(name: str, results: Sequence[RunnerResult],
                      bad_rows: Sequence[tuple[int, str, str]]) -> str:
    """The overview of `results` (and of rows that could not be read)."""
    rows = [
        {
            "row": result.row,
            "name": result.name,
            "id": result.athlete_id,
            "status": result.status,
            "label": STATUS_LABELS[result.status],
            "chart": sparkline_svg(result.weekly_km, result.phases),
            "km": f"{result.weekly_km[0]:.0f} → {max(result.weekly_km):.0f} km"
            if result.weekly_km else "",
            "phase": result.phases[0] if result.phases else "",
            "detail": result.detail,
        }
        for result in results
    ]
    rows += [
        {"row": row, "name": label, "id": "", "status": "bad_row", "label": "Bad row",
         "chart": Markup(""), "km": "", "phase": "", "detail": problem}
        for row, label, problem in bad_rows
    ]
    rows.sort(key=lambda row: row["row"])
    counts = {status: sum(r["status"] == status for r in rows)
              for status in ("plan", "referral", "failed", "bad_row")}
    return environment().get_template("squad.html").render(
        name=name, rows=rows, counts=counts, css=stylesheet(), disclaimer=DISCLAIMER,
    )
