"""Exercise poses: a simple stick figure described by segment angles, and where its joints land.

Each exercise in the library carries a ``pose``: its start and end position as
the angles of the figure's segments, plus the floor, water or equipment
around it. This module turns those angles into joint positions; drawing them
is `backstride.render.figure`'s job, and checking that a drawing looks right
(a plank is straight, a bridge has its hips up) is done on these positions.

Angles are in degrees in the picture's plane, counter-clockwise from "points
right": 0 right, 90 up, 180 left, -90 down. Each segment's angle is where it
points from the joint nearer the hip: the trunk from hip to shoulder, the head
from shoulder to head, an upper arm from shoulder to elbow, a forearm from
elbow to hand, a thigh from hip to knee, a shin from knee to ankle and a foot
from ankle to toe. A standing figure is trunk 90, head 90, arms -90, legs -90.

Seen from the ``side`` the figure faces right when upright; its near limbs are
drawn dark and its far limbs pale. Seen from the ``front`` the near limbs hang
from the side counter-clockwise of the trunk and the far limbs from the other.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Segment lengths in figure units (a unit is about 4 cm on a 1.75 m adult).
TRUNK = 5.2
NECK = 0.7
HEAD_RADIUS = 1.0
UPPER_ARM = 3.0
FOREARM = 2.8
THIGH = 4.3
SHIN = 4.2
FOOT = 1.3
# Half the width between the shoulders and between the hips, seen from the front.
HALF_SHOULDERS = 1.7
HALF_HIPS = 1.0

SIDES = ("near", "far")

Segment = Literal[
    "trunk", "head", "near_upper_arm", "near_forearm", "far_upper_arm", "far_forearm",
    "near_thigh", "near_shin", "near_foot", "far_thigh", "far_shin", "far_foot",
]

PropKind = Literal[
    "roller", "ball", "box", "bench", "band", "dumbbell", "kettlebell", "wall", "bike"
]


class Prop(BaseModel):
    """A piece of equipment, placed by the figure's points (see `Figure.points`)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    kind: PropKind
    at: str = Field(..., description="The point the prop sits under, is held at or starts from")
    to: str | None = Field(None, description="A band's other end: a point or 'anchor'")
    height: float | None = Field(
        None, ge=0, le=20,
        description="A box or bench's height in figure units when nothing else is on the floor",
    )
    offset: float = Field(
        0.0, ge=-20, le=20,
        description="Moves the prop sideways, in figure units: a box's edge under the ball of "
        "the foot, a wall behind the figure (negative is left)",
    )
    width: float | None = Field(None, gt=0, le=20, description="A box or bench's width")

    @model_validator(mode="after")
    def _band_has_two_ends(self) -> Prop:
        if self.kind == "band" and self.to is None:
            raise ValueError("a band needs 'to': the point or 'anchor' its other end is fixed to")
        return self


class Position(BaseModel):
    """One position of the figure: every segment's angle, and the props around it."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    trunk: float = Field(..., description="Hip to shoulder")
    head: float = Field(..., description="Shoulder to head")
    near_arm: tuple[float, float] = Field(..., description="Upper arm, forearm")
    far_arm: tuple[float, float] = Field(..., description="Upper arm, forearm")
    near_leg: tuple[float, float] | tuple[float, float, float] = Field(
        ..., description="Thigh, shin and, if the default is wrong, foot"
    )
    far_leg: tuple[float, float] | tuple[float, float, float] = Field(
        ..., description="Thigh, shin and, if the default is wrong, foot"
    )
    face: float | None = Field(
        None, description="Where the face looks; by default 90 degrees clockwise of the head"
    )
    short: dict[Segment, float] = Field(
        default_factory=dict,
        description="Segments drawn shorter, as a fraction of their length, because they point "
        "partly towards or away from the viewer (a knee bent towards you, seen from the front)",
    )
    props: list[Prop] = Field(default_factory=list)

    @field_validator("short")
    @classmethod
    def _fractions(cls, short: dict[str, float]) -> dict[str, float]:
        for segment, fraction in short.items():
            if not 0 <= fraction <= 1:
                raise ValueError(f"{segment}: {fraction} is not a fraction from 0 to 1")
        return short

    def length(self, segment: str, full: float) -> float:
        # Callers build the segment's name ("near_upper_arm"): a str, not a Segment.
        fraction = next((f for name, f in self.short.items() if name == segment), 1.0)
        return full * fraction


class Pose(BaseModel):
    """An exercise's start and end position, as drawn in the printed plan."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    view: Literal["side", "front"] = "side"
    ground: Literal["floor", "water"] = "floor"
    start: Position
    end: Position

    @model_validator(mode="after")
    def _props_name_points(self) -> Pose:
        for label, position in (("start", self.start), ("end", self.end)):
            known = Figure(position, self.view).points()
            for prop in position.props:
                for point in (prop.at, prop.to):
                    if point is not None and point not in known and (
                        point != "anchor" or point == prop.at
                    ):
                        raise ValueError(
                            f"{label}: {prop.kind} at '{point}' is not a point of the figure; "
                            f"use one of {', '.join(sorted(known))}"
                        )
        return self


Point = tuple[float, float]


def step(origin: Point, angle: float, length: float) -> Point:
    """The point `length` away from `origin` in the direction `angle` (degrees)."""
    radians = math.radians(angle)
    return origin[0] + length * math.cos(radians), origin[1] + length * math.sin(radians)


def midpoint(a: Point, b: Point) -> Point:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2


class Figure:
    """The joint positions of one `Position`, with the hip at the origin (y points up)."""

    def __init__(self, position: Position, view: str = "side") -> None:
        self.position = position
        self.view = view
        self._points: dict[str, Point] | None = None

    def points(self) -> dict[str, Point]:
        """Every named point: joints, the head's centre, and segment midpoints."""
        if self._points is None:
            self._points = self._compute_points()
        return self._points

    def _compute_points(self) -> dict[str, Point]:
        p = self.position
        hip = (0.0, 0.0)
        shoulder = step(hip, p.trunk, p.length("trunk", TRUNK))
        head = step(shoulder, p.head, p.length("head", NECK) + HEAD_RADIUS)
        points: dict[str, Point] = {"hip": hip, "shoulder": shoulder, "head": head}
        points["trunk"] = midpoint(hip, shoulder)
        across = p.trunk + 90
        for side, sign in (("near", 1.0), ("far", -1.0)):
            side_shoulder, side_hip = shoulder, hip
            if self.view == "front":
                side_shoulder = step(shoulder, across, sign * HALF_SHOULDERS)
                side_hip = step(hip, across, sign * HALF_HIPS)
            upper, fore = getattr(p, f"{side}_arm")
            elbow = step(side_shoulder, upper, p.length(f"{side}_upper_arm", UPPER_ARM))
            hand = step(elbow, fore, p.length(f"{side}_forearm", FOREARM))
            leg = getattr(p, f"{side}_leg")
            knee = step(side_hip, leg[0], p.length(f"{side}_thigh", THIGH))
            ankle = step(knee, leg[1], p.length(f"{side}_shin", SHIN))
            foot_angle = leg[2] if len(leg) == 3 else leg[1] + 90
            toe = step(ankle, foot_angle, p.length(f"{side}_foot", FOOT))
            points.update({
                f"{side}_shoulder": side_shoulder,
                f"{side}_hip": side_hip,
                f"{side}_elbow": elbow,
                f"{side}_hand": hand,
                f"{side}_knee": knee,
                f"{side}_ankle": ankle,
                f"{side}_toe": toe,
                f"{side}_upper_arm": midpoint(side_shoulder, elbow),
                f"{side}_forearm": midpoint(elbow, hand),
                f"{side}_thigh": midpoint(side_hip, knee),
                f"{side}_shin": midpoint(knee, ankle),
            })
        return points

    def face_angle(self) -> float:
        p = self.position
        return p.face if p.face is not None else p.head - 90

    def segments(self, side: str) -> list[tuple[Point, Point]]:
        """The limb segments of one side, hip and shoulder outwards."""
        pts = self.points()
        chain = [
            ("shoulder", "elbow"), ("elbow", "hand"),
            ("hip", "knee"), ("knee", "ankle"), ("ankle", "toe"),
        ]
        return [(pts[f"{side}_{a}"], pts[f"{side}_{b}"]) for a, b in chain]


def body_points(figure: Figure) -> list[Point]:
    """The joints the body can touch the floor with (the head aside: it is a circle)."""
    pts = figure.points()
    limbs = [
        pts[f"{side}_{joint}"]
        for side in SIDES
        for joint in ("shoulder", "hip", "elbow", "hand", "knee", "ankle", "toe")
    ]
    return [pts["hip"], pts["shoulder"], *limbs]


def angle_between(a: Point, vertex: Point, b: Point) -> float:
    """The angle at `vertex` between the rays to `a` and `b`, in degrees (180 is straight)."""
    first = math.atan2(a[1] - vertex[1], a[0] - vertex[0])
    second = math.atan2(b[1] - vertex[1], b[0] - vertex[0])
    turn = abs(math.degrees(first - second)) % 360
    return 360 - turn if turn > 180 else turn


def incline(a: Point, b: Point) -> float:
    """How far the line from `a` to `b` is from horizontal, in degrees (0 to 90)."""
    angle = abs(math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))) % 180
    return min(angle, 180 - angle)
