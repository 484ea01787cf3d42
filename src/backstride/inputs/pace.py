"""Paces and race times as a runner writes them: "6:10" per km or per mile, "0:52:30".

The profile's `easy_pace` and `recent_race` are read here and held to ranges a person can
run, so a typo ("0:00", "99:00", "fast") or a race slower than walking is a profile error
naming the field and the range, not a plan built on it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

KM_PER_MILE = 1.609344
# An easy pace a runner may have: from a fast club runner's easy jog to a slow jog that is
# still running rather than walking (convention).
EASY_PACE_RANGE_S_PER_KM = (180, 720)  # 3:00-12:00 per km
# A race is run between a world-class pace and a brisk walk (6 km/h): a slower "race" is
# a walk, or a typo in the time.
RACE_PACE_RANGE_S_PER_KM = (150, 600)  # 2:30-10:00 per km
# Daniels' race equations hold from the mile to the marathon.
RACE_DISTANCE_RANGE_KM = (1.5, 42.2)

_CLOCK = re.compile(r"\s*(?:(\d+):)?(\d{1,3}):([0-5]\d)\s*")


def clock_seconds(value: Any) -> int:
    """Seconds in "m:ss" or "h:mm:ss". A whole number is seconds: what YAML makes of an
    unquoted 6:10 (370) or 0:52:30 (3150)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        match = _CLOCK.fullmatch(value)
        if match:
            hours, minutes, seconds = (int(part or 0) for part in match.groups())
            return hours * 3600 + minutes * 60 + seconds
    raise ValueError(f"{value!r} is not a time; write minutes:seconds, like \"6:10\", or "
                     "hours:minutes:seconds, like \"0:52:30\"")


def clock_text(seconds: float, hours: bool = False) -> str:
    """`seconds` as "m:ss" (or "h:mm:ss" with `hours`), to the nearest second."""
    whole = round(seconds)
    if hours:
        return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"


def km_per_unit(units: str) -> float:
    return KM_PER_MILE if units == "mi" else 1.0


def to_units(km: float, units: str) -> float:
    """A distance in km in the runner's units."""
    return km / km_per_unit(units)


def format_distance(km: float, units: str) -> str:
    """'6.2 mi' or '10.0 km': one decimal, so weekly totals add up visibly."""
    return f"{to_units(km, units):.1f} {units}"


def checked_pace(value: Any, units: str, allowed: tuple[int, int], what: str) -> int:
    """A pace per `units` in seconds per km, refused outside `allowed` (seconds per km) with
    the range in the runner's units."""
    per_unit = clock_seconds(value)
    per_km = per_unit / km_per_unit(units)
    fastest, slowest = allowed
    if not fastest <= per_km <= slowest:
        unit = "mile" if units == "mi" else "km"
        scale = km_per_unit(units)
        raise ValueError(f"{clock_text(per_unit)} per {unit} is outside "
                         f"{clock_text(fastest * scale)}-{clock_text(slowest * scale)} per "
                         f"{unit} ({what})")
    return round(per_km)


def check_race(distance: float, time: Any, units: str) -> None:
    """A race of `distance` (in `units`) in `time` that Daniels' equations can read and a
    person can run: a distance from the mile to the marathon, a pace faster than walking."""
    unit = "mi" if units == "mi" else "km"
    scale = km_per_unit(units)
    low, high = RACE_DISTANCE_RANGE_KM
    if not low <= distance * scale <= high:
        raise ValueError(f"distance {distance:g} {unit} is outside {low / scale:.1f}-"
                         f"{high / scale:.1f} {unit} (the mile to the marathon)")
    seconds = clock_seconds(time)
    per_km = seconds / (distance * scale)
    fastest, slowest = RACE_PACE_RANGE_S_PER_KM
    if not fastest <= per_km <= slowest:
        per = "mile" if units == "mi" else "km"
        raise ValueError(f"{distance:g} {unit} in {clock_text(seconds, hours=True)} is "
                         f"{clock_text(per_km * scale)} per {per}; a race is run at "
                         f"{clock_text(fastest * scale)}-{clock_text(slowest * scale)} per "
                         f"{per} (slower is walking)")


# Race names a runner writes, in km (a number with "k", "km", "mi" or "miles" works too).
NAMED_RACES_KM = {"mile": KM_PER_MILE, "5k": 5.0, "10k": 10.0, "15k": 15.0,
                  "half marathon": 21.0975, "half": 21.0975, "marathon": 42.195}
_RACE_DISTANCE = re.compile(r"^(\d+(?:\.\d+)?)\s*(k|km|mi|mile|miles)$")


def race_distance(value: Any, units: str) -> Any:
    """A race distance written as words ("10k", "half marathon", "13.1 mi") in `units`;
    anything else as it was (a number is already in `units`)."""
    if not isinstance(value, str):
        return value
    text = " ".join(value.lower().replace("-", " ").split())
    if text in NAMED_RACES_KM:
        return to_units(NAMED_RACES_KM[text], units)
    matched = _RACE_DISTANCE.match(text)
    if matched is None:
        return value  # not a distance: the number check names the field and what it takes
    number, unit = float(matched.group(1)), matched.group(2)
    return to_units(number * km_per_unit("mi" if unit.startswith("mi") else "km"), units)


class RecentRace(BaseModel):
    """A recent race: the paces of every kind of run are derived from it."""

    model_config = ConfigDict(extra="forbid")

    distance: Annotated[float, WithJsonSchema({"anyOf": [
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "string", "examples": ["5k", "10k", "half marathon", "13.1 mi"]},
    ]})] = Field(..., gt=0, description=(
        'Race distance, in the profile\'s `units`, or a race: "5k", "10k", "half marathon"'))
    time: str = Field(..., description='Finishing time, "h:mm:ss" or "mm:ss"')

    @field_validator("time", mode="before")
    @classmethod
    def _a_clock_time(cls, value: Any) -> str:
        return clock_text(clock_seconds(value), hours=True)

    @property
    def seconds(self) -> int:
        return clock_seconds(self.time)
