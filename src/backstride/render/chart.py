"""The cover's volume chart: weekly planned distance as SVG bars, with the goal as a line.

Drawn in Python, not in the template, so the chart needs no script and no arithmetic in
jinja, and prints the same in the PDF and the browser.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from backstride.inputs.pace import to_units
from backstride.plan import Week
from backstride.render.format import format_profile_distance
from backstride.rules.progression import CALM_PHASES

# Colours per phase: the easy weeks stand out from the build weeks (the squad overview's
# small charts use them too).
PHASE_COLOURS: dict[str, str] = {
    "build": "#2f6f73",
    "maintain": "#2f6f73",
    "deload": "#e0a84a",
    "calm": "#8fb3d9",
    "return": "#8fb3d9",
}
# The same stack as print.css: one set of fonts to embed keeps the PDF fast to write.
CHART_FONTS = "Helvetica Neue, Arial, Liberation Sans Narrow, DejaVu Sans Condensed, sans-serif"
_GOAL_COLOUR = "#c0392b"
_YOf = Callable[[float], float]  # maps a distance to its y coordinate in the chart
_CHART_W, _CHART_H = 640.0, 230.0
_PAD_L, _PAD_R, _PAD_T, _PAD_B = 48.0, 14.0, 24.0, 44.0


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick spacing (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` ticks."""
    raw = max(span, 1e-9) / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * power:
            return mult * power
    return 10 * power


def volume_chart_svg(weeks: Sequence[Week], goal_km: float, units: str) -> Markup:
    """Weekly planned distance as bars, easy weeks in their own colour, the goal as a line."""
    values = [to_units(week.planned_km, units) for week in weeks]
    goal = to_units(goal_km, units)
    step = nice_step(max([*values, goal, 1.0]) * 1.08)
    top = step * math.ceil(max([*values, goal, 1.0]) * 1.08 / step)
    plot_w = _CHART_W - _PAD_L - _PAD_R
    plot_h = _CHART_H - _PAD_T - _PAD_B

    def y_of(value: float) -> float:
        return _PAD_T + plot_h * (1 - value / top)

    parts = [
        f'<svg class="volume-chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_CHART_W:.0f} {_CHART_H:.0f}" width="{_CHART_W:.0f}" '
        f'height="{_CHART_H:.0f}" role="img" '
        f'aria-label="Weekly running distance in {escape(units)}, with the goal line" '
        f'font-family="{CHART_FONTS}">'
    ]
    parts += _chart_grid(top, step, units, y_of)
    parts += _chart_goal(goal, y_of)
    parts += _chart_bars(weeks, values, y_of, plot_w)
    parts += _chart_legend(weeks, goal, units)
    parts.append("</svg>")
    return Markup("".join(parts))


def _chart_grid(top: float, step: float, units: str, y_of: _YOf) -> list[str]:
    parts = []
    ticks = round(top / step)
    for i in range(ticks + 1):
        value = i * step
        y = y_of(value)
        parts.append(f'<line x1="{_PAD_L}" y1="{y:.1f}" x2="{_CHART_W - _PAD_R}" y2="{y:.1f}" '
                     f'stroke="#d9dee2" stroke-width="{1.2 if i == 0 else 0.6}"/>')
        parts.append(f'<text x="{_PAD_L - 6}" y="{y + 3.5:.1f}" text-anchor="end" '
                     f'font-size="10" fill="#55606a">{value:g}</text>')
    # The unit sits above the axis so every tick label stays a plain number.
    parts.append(f'<text x="{_PAD_L - 6}" y="{_PAD_T - 12:.1f}" text-anchor="end" '
                 f'font-size="10" font-weight="bold" fill="#55606a">{escape(units)}</text>')
    return parts


def _chart_bars(weeks: Sequence[Week], values: list[float], y_of: _YOf,
                plot_w: float) -> list[str]:
    parts = []
    count = max(len(values), 1)
    slot = plot_w / count
    bar_w = slot * 0.68
    # Long plans: label every Nth week so the labels never collide.
    label_every = max(1, math.ceil(count / 16))
    base = y_of(0)
    for i, (week, value) in enumerate(zip(weeks, values, strict=True)):
        x = _PAD_L + i * slot + (slot - bar_w) / 2
        y = y_of(value)
        colour = PHASE_COLOURS.get(week.phase, PHASE_COLOURS["build"])
        if week.deload and week.phase in ("build", "maintain"):
            colour = PHASE_COLOURS["deload"]
        # A week with no running still shows a sliver in its phase colour.
        height = max(base - y, 1.5)
        parts.append(f'<rect x="{x:.1f}" y="{base - height:.1f}" width="{bar_w:.1f}" '
                     f'height="{height:.1f}" fill="{colour}" rx="2"/>')
        centre = x + bar_w / 2
        if count <= 16:
            parts.append(_bar_value_label(centre, y, base, value, colour))
        last_far_enough = i == count - 1 and i % label_every >= label_every / 2
        if i % label_every == 0 or last_far_enough:
            parts.append(f'<text x="{centre:.1f}" y="{base + 14:.1f}" text-anchor="middle" '
                         f'font-size="10" fill="#55606a">W{week.index}</text>')
    return parts


def _bar_value_label(centre: float, y: float, base: float, value: float, colour: str) -> str:
    # Inside the top of a tall bar, so it never collides with the goal line
    # (drawn behind the bars); above a short bar, where there is no room inside.
    inside = base - y >= 22
    text_y = y + 13 if inside else y - 4
    on_dark_bar = inside and colour == PHASE_COLOURS["build"]
    fill = "#ffffff" if on_dark_bar else "#1f2a33"
    return (f'<text x="{centre:.1f}" y="{text_y:.1f}" text-anchor="middle" font-size="9.5" '
            f'font-weight="bold" fill="{fill}">{value:.1f}</text>')


def _chart_goal(goal: float, y_of: _YOf) -> list[str]:
    # Labelled in the legend, not on the line, where it would collide with bar values.
    y = y_of(goal)
    return [f'<line x1="{_PAD_L}" y1="{y:.1f}" x2="{_CHART_W - _PAD_R}" y2="{y:.1f}" '
            f'stroke="{_GOAL_COLOUR}" stroke-width="1.4" stroke-dasharray="6 4"/>']


def _chart_legend(weeks: Sequence[Week], goal: float, units: str) -> list[str]:
    phases = {w.phase for w in weeks} | {"deload" for w in weeks if w.deload}
    items = [("Build / maintain", PHASE_COLOURS["build"])]
    if "deload" in phases:
        items.append(("Deload week", PHASE_COLOURS["deload"]))
    if phases & set(CALM_PHASES):
        items.append(("Calm / return week", PHASE_COLOURS["calm"]))
    parts = []
    x = _PAD_L
    y = _CHART_H - 8
    for label, colour in items:
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}" '
                     f'rx="2"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y:.1f}" font-size="10" fill="#1f2a33">'
                     f'{escape(label)}</text>')
        x += 24 + 6.2 * len(label)
    goal_label = format_profile_distance(goal, units)
    parts.append(f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 18:.1f}" y2="{y - 4:.1f}" '
                 f'stroke="{_GOAL_COLOUR}" stroke-width="1.4" stroke-dasharray="6 4"/>')
    parts.append(f'<text x="{x + 22:.1f}" y="{y:.1f}" font-size="10" font-weight="bold" '
                 f'fill="{_GOAL_COLOUR}">Goal {escape(goal_label)} a week</text>')
    return parts
