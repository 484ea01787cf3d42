"""Draw an exercise's pose as SVG: its start and end position side by side, as line drawings.

Coordinates come from `backstride.inputs.pose` in figure units with y up; here they
are flipped for SVG (y down) and placed on the floor, the lowest point the
body or its equipment touches. The start position is on the left, an arrow,
the end position on the right. The drawing is plain strokes and fills, with no
text and no external references, so it prints the same in the PDF and the
browser; it is kept to a few elements, because each one costs PDF layout time.
`exercise_image` wraps it as the image a page shows.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import zip_longest
from xml.sax.saxutils import escape

from markupsafe import Markup

from backstride.inputs.library import Exercise
from backstride.inputs.pose import (
    HEAD_RADIUS,
    Figure,
    Point,
    Pose,
    Position,
    Prop,
    body_points,
    midpoint,
    step,
)

NEAR_INK = "#1f2937"
FAR_INK = "#a3acb9"
PROP_FILL = "#e5e7eb"
PROP_INK = "#6b7280"
WATER = "#dbeafe"
LIMB_WIDTH = 0.6
TRUNK_WIDTH = 0.9
# Where things sit relative to the point they are placed at.
ROUND_PROPS = {"roller": 0.9, "ball": 3.0}  # radius of each prop seen end-on
BOX_WIDTH = 4.0
BENCH_WIDTH = 8.0
WHEEL_RADIUS = 2.6
GAP = 0.3  # half a limb's width: props sit under the stroke, not under its centre line
PANEL_GAP = 4.0
MARGIN = 1.0
# Printed size of one figure unit: every drawing shares one scale, so a standing figure
# and a lying one look like the same person.
MM_PER_UNIT = 1.3


@dataclass
class Shape:
    """Sub-paths of one style (outline ink and width, fill), drawn as one SVG path.

    Every line, head, floor and prop of a drawing is a sub-path of a few such paths:
    WeasyPrint draws each SVG element on its own, and a plan's guide has dozens of
    drawings."""

    ink: str
    width: float
    fill: str = "none"
    moves: list[str] = field(default_factory=list)

    @property
    def style(self) -> tuple[str, float, str]:
        return (self.ink, self.width, self.fill)

    def __str__(self) -> str:
        caps = ' stroke-linecap="round" stroke-linejoin="round"' if self.fill == "none" else ""
        return (
            f'<path d="{" ".join(self.moves)}" fill="{self.fill}" stroke="{self.ink}" '
            f'stroke-width="{self.width}"{caps}/>'
        )


@dataclass
class Canvas:
    """Shapes in figure units (y up), shifted right by `dx`, and the box they cover
    (before the shift)."""

    dx: float = 0.0
    shapes: list[Shape] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    pen: str = ""  # where the last line ended, "x y" as written; "" after anything else

    def cover(self, *points: Point) -> None:
        for x, y in points:
            self.xs.append(x)
            self.ys.append(y)

    def add(self, ink: str, width: float, fill: str, move: str) -> None:
        last = self.shapes[-1] if self.shapes else None
        # Only shapes drawn one after another merge, so what is drawn on top stays on top.
        if last is None or last.style != (ink, width, fill):
            last = Shape(ink, width, fill)
            self.shapes.append(last)
        last.moves.append(move)
        self.pen = ""

    def line(self, a: Point, b: Point, ink: str, width: float) -> None:
        self.cover(a, b)
        dx = self.dx
        start, end = f"{a[0] + dx:.2f} {-a[1]:.2f}", f"{b[0] + dx:.2f} {-b[1]:.2f}"
        # A limb's next segment carries on from where the last ended: one polyline, so fewer
        # points for the PDF's SVG drawing to read.
        carries_on = (self.pen == start and self.shapes[-1].style == (ink, width, "none"))
        self.add(ink, width, "none", f"L{end}" if carries_on else f"M{start}L{end}")
        self.pen = end

    def circle(self, centre: Point, radius: float, ink: str, fill: str, width: float) -> None:
        x, y = centre
        self.cover((x - radius, y - radius), (x + radius, y + radius))
        left, r = x - radius + self.dx, radius
        self.add(ink, width, fill, f"M{left:.2f} {-y:.2f}a{r:.2f} {r:.2f} 0 1 0 {2 * r:.2f} 0"
                                   f"a{r:.2f} {r:.2f} 0 1 0 {-2 * r:.2f} 0Z")

    def rect(self, low: Point, high: Point, ink: str, fill: str) -> None:
        self.cover(low, high)
        left, right = low[0] + self.dx, high[0] + self.dx
        self.add(ink, 0.2, fill,
                 f"M{left:.2f} {-high[1]:.2f}H{right:.2f}V{-low[1]:.2f}H{left:.2f}Z")


def interleaved(panels: list[Canvas]) -> list[Shape]:
    """The panels' shapes, the first of each, then the second of each, and so on, with
    neighbours of one style merged. Panels side by side never overlap, so only the order
    within a panel matters, and it is kept; the same shapes in both panels become one."""
    merged: list[Shape] = []
    for shape in (s for row in zip_longest(*(p.shapes for p in panels)) for s in row if s):
        if merged and merged[-1].style == shape.style:
            merged[-1] = Shape(shape.ink, shape.width, shape.fill,
                               [*merged[-1].moves, *shape.moves])
        else:
            merged.append(shape)
    return merged


def floor_level(figure: Figure, pose: Pose) -> float:
    """The height of the floor: under the lowest thing that rests on it."""
    points = figure.points()
    lows = [y - GAP for _, y in body_points(figure)]
    lows.append(points["head"][1] - HEAD_RADIUS)
    for prop in figure.position.props:
        y = points[prop.at][1]
        if prop.kind in ROUND_PROPS:
            lows.append(y - GAP - 2 * ROUND_PROPS[prop.kind])
        elif prop.kind in ("box", "bench") and prop.height is not None:
            lows.append(y - GAP - prop.height)
        elif prop.kind == "bike":
            lows.append(_crank(points)[1] - 0.4 - WHEEL_RADIUS)
    return min(lows)


def _crank(points: dict[str, Point]) -> Point:
    return midpoint(points["near_ankle"], points["far_ankle"])


def draw_position(position: Position, pose: Pose, dx: float = 0.0) -> Canvas:
    """One panel: the figure in `position`, its equipment, and the floor or water, shifted
    `dx` to the right."""
    figure = Figure(position, pose.view)
    points = figure.points()
    canvas = Canvas(dx)
    xs = [x for x, _ in points.values()]
    left, right = min(xs) - 2.0, max(xs) + 2.0
    if pose.ground == "water":
        surface = max(points["shoulder"][1], points["hip"][1]) + 0.9
        bottom = min(y for _, y in body_points(figure)) - 1.5
        canvas.rect((left, bottom), (right, surface), WATER, WATER)
        _wave(canvas, left, right, surface)
        floor = bottom
    else:
        floor = floor_level(figure, pose)
    for prop in position.props:
        if prop.kind not in HELD_PROPS:
            PROP_DRAWERS[prop.kind](canvas, prop, points, floor)
    if pose.ground == "floor":
        left = min([left, *canvas.xs])
        right = max([right, *canvas.xs])
        _floor(canvas, left, right, floor)
    _limbs(canvas, figure, "far", FAR_INK)
    _body(canvas, figure)
    for prop in position.props:
        if prop.kind in HELD_PROPS:
            PROP_DRAWERS[prop.kind](canvas, prop, points, floor)
    return canvas


def _floor(canvas: Canvas, left: float, right: float, floor: float) -> None:
    # A plain slab, not hatching: every SVG element costs layout time in a PDF.
    canvas.rect((left, floor - 0.7), (right, floor), PROP_INK, PROP_FILL)


def _wave(canvas: Canvas, left: float, right: float, level: float) -> None:
    path = [f"M{left + canvas.dx:.2f} {-level:.2f}"]
    x = left
    while x < right:
        path.append("q0.5 -0.4 1 0t1 0")
        x += 2
    canvas.add("#60a5fa", 0.25, "none", "".join(path))


def _limbs(canvas: Canvas, figure: Figure, side: str, ink: str) -> None:
    for a, b in figure.segments(side):
        canvas.line(a, b, ink, LIMB_WIDTH)


def _body(canvas: Canvas, figure: Figure) -> None:
    """Trunk, then neck, shoulders, hips and near limbs (one ink, so one path), then head."""
    points = figure.points()
    canvas.line(points["hip"], points["shoulder"], NEAR_INK, TRUNK_WIDTH)
    if figure.view == "front":
        canvas.line(points["near_shoulder"], points["far_shoulder"], NEAR_INK, LIMB_WIDTH)
        canvas.line(points["near_hip"], points["far_hip"], NEAR_INK, LIMB_WIDTH)
    neck_end = step(points["shoulder"], figure.position.head, 0.7)
    canvas.line(points["shoulder"], neck_end, NEAR_INK, LIMB_WIDTH)
    _limbs(canvas, figure, "near", NEAR_INK)
    canvas.circle(points["head"], HEAD_RADIUS, NEAR_INK, "#ffffff", 0.35)
    if figure.view == "side":
        face = figure.face_angle()
        canvas.line(
            step(points["head"], face, HEAD_RADIUS),
            step(points["head"], face, HEAD_RADIUS + 0.3),
            NEAR_INK, 0.35,
        )


def _round(canvas: Canvas, prop: Prop, points: dict[str, Point], floor: float) -> None:
    """A foam roller or a stability ball: under the point, never through the floor."""
    radius = ROUND_PROPS[prop.kind]
    x, y = points[prop.at]
    centre = (x, max(y - GAP - radius, floor + radius))
    canvas.circle(centre, radius, PROP_INK, PROP_FILL, 0.2)


def _box(canvas: Canvas, prop: Prop, points: dict[str, Point], floor: float) -> None:
    x, y = points[prop.at]
    x += prop.offset
    width = prop.width or (BENCH_WIDTH if prop.kind == "bench" else BOX_WIDTH)
    canvas.rect((x - width / 2, floor), (x + width / 2, y - GAP), PROP_INK, PROP_FILL)


def _band(canvas: Canvas, prop: Prop, points: dict[str, Point], floor: float) -> None:
    start = points[prop.at]
    if prop.to == "anchor":
        end = (start[0] + 6.0, start[1])
        canvas.rect((end[0], floor), (end[0] + 0.6, end[1] + 1.5), PROP_INK, PROP_FILL)
    else:
        end = points[str(prop.to)]
    canvas.line(start, end, "#16a34a", 0.3)


def _dumbbell(canvas: Canvas, prop: Prop, points: dict[str, Point], floor: float) -> None:
    x, y = points[prop.at]
    canvas.line((x - 0.9, y), (x + 0.9, y), PROP_INK, 0.3)
    for end in (-1.0, 1.0):
        canvas.rect((x + end - 0.25, y - 0.6), (x + end + 0.25, y + 0.6), PROP_INK, PROP_INK)


def _kettlebell(canvas: Canvas, prop: Prop, points: dict[str, Point], floor: float) -> None:
    x, y = points[prop.at]
    canvas.circle((x, y - 0.5), 0.45, PROP_INK, "none", 0.25)
    canvas.circle((x, y - 1.5), 0.8, PROP_INK, PROP_INK, 0.2)


def _wall(canvas: Canvas, prop: Prop, points: dict[str, Point], floor: float) -> None:
    x = points[prop.at][0] + prop.offset
    left = x + GAP if prop.offset >= 0 else x - GAP - 0.8
    canvas.rect((left, floor), (left + 0.8, floor + 15.0), PROP_INK, PROP_FILL)


def _bike(canvas: Canvas, prop: Prop, points: dict[str, Point], floor: float) -> None:
    saddle = points[prop.at]
    crank = _crank(points)
    bars = midpoint(points["near_hand"], points["far_hand"])
    rear = (crank[0] - 4.0, floor + WHEEL_RADIUS)
    front = (crank[0] + 5.5, floor + WHEEL_RADIUS)
    for wheel in (rear, front):
        canvas.circle(wheel, WHEEL_RADIUS, PROP_INK, "none", 0.25)
    for a, b in ((rear, crank), (crank, saddle), (saddle, rear), (saddle, bars), (bars, front)):
        canvas.line(a, b, PROP_INK, 0.3)


PropDrawer = Callable[[Canvas, Prop, dict[str, Point], float], None]
PROP_DRAWERS: dict[str, PropDrawer] = {
    "roller": _round,
    "ball": _round,
    "box": _box,
    "bench": _box,
    "band": _band,
    "dumbbell": _dumbbell,
    "kettlebell": _kettlebell,
    "wall": _wall,
    "bike": _bike,
}
HELD_PROPS = frozenset({"band", "dumbbell", "kettlebell"})


def pose_svg(pose: Pose, title: str = "") -> str:
    """The start and end positions side by side, with an arrow between, as one SVG document."""
    positions = [pose.start, pose.end]
    measured = [draw_position(position, pose) for position in positions]
    bottom = min(min(c.ys) for c in measured) - MARGIN
    top = max(max(c.ys) for c in measured) + MARGIN
    panels: list[Canvas] = []
    x = 0.0
    for position, canvas in zip(positions, measured, strict=True):
        panels.append(draw_position(position, pose, x - min(canvas.xs)))
        x += max(canvas.xs) - min(canvas.xs) + PANEL_GAP
    gap_end = max(measured[0].xs) - min(measured[0].xs) + PANEL_GAP
    arrow = Canvas()
    _arrow(arrow, gap_end - PANEL_GAP + 0.8, gap_end - 0.8, (bottom + top) / 2)
    width = x - PANEL_GAP + 2 * MARGIN
    height = top - bottom
    label = f"<title>{escape(title)}</title>" if title else ""
    shapes = "".join(map(str, [*interleaved(panels), *arrow.shapes]))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-MARGIN:.2f} {-top:.2f} '
        f'{width:.2f} {height:.2f}" width="{width * MM_PER_UNIT:.1f}mm" '
        f'height="{height * MM_PER_UNIT:.1f}mm" role="img" class="pose">{label}{shapes}</svg>'
    )


def _arrow(canvas: Canvas, start: float, end: float, height: float) -> None:
    y = -height
    canvas.add(PROP_INK, 0.25, "none",
               f"M{start:.2f} {y:.2f}H{end:.2f}M{end - 0.7:.2f} {y - 0.6:.2f}"
               f"L{end:.2f} {y:.2f}L{end - 0.7:.2f} {y + 0.6:.2f}")


def exercise_image(exercise: Exercise) -> Markup:
    """The exercise's start and end position as an HTML image: its SVG inlined as a data URL.

    An image rather than inline SVG: WeasyPrint lays an image out faster, and a guide
    has dozens of them. Drawn once per process and exercise (a squad's worker renders
    many plans from one library)."""
    cached = _IMAGES.get(exercise.id)
    if cached is not None and cached[0] is exercise:
        return cached[1]
    svg = pose_svg(exercise.pose, exercise.name)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    image = Markup('<img class="pose" src="data:image/svg+xml;base64,{}" alt="{}" />').format(
        Markup(data), f"{exercise.name}: start and end position"
    )
    _IMAGES[exercise.id] = (exercise, image)
    return image


# By id, with the exercise it was drawn from: an edited library's exercise is drawn again.
_IMAGES: dict[str, tuple[Exercise, Markup]] = {}
