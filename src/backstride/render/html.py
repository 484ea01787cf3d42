"""Render a Plan as one self-contained HTML document (the source of the PDF, and plan.html).

The renderer never decides anything about training: it only formats what the
plan says. Python builds a small view-model (distances already in the runner's
units, dates already written out, the volume chart already drawn as SVG), so
the templates stay free of arithmetic and the same numbers appear everywhere.

The CSS is inlined into the document so plan.html written beside the PDF looks
right in a browser with no other file next to it.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from backstride.inputs.library import Exercise, Library
from backstride.inputs.profile import KM_PER_MILE, RED_FLAGS, Profile
from backstride.plan import Day, Plan, PlannedExercise, Session, Week
from backstride.render.figure import pose_svg
from backstride.rules.reasons import WHY

EN_DASH = "\u2013"  # date ranges, as typeset: "21 Dec \u2013 27 Dec"
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

PHASE_LABELS: dict[str, str] = {
    "build": "Build",
    "deload": "Deload",
    "maintain": "Maintain",
    "calm": "Calm",
    "return": "Return",
}
# One line under each week heading, so a runner knows why an easy week is easy.
PHASE_HINTS: dict[str, str] = {
    "build": "Running volume rises gently this week.",
    "deload": "An easier week on purpose: the body gets stronger while it recovers.",
    "maintain": "Running volume holds steady this week.",
    "calm": "A calm week for your back: less running, no long or fast runs.",
    "return": "Running comes back gently after a calm spell and climbs from here.",
}
# Chart colours per phase: the easy weeks stand out from the build weeks.
PHASE_COLOURS: dict[str, str] = {
    "build": "#2f6f73",
    "maintain": "#2f6f73",
    "deload": "#e0a84a",
    "calm": "#8fb3d9",
    "return": "#8fb3d9",
}
WORSE_WITH_LABELS: dict[str, str] = {
    "flexion": "worse with bending forward (flexion)",
    "extension": "worse with arching back (extension)",
    "none": "no movement direction makes it worse",
}
CATEGORY_LABELS: dict[str, str] = {
    "warm_up": "Warm-up",
    "core": "Core",
    "strength": "Strength",
    "hip_mobility": "Hip mobility",
    "stretch": "Stretches",
    "foam_roll": "Foam rolling",
    "cool_down": "Cool-down",
    "cross_training": "Cross-training",
}
# Run sessions list their warm-up and cool-down together; the page shows them
# as "Before" and "After" so the order is obvious at a glance. When every run of a week
# has the same ones (the usual case, see `prescribe`), the week page gives them once, at
# the top, under the routine's labels instead.
_BEFORE_RUN_CATEGORIES = frozenset({"warm_up"})
ROUTINE_LABELS = {"Before": "Warm-up before every run", "After": "Cool-down after every run"}
# A single-activity session (Swim 30 min) already says everything in its title.
_SELF_DESCRIBED_KINDS = frozenset({"cross_training", "walk"})
SESSION_LABELS: dict[str, str] = {
    "easy": "Easy runs",
    "long": "Long run",
    "quality": "Quality runs",
    "walk_run": "Walk-run sessions",
    "run": "Runs",
    "core": "Core stability",
    "strength": "Strength",
    "mobility": "Mobility and stretching",
    "cross_training": "Cross-training",
    "stand_in": "Cross-training in place of running",
    "walk": "Walks",
}


# -- view-model ------------------------------------------------------------------------

@dataclass(frozen=True)
class ExerciseView:
    name: str
    dose: str


@dataclass(frozen=True)
class ExerciseGroup:
    label: str  # "" when the session has one plain list
    items: list[ExerciseView]

    @property
    def text(self) -> str:
        # One plain text run per group: WeasyPrint lays out a styled span per
        # exercise several times slower (measured: about 0.4 s of an 8-week plan).
        return " \u00b7 ".join(f"{item.name} {item.dose}".strip() for item in self.items)


@dataclass(frozen=True)
class SessionView:
    title: str
    kind: str
    meta: str  # "6.7 km · 53 min"
    groups: list[ExerciseGroup]
    why: str  # "" when the same reason was already given earlier in the week


@dataclass(frozen=True)
class DayView:
    weekday: str
    date: str
    rest: bool
    sessions: list[SessionView]
    changed: bool = False  # changed by the flare-up revision this plan is


@dataclass(frozen=True)
class WeekView:
    heading: str  # "Week 3 · Build · 21 Dec - 27 Dec", with an en dash
    phase: str
    hint: str
    planned: str
    easy_week: bool
    dense: bool  # set tighter type so a busy week still fits one A4 page
    days: list[DayView]
    routine: list[ExerciseGroup]  # the warm-up and cool-down all its runs share, or []
    anchor: str  # "week-3": the week page's id, and its unit in the PDF (see render.pages)


@dataclass(frozen=True)
class GuideEntry:
    name: str
    dose: str
    cues: list[str]
    why: str
    drawing: Markup


@dataclass(frozen=True)
class GuideSection:
    label: str
    entries: list[GuideEntry]


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class CoverView:
    name: str
    dates: str
    facts: list[Fact]
    back: str
    revised: str
    notes: list[str]
    chart: Markup


@dataclass(frozen=True)
class PlanView:
    title: str
    name: str
    disclaimer: str
    footer: str
    cover: CoverView | None = None
    weeks: list[WeekView] = field(default_factory=list)
    reasons: list[Fact] = field(default_factory=list)
    guide: list[GuideSection] = field(default_factory=list)


# -- formatting --------------------------------------------------------------------------

def to_units(km: float, units: str) -> float:
    """A distance in km shown in the runner's units."""
    return km / KM_PER_MILE if units == "mi" else km


def format_distance(km: float, units: str) -> str:
    """'6.2 mi' or '10.0 km': one decimal, so weekly totals add up visibly."""
    return f"{to_units(km, units):.1f} {units}"


def format_profile_distance(value: float, units: str) -> str:
    """A distance the runner typed in their own units: '40 km', '24.5 mi'."""
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {units}"


def format_date(day: dt.date) -> str:
    """'Mon 7 Dec', independent of the machine's locale."""
    return f"{_WEEKDAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]}"


def format_short_date(day: dt.date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month - 1]}"


def format_long_date(day: dt.date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def format_minutes(minutes: float) -> str:
    text = f"{minutes:.1f}".removesuffix(".0")
    return f"{text} min"


def format_dose(sets: int | None, reps: int | None, hold_seconds: int | None,
                minutes: float, per_side: bool) -> str:
    """'3 x 30 s hold', '2 x 10 per side', '2 x 8 per side, 3 s hold', '6 min'."""
    side = " per side" if per_side else ""
    count = f"{sets} x " if sets and sets > 1 else ""
    # A single set reads better as "10 reps" than as "1 x 10".
    reps_text = f"{count}{reps}{side}" if count else f"{reps} reps{side}"
    if reps and hold_seconds:
        return f"{reps_text}, {hold_seconds} s hold"
    if reps:
        return reps_text
    if hold_seconds:
        return f"{count}{hold_seconds} s hold{side}"
    return format_minutes(minutes)


def planned_dose(exercise: PlannedExercise, library: Library) -> str:
    known = library.exercises.get(exercise.id)
    per_side = known.dose.per_side if known else False
    return format_dose(exercise.sets, exercise.reps, exercise.hold_seconds,
                       exercise.minutes, per_side)


def library_dose(exercise: Exercise) -> str:
    dose = exercise.dose
    return format_dose(dose.sets, dose.reps, dose.hold_seconds, dose.minutes, dose.per_side)


def first_sentence(text: str) -> str:
    """The first sentence only, where a page has room for one line (footer, week pages)."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


# -- building the view-model ---------------------------------------------------------

def session_meta(session: Session, units: str, separator: str = " · ") -> str:
    """Distance and minutes, printed after the title; not what the title already says
    ("Walk 20 min")."""
    parts = []
    if session.distance_km is not None:
        parts.append(format_distance(session.distance_km, units))
    if session.minutes and not session.title.endswith(format_minutes(session.minutes)):
        parts.append(format_minutes(session.minutes))
    return separator.join(parts)


def exercise_groups(session: Session, library: Library) -> list[ExerciseGroup]:
    if session.kind in _SELF_DESCRIBED_KINDS and len(session.exercises) <= 1:
        return []
    views = [(ex, ExerciseView(ex.name, planned_dose(ex, library))) for ex in session.exercises]
    if session.kind != "run":
        return [ExerciseGroup("", [view for _, view in views])] if views else []
    before = [v for ex, v in views if _category(ex.id, library) in _BEFORE_RUN_CATEGORIES]
    after = [v for ex, v in views if _category(ex.id, library) not in _BEFORE_RUN_CATEGORIES]
    return [ExerciseGroup(label, items)
            for label, items in (("Before", before), ("After", after)) if items]


def _category(exercise_id: str, library: Library) -> str:
    known = library.exercises.get(exercise_id)
    return known.category if known else ""


def session_view(
    session: Session, library: Library, units: str, seen_whys: set[str]
) -> SessionView:
    # The same reason repeated under every run would fill the pages: each reason is
    # printed once in the plan, under the first session it explains, and only its first
    # sentence; the cover's "Why each kind of session" has them all in full.
    why = "" if session.why in seen_whys else first_sentence(session.why)
    seen_whys.add(session.why)
    return SessionView(
        title=session.title,
        kind=session.kind,
        meta=session_meta(session, units),
        groups=exercise_groups(session, library),
        why=why,
    )


def day_view(
    day: Day, library: Library, units: str, seen_whys: set[str], changed: frozenset[str]
) -> DayView:
    return DayView(
        weekday=_WEEKDAY_NAMES[day.date.weekday()],
        date=format_short_date(day.date),
        rest=day.rest,
        sessions=[session_view(s, library, units, seen_whys) for s in day.sessions],
        changed=day.date.isoformat() in changed,
    )


def week_heading(week: Week) -> str:
    end = week.days[-1].date if week.days else week.start + dt.timedelta(days=6)
    dates = f"{format_short_date(week.start)} {EN_DASH} {format_short_date(end)}"
    return f"Week {week.index} · {PHASE_LABELS.get(week.phase, week.phase.title())} · {dates}"


# Page-fit estimate, in printed lines at the normal type size: about 150
# characters fit on a small-text line, and a week of up to ~43 lines fits one
# A4 page (measured on the sample plans). Above that the week gets tighter type.
_CHARS_PER_SMALL_LINE = 150
_SMALL_LINE = 0.8  # a small-text line, in body lines
_DAY_GAP = 0.5
DENSE_WEEK_LINES = 43.0


def estimated_lines(days: Sequence[DayView], routine: Sequence[ExerciseGroup] = ()) -> float:
    """Roughly how many body-text lines a week page needs."""
    lines = _small_lines(_group_texts(routine))
    for day in days:
        lines += _DAY_GAP
        for session in day.sessions:
            texts = _group_texts(session.groups)
            if session.why:
                texts.append(session.why)
            lines += 1 + _small_lines(texts)
    return lines


def _group_texts(groups: Iterable[ExerciseGroup]) -> list[str]:
    return [group.label + "".join(f"{i.name} {i.dose} · " for i in group.items)
            for group in groups]


def _small_lines(texts: Iterable[str]) -> float:
    return sum(_SMALL_LINE * math.ceil(len(text) / _CHARS_PER_SMALL_LINE) for text in texts)


def _shared_routine(days: Sequence[DayView]) -> list[ExerciseGroup]:
    """The warm-up and cool-down groups every run of the week has, relabelled as the week's
    routine; [] when there are no runs or they differ (a flare-up mid-week, say)."""
    runs = [session.groups for day in days for session in day.sessions
            if session.kind == "run"]
    if not runs or not runs[0] or any(groups != runs[0] for groups in runs[1:]):
        return []
    return [replace(group, label=ROUTINE_LABELS.get(group.label, group.label))
            for group in runs[0]]


def _without_run_groups(day: DayView) -> DayView:
    return replace(day, sessions=[replace(session, groups=[]) if session.kind == "run"
                                  else session for session in day.sessions])


def _changed_days(plan: Plan) -> frozenset[str]:
    revised = plan.revised_from or {}
    days = revised.get("changed_days", [])
    return frozenset(str(day) for day in days) if isinstance(days, list) else frozenset()


def week_view(
    week: Week, library: Library, units: str, seen_whys: set[str],
    changed: frozenset[str] = frozenset(),
) -> WeekView:
    """The week's page; `seen_whys`, the reasons the weeks before it gave, gains its own."""
    days = [day_view(day, library, units, seen_whys, changed) for day in week.days]
    # Said once at the top, the routine spares every run two long lines (and the PDF a
    # seventh of a week page's layout work, measured).
    routine = _shared_routine(days)
    if routine:
        days = [_without_run_groups(day) for day in days]
    return WeekView(
        heading=week_heading(week),
        phase=week.phase,
        hint=PHASE_HINTS.get(week.phase, ""),
        planned=format_distance(week.planned_km, units),
        easy_week=week.deload or week.phase in ("deload", "calm", "return"),
        dense=estimated_lines(days, routine) > DENSE_WEEK_LINES,
        days=days,
        routine=routine,
        anchor=f"week-{week.index}",
    )


def guide_sections(plan: Plan, library: Library) -> list[GuideSection]:
    """Every library exercise the plan uses, once, grouped by category in library order."""
    used = _used_exercise_ids(plan)
    sections = []
    for category, label in CATEGORY_LABELS.items():
        entries = [
            GuideEntry(e.name, library_dose(e), list(e.cues), e.why, exercise_drawing(e))
            for e in library.exercises.values()
            if e.category == category and e.id in used
        ]
        if entries:
            sections.append(GuideSection(label, entries))
    return sections


def exercise_drawing(exercise: Exercise) -> Markup:
    """The exercise's start and end position: an SVG image inlined as a data URL.

    An image rather than inline SVG: WeasyPrint lays an image out about twice as fast,
    and a guide has dozens of them. Drawn once per process and exercise (a squad's
    worker renders many plans from one library)."""
    cached = _DRAWINGS.get(exercise.id)
    if cached is not None and cached[0] is exercise:
        return cached[1]
    svg = pose_svg(exercise.pose, exercise.name)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    drawing = Markup('<img class="pose" src="data:image/svg+xml;base64,{}" alt="{}" />').format(
        Markup(data), f"{exercise.name}: start and end position"
    )
    _DRAWINGS[exercise.id] = (exercise, drawing)
    return drawing


_DRAWINGS: dict[str, tuple[Exercise, Markup]] = {}


def session_reasons(plan: Plan) -> list[Fact]:
    """Each distinct session `why`, in full, once, labelled by the kind of session it explains,
    in the order of `SESSION_LABELS` (so runners with the same sessions share a guide)."""
    reasons: dict[str, str] = {}
    for session in _sessions(plan):
        if session.why not in reasons:
            # Cross-training has two reasons: for itself, and standing in for running.
            key = "stand_in" if session.why == WHY["stand_in"] else session.run_type or session.kind
            reasons[session.why] = SESSION_LABELS.get(key, session.title)
    order = list(SESSION_LABELS.values())
    facts = [Fact(label, why) for why, label in reasons.items()]
    return sorted(facts, key=lambda f: (order.index(f.label) if f.label in order else len(order),
                                        f.label, f.value))


def _sessions(plan: Plan) -> Iterable[Session]:
    return (session for week in plan.weeks for day in week.days for session in day.sessions)


def _used_exercise_ids(plan: Plan) -> set[str]:
    return {exercise.id for session in _sessions(plan) for exercise in session.exercises}


def plan_dates(plan: Plan) -> str:
    if not plan.weeks:
        return ""
    first = plan.weeks[0].start
    last_week = plan.weeks[-1]
    last = last_week.days[-1].date if last_week.days else last_week.start + dt.timedelta(days=6)
    return f"{format_long_date(first)} {EN_DASH} {format_long_date(last)}"


def back_status(profile: Profile) -> str:
    back = profile.back
    parts = [f"pain {back.pain}/10 today", WORSE_WITH_LABELS.get(back.worse_with, back.worse_with)]
    if back.conditions:
        parts.append("conditions: " + ", ".join(c.replace("_", " ") for c in back.conditions))
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def revised_line(revised_from: dict[str, object] | None) -> str:
    """'Revised after a flare-up on Mon 7 Dec (pain 5/10)', tolerant of missing keys."""
    if not revised_from:
        return ""
    kind = str(revised_from.get("kind") or "change").replace("_", "-")
    text = f"Revised after a {kind}"
    when = _parse_date(revised_from.get("date"))
    if when is not None:
        text += f" on {format_long_date(when)}"
    pain = revised_from.get("pain")
    if isinstance(pain, (int, float)):
        text += f" (pain {pain:g}/10)"
    report = revised_from.get("report")
    if isinstance(report, str) and report.strip():
        text += f": “{report.strip()}”"
    return text


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def cover_view(plan: Plan) -> CoverView:
    profile = plan.athlete
    units = profile.units
    facts = [
        Fact("Weekly goal", format_profile_distance(profile.goal_weekly, units)),
        Fact("Running now", format_profile_distance(profile.current_weekly, units) + " a week"),
        Fact("Plan length", f"{len(plan.weeks)} weeks"),
        Fact("Experience", profile.experience.capitalize()),
    ]
    return CoverView(
        name=profile.name,
        dates=plan_dates(plan),
        facts=facts,
        back=back_status(profile),
        revised=revised_line(plan.revised_from),
        notes=list(plan.notes),
        chart=volume_chart_svg(plan.weeks, profile.goal_weekly_km, units),
    )


def build_view(plan: Plan, library: Library) -> PlanView:
    units = plan.athlete.units
    changed = _changed_days(plan)
    seen_whys: set[str] = set()
    return PlanView(
        title=f"backstride training plan: {plan.athlete.name}",
        name=plan.athlete.name,
        disclaimer=plan.disclaimer,
        footer=first_sentence(plan.disclaimer),
        cover=cover_view(plan),
        weeks=[week_view(week, library, units, seen_whys, changed) for week in plan.weeks],
        reasons=session_reasons(plan),
        guide=guide_sections(plan, library),
    )


def build_referral_view(plan: Plan) -> PlanView:
    return PlanView(
        title=f"backstride: please see a healthcare professional ({plan.athlete.name})",
        name=plan.athlete.name,
        disclaimer=plan.disclaimer,
        footer=first_sentence(plan.disclaimer),
    )


# -- the volume chart ----------------------------------------------------------------

# The same stack as print.css: one set of fonts to embed keeps the PDF fast to write.
CHART_FONTS = "Helvetica Neue, Arial, Liberation Sans Narrow, DejaVu Sans Condensed, sans-serif"
_YOf = Callable[[float], float]  # maps a distance to its y coordinate in the chart
_CHART_W, _CHART_H = 640.0, 230.0
_PAD_L, _PAD_R, _PAD_T, _PAD_B = 48.0, 14.0, 24.0, 44.0


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick spacing (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` ticks."""
    raw = max(span, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
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


_GOAL_COLOUR = "#c0392b"


def _chart_goal(goal: float, y_of: _YOf) -> list[str]:
    # Labelled in the legend, not on the line, where it would collide with bar values.
    y = y_of(goal)
    return [f'<line x1="{_PAD_L}" y1="{y:.1f}" x2="{_CHART_W - _PAD_R}" y2="{y:.1f}" '
            f'stroke="{_GOAL_COLOUR}" stroke-width="1.4" stroke-dasharray="6 4"/>']


def _chart_legend(weeks: Iterable[Week], goal: float, units: str) -> list[str]:
    phases = {w.phase for w in weeks} | {"deload" for w in weeks if w.deload}
    items = [("Build / maintain", PHASE_COLOURS["build"])]
    if "deload" in phases:
        items.append(("Deload week", PHASE_COLOURS["deload"]))
    if phases & {"calm", "return"}:
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


# -- templates -----------------------------------------------------------------------

def templates_dir() -> Path:
    """The folder of the `backstride.templates` package (top-level templates/ in the repo)."""
    return Path(str(files("backstride.templates")))


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    # Built once per process: loading and compiling templates is the slow part.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.lru_cache(maxsize=1)
def stylesheet() -> Markup:
    # Inlined (not linked) so plan.html works on its own beside the PDF.
    css = (templates_dir() / "print.css").read_text(encoding="utf-8")
    return Markup(css.replace("</", "<\\/"))


def render_html(plan: Plan, library: Library) -> str:
    """The plan (or, when it holds a referral, the one-page referral sheet) as HTML."""
    env = environment()
    if plan.referral is not None:
        referral = plan.referral
        flags = [RED_FLAGS.get(flag, flag.replace("_", " ")) for flag in referral.red_flags]
        # The reason usually names the signs already; a list repeating it is noise.
        flags = [flag for flag in flags if flag.lower() not in referral.reason.lower()]
        return env.get_template("referral.html").render(
            view=build_referral_view(plan), referral=referral, red_flags=flags,
            css=stylesheet(),
        )
    view = build_view(plan, library)
    return plan_document(view, view.weeks, cover=True, guide=True)


def plan_document(view: PlanView, weeks: list[WeekView], cover: bool, guide: bool) -> str:
    """plan.html's template with some of the weeks, with or without cover and guide."""
    return environment().get_template("plan.html").render(
        view=view, weeks=weeks, show_cover=cover, show_guide=guide, css=stylesheet()
    )
