"""The athlete profile and the state of their back, as the runner writes them (YAML or JSON).

Defaults follow DESIGN.md. After validation every default is filled in, so the
profile stored in plan.json says exactly what the plan was built from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from backstride.errors import InputError, format_validation_error
from backstride.files import folder_slug, slugify
from backstride.inputs import pace
from backstride.inputs.library import CrossTrainingId, Equipment
from backstride.inputs.pace import (
    EASY_PACE_RANGE_S_PER_KM,
    RecentRace,
    check_race,
    checked_pace,
    clock_seconds,
    clock_text,
    km_per_unit,
    race_distance,
)
from backstride.inputs.red_flags import RED_FLAGS, RedFlag
from backstride.inputs.yamlio import load_yaml_file, parse_yaml_text

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                    "Saturday", "Sunday"), strict=True))
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


KM_PER_MILE = pace.KM_PER_MILE
MAX_WEEKLY_KM = 250.0
MIN_WEEKLY_KM = 5.0  # below this a walk-run programme, not a back-care running plan, fits
DEFAULT_DAY_MINUTES = 60
DEFAULT_RUN_DAYS: tuple[Weekday, ...] = ("tue", "thu", "sat", "sun")
DEFAULT_CROSS_TRAINING: tuple[CrossTrainingId, ...] = ("walk",)
DEFAULT_LONG_RUN_MINUTES = 120
# A start further back than this is a typo in the year far more often than a plan under way.
MAX_DAYS_IN_THE_PAST = 365

# How people write the units; each spelling means the unit on its right.
UNIT_SPELLINGS: dict[str, Literal["km", "mi"]] = {
    **dict.fromkeys(["km", "kms", "k", "kilometre", "kilometres", "kilometer", "kilometers"],
                    "km"),
    **dict.fromkeys(["mi", "mile", "miles", "mls"], "mi"),
}
_DECIMAL_COMMA = re.compile(r"\s*[+-]?\d+,\d+\s*")  # "20,5", as European spreadsheets write
_DAY_FIRST_DATE = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*")  # 07.12.2026
_SLASHED_DATE = re.compile(r"\s*\d{1,2}/\d{1,2}/\d{4}\s*")  # 07/12/2026: July or December?
_NUMBER_WITH_UNIT = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([a-z]+)\.?\s*", re.IGNORECASE)


class BackStatus(BaseModel):
    """How the runner's back is today."""

    model_config = ConfigDict(extra="forbid")

    pain: int = Field(0, ge=0, le=10, description="Pain today, 0 (none) to 10 (worst)")
    worse_with: Literal["flexion", "extension", "none"] = Field(
        "none", description="Movement direction that makes the pain worse"
    )
    conditions: list[str] = Field(
        default_factory=list, description="Diagnoses, e.g. disc_herniation, spinal_stenosis"
    )
    red_flags: list[RedFlag] = Field(
        default_factory=list, description="Any present means: see a professional, no plan"
    )

    @field_validator("conditions")
    @classmethod
    def _slug_conditions(cls, values: list[str]) -> list[str]:
        return [slugify(value, separator="_") for value in values]

    @field_validator("red_flags", mode="before")
    @classmethod
    def _name_unknown_flags(cls, values: Any) -> Any:
        if isinstance(values, list):
            unknown = [v for v in values if isinstance(v, str) and v not in RED_FLAGS]
            if unknown:
                raise ValueError(
                    f"unknown red flag {', '.join(repr(u) for u in unknown)}; "
                    f"use any of {', '.join(RED_FLAGS)}"
                )
        return values

    def avoided_contraindications(self) -> frozenset[str]:
        """Contraindication ids this back rules out, before any flare-up."""
        avoid = set(self.conditions)
        if self.worse_with == "flexion":
            avoid.add("flexion_intolerant")
        elif self.worse_with == "extension":
            avoid.add("extension_intolerant")
        return frozenset(avoid)


class Profile(BaseModel):
    """An athlete profile: who they are, what they run now, and what they can give."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=120, description="The runner's name")
    id: str | None = Field(None, description="Slug used for folders; a slug of the name by default")
    units: Literal["km", "mi"] = Field("km", description="Units the runner thinks in")
    current_weekly: float = Field(
        ..., gt=0, description="Distance run per week now, in `units`"
    )
    longest_recent_run: float | None = Field(
        None, gt=0, description="Longest run of the last 30 days; default 30% of current_weekly"
    )
    goal_weekly: float = Field(..., gt=0, description="Weekly distance to work towards")
    start: dt.date | None = Field(None, description="First day of the plan; default next Monday")
    weeks: int = Field(8, ge=1, le=52, description="Plan length in weeks")
    run_days: list[Weekday] = Field(
        default_factory=lambda: list(DEFAULT_RUN_DAYS), min_length=1,
        description="Days running is allowed",
    )
    long_run_day: Weekday | None = Field(None, description="Default: the last of run_days")
    rest_days: list[Weekday] = Field(default_factory=list, description="Days that must be rest")
    min_rest_days: int = Field(2, ge=0, le=7, description="Full rest days per week")
    max_minutes: dict[str, int] = Field(
        default_factory=dict,
        description="Minutes per day, all sessions together: {default: 60, <long run day>: 120}",
    )
    equipment: list[Equipment] = Field(default_factory=list)
    cross_training: list[CrossTrainingId] = Field(
        default_factory=lambda: list(DEFAULT_CROSS_TRAINING)
    )
    experience: Literal["novice", "intermediate", "advanced"] = "novice"
    easy_pace: str | None = Field(
        None, description='Easy running pace, "m:ss" per km (per mile with units: mi)'
    )
    recent_race: RecentRace | None = Field(
        None, description='A recent race, {distance: 10k, time: "52:30"}: paces come from it'
    )
    back: BackStatus = Field(default_factory=BackStatus)

    @field_validator(
        "current_weekly", "longest_recent_run", "goal_weekly", "weeks", "min_rest_days",
        mode="before",
    )
    @classmethod
    def _a_plain_number(cls, value: Any) -> Any:
        # YAML reads `yes`, `true` and `on` as booleans, which would pass as 1.
        if isinstance(value, bool):
            raise ValueError(f"must be a number, not {str(value).lower()}")
        if isinstance(value, str):
            return plain_number(value)
        return value

    @field_validator("units", mode="before")
    @classmethod
    def _unit_spelling(cls, value: Any) -> Any:
        if isinstance(value, str):
            return UNIT_SPELLINGS.get(value.strip().lower(), value)
        return value

    @field_validator("start", mode="before")
    @classmethod
    def _spreadsheet_date(cls, value: Any) -> Any:
        return iso_date(value) if isinstance(value, str) else value

    @field_validator("start")
    @classmethod
    def _start_not_long_past(cls, start: dt.date | None, info: ValidationInfo) -> dt.date | None:
        # Checked only when the profile is read from the user (`parse_profile` says what day
        # it is): a stored plan's profile stays valid however long ago it began.
        today = _today_in(info)
        if start is not None and today is not None and \
                (today - start).days > MAX_DAYS_IN_THE_PAST:
            raise ValueError(
                f"{start} is {_how_long(today - start)} ago (today is {today}); more than a "
                "year back is most likely a typo in the year"
            )
        return start

    # The rules across fields are field validators reading the fields declared before
    # (`info.data`): pydantic then reports them with every other field's problems, at once,
    # each under the field to change. A field that failed is missing there; its rule waits.
    @field_validator("current_weekly", "goal_weekly")
    @classmethod
    def _weekly_within_range(cls, value: float, info: ValidationInfo) -> float:
        km = value * KM_PER_MILE if info.data.get("units") == "mi" else value
        if km < MIN_WEEKLY_KM:
            raise ValueError(
                f"{value:g} is under {MIN_WEEKLY_KM:.0f} km (3.1 mi) a week; "
                "backstride builds on running you already do"
            )
        if km > MAX_WEEKLY_KM:  # beyond any amateur's training: a typo like 400
            raise ValueError(f"{value:g} is over {MAX_WEEKLY_KM:.0f} km a week")
        return value

    @field_validator("run_days", "rest_days", mode="before")
    @classmethod
    def _weekday_list(cls, values: Any) -> Any:
        if isinstance(values, str):
            values = [v for v in re.split(r"[;,\s]+", values) if v]
        if isinstance(values, list):
            return [normalise_weekday(v) for v in values]
        return values

    @field_validator("run_days", "rest_days")
    @classmethod
    def _in_week_order(cls, days: list[Weekday]) -> list[Weekday]:
        return sorted(set(days), key=WEEKDAYS.index)

    @field_validator("long_run_day", mode="before")
    @classmethod
    def _weekday(cls, value: Any) -> Any:
        return normalise_weekday(value) if value is not None else None

    @field_validator("long_run_day")
    @classmethod
    def _long_run_on_a_run_day(cls, day: Weekday | None, info: ValidationInfo) -> Weekday | None:
        run_days = info.data.get("run_days")
        if day is not None and run_days and day not in run_days:
            raise ValueError(
                f"{day} is not one of run_days ({', '.join(run_days)}); "
                "add it to run_days or pick another day"
            )
        return day

    @field_validator("rest_days")
    @classmethod
    def _rest_days_are_not_run_days(cls, days: list[Weekday], info: ValidationInfo
                                    ) -> list[Weekday]:
        clash = [day for day in info.data.get("run_days") or [] if day in days]
        if clash:
            raise ValueError(
                f"{', '.join(clash)} is also in run_days; a day is either a run day or a rest day"
            )
        return days

    @field_validator("max_minutes", mode="before")
    @classmethod
    def _minutes_keys(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        cleaned: dict[str, Any] = {}
        for key, minutes in value.items():
            name = "default" if str(key).strip().lower() == "default" else normalise_weekday(key)
            cleaned[name] = minutes
        return cleaned

    @field_validator("max_minutes")
    @classmethod
    def _minutes_range(cls, value: dict[str, int]) -> dict[str, int]:
        for key, minutes in value.items():
            if not 0 <= minutes <= 600:
                raise ValueError(f"{key}: {minutes} minutes is outside 0-600")
        return value

    @field_validator("easy_pace", mode="before")
    @classmethod
    def _easy_pace_in_range(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or "units" not in info.data:
            return value
        checked_pace(value, info.data["units"], EASY_PACE_RANGE_S_PER_KM, "an easy pace")
        return clock_text(clock_seconds(value))

    @field_validator("recent_race", mode="before")
    @classmethod
    def _race_distance_in_units(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, dict) and "distance" in value and "units" in info.data:
            return {**value, "distance": race_distance(value["distance"], info.data["units"])}
        return value

    @field_validator("recent_race")
    @classmethod
    def _race_runnable(cls, race: RecentRace | None, info: ValidationInfo) -> RecentRace | None:
        if race is not None and "units" in info.data:
            check_race(race.distance, race.time, info.data["units"])
        return race

    @field_validator("name")
    @classmethod
    def _name_has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @model_validator(mode="after")
    def _fill_in_defaults(self, info: ValidationInfo) -> Profile:
        """The defaults that depend on other fields; every rule was checked field by field."""
        if self.long_run_day is None:
            self.long_run_day = self.run_days[-1]
        self.id = folder_slug(self.name if self.id is None else self.id, "runner")
        if self.start is None:
            self.start = next_monday(_today_in(info) or dt.date.today())
        self.max_minutes = self._complete_minutes()
        return self

    def _complete_minutes(self) -> dict[str, int]:
        # A user who sets only a default has said how much time they have; the
        # generous long-run allowance is only assumed when they said nothing.
        given = dict(self.max_minutes)
        default = given.get("default", DEFAULT_DAY_MINUTES)
        long_day_default = DEFAULT_LONG_RUN_MINUTES if "default" not in given else default
        completed = {"default": default}
        assert self.long_run_day is not None
        completed[self.long_run_day] = given.get(self.long_run_day, long_day_default)
        for day in WEEKDAYS:
            if day in given:
                completed[day] = given[day]
        return completed

    # -- derived values used by the planner --------------------------------------
    def weekly_km(self, distance: float) -> float:
        return distance * KM_PER_MILE if self.units == "mi" else distance

    @property
    def current_weekly_km(self) -> float:
        return self.weekly_km(self.current_weekly)

    @property
    def goal_weekly_km(self) -> float:
        return self.weekly_km(self.goal_weekly)

    @property
    def longest_recent_run_km(self) -> float:
        if self.longest_recent_run is not None:
            return self.weekly_km(self.longest_recent_run)
        return 0.3 * self.current_weekly_km

    @property
    def easy_pace_s_per_km(self) -> float | None:
        """The runner's own easy pace in seconds per km, when given."""
        if self.easy_pace is None:
            return None
        return clock_seconds(self.easy_pace) / km_per_unit(self.units)

    def minutes_on(self, weekday: str) -> int:
        return self.max_minutes.get(weekday, self.max_minutes["default"])


def plain_number(text: str) -> str:
    """A number as written in a profile or a spreadsheet cell, made plain: "20,5" is 20.5.
    A distance with its unit ("25 miles") is refused, saying how to write it."""
    if _DECIMAL_COMMA.fullmatch(text):
        return text.replace(",", ".")
    with_unit = _NUMBER_WITH_UNIT.fullmatch(text)
    unit = UNIT_SPELLINGS.get(with_unit.group(2).lower()) if with_unit else None
    if with_unit and unit:
        number = with_unit.group(1).replace(",", ".")
        raise ValueError(f"write the number alone ({number}) and give the unit once, "
                         f"as `units: {unit}`")
    return text


def iso_date(text: str) -> str:
    """A date as a spreadsheet may write it, as year-month-day: 07.12.2026 (day first
    wherever dots are used) is 2026-12-07; 07/12/2026, day or month first by country,
    is refused."""
    day_first = _DAY_FIRST_DATE.fullmatch(text)
    if day_first:
        day, month, year = day_first.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if _SLASHED_DATE.fullmatch(text):
        raise ValueError(f"{text.strip()} is a different day in different countries; write "
                         "the date as year-month-day, e.g. 2026-12-07")
    return text


def past_start_notes(profile: Profile, today: dt.date) -> list[str]:
    """A warning when the plan starts before `today`: a runner may write down a plan they
    began last week, but should know its first days are behind them."""
    if profile.start is None or profile.start >= today:
        return []
    return [f"start {profile.start} was {_how_long(today - profile.start)} ago: the plan "
            "begins in the past (fine for a plan already under way; otherwise change `start`)"]


def _how_long(span: dt.timedelta) -> str:
    days = span.days
    if days < 14:
        return "1 day" if days == 1 else f"{days} days"
    if days < 61:
        return f"{days // 7} weeks"
    if days < 730:
        return f"about {round(days / 30.44)} months"
    return f"about {round(days / 365.25)} years"


def _today_in(info: ValidationInfo) -> dt.date | None:
    """The day a profile is read on, when the reader said (see `parse_profile`)."""
    context = info.context
    today = context.get("today") if isinstance(context, Mapping) else None
    return today if isinstance(today, dt.date) else None


def normalise_weekday(value: Any) -> Any:
    """'Monday', 'MON' and 'mon' all mean mon; anything else is an error naming the choices."""
    if not isinstance(value, str):
        return value
    key = value.strip().lower()
    for day, full_name in WEEKDAY_NAMES.items():
        if key in (day, full_name.lower()):
            return day
    raise ValueError(f"unknown weekday {value!r}; use mon, tue, wed, thu, fri, sat or sun")




def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def load_profile(
    path: Path, overrides: dict[str, Any] | None = None, *, today: dt.date | None = None
) -> Profile:
    """Read and validate a profile file, `overrides` replacing its fields; every problem is
    reported at once. `today` (default: the real one) dates the start's default and checks."""
    data = load_yaml_file(path)
    if isinstance(data, dict) and overrides:
        data = {**data, **overrides}
    return parse_profile(data, str(path), today=today)


def parse_profile(data: Any, source: str, *, today: dt.date | None = None) -> Profile:
    """Validate profile data as a user wrote it, reporting every problem at once, one line
    each. `today` (default: the real one) dates the start's default and checks."""
    if not isinstance(data, dict):
        raise InputError(
            [f"{source}: must be a mapping of profile fields (name, current_weekly, ...)"]
        )
    try:
        return Profile.model_validate(data, context={"today": today or dt.date.today()})
    except ValidationError as error:
        raise InputError(format_validation_error(error, source, Profile)) from None


# --- a profile to fill in (`backstride init`) ------------------------------------------------

def profile_template() -> str:
    """The commented profile a newcomer fills in: valid once `name` has a value."""
    return resources.files(__package__).joinpath("profile_template.yaml").read_text("utf-8")


def filled_template(answers: Mapping[str, str | float | list[str]]) -> str:
    """The template with the answered top-level fields' values replaced, comments kept."""
    lines = []
    for line in profile_template().splitlines(keepends=True):
        key = line.partition(":")[0]
        if key in answers:
            value = answers[key]
            written = (f"[{', '.join(value)}]" if isinstance(value, list)
                       else f"{value:g}" if isinstance(value, float)
                       else json.dumps(value, ensure_ascii=False) if key == "name" else value)
            comment_at = line.find(" #")
            head = f"{key}: {written}"
            line = f"{head:<{comment_at}}{line[comment_at:]}" if comment_at >= 0 else head + "\n"
        lines.append(line)
    return "".join(lines)


def write_profile_template(path: Path, answers: Mapping[str, str | float | list[str]]) -> None:
    """Write the template filled in with `answers` (checked first) to a new file `path`."""
    text = filled_template(answers)
    if answers:
        source = f"{path} (not written)"
        parse_profile(parse_yaml_text(text, source), source)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": only if there is no such file
            file.write(text)
    except FileExistsError:
        refuse_existing(path)
        raise
    except FileNotFoundError:
        raise InputError([f"{path}: there is no folder {path.parent}"]) from None


def refuse_existing(path: Path) -> None:
    """InputError when `path` exists: `init` never overwrites a file."""
    if path.exists() or path.is_symlink():
        raise InputError([f"{path}: already exists; backstride init never overwrites a file, "
                          "give another FILE"])
