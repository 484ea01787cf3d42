"""Render a Plan as one self-contained HTML document (the source of the PDF, and plan.html).

The renderer never decides anything about training: it only formats what the
plan says. Python builds a small view-model (distances already in the runner's
units, dates already written out by `render.format`, the volume chart already
drawn as SVG by `render.chart`), so the templates stay free of arithmetic and
the same numbers appear everywhere.

The CSS is inlined into the document so plan.html written beside the PDF looks
right in a browser with no other file next to it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from backstride.inputs.library import Library
from backstride.inputs.pace import format_distance
from backstride.inputs.profile import Profile
from backstride.plan import Day, Plan, Session, Week
from backstride.render.chart import volume_chart_svg
from backstride.render.format import (
    EN_DASH,
    first_sentence,
    format_long_date,
    format_profile_distance,
    format_short_date,
    format_weekday,
    planned_dose,
    session_meta,
)
from backstride.render.guide import (
    GuideSection,
    RoutineBlock,
    cross_training_section,
    guide_sections,
    routine_blocks,
)
from backstride.render.runs import run_details
from backstride.render.templates import environment, stylesheet
from backstride.rules.progression import CALM_PHASES
from backstride.rules.reasons import WHY

# One line under each week heading, so a runner knows why an easy week is easy.
PHASE_HINTS: dict[str, str] = {
    "build": "Running volume rises gently this week.",
    "deload": "An easier week on purpose: the body gets stronger while it recovers.",
    "maintain": "Running volume holds steady this week.",
    "calm": "A calm week for your back: less running, no long or fast runs.",
    "return": "Running comes back gently after a calm spell and climbs from here.",
}
WORSE_WITH_LABELS: dict[str, str] = {
    "flexion": "worse with bending forward (flexion)",
    "extension": "worse with arching back (extension)",
    "none": "no movement direction makes it worse",
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
        # exercise several times slower.
        return " \u00b7 ".join(f"{item.name} {item.dose}".strip() for item in self.items)


@dataclass(frozen=True)
class SessionView:
    title: str
    kind: str
    meta: str  # "6.0 km · 36 min at 6:00-6:30/km, + 12 min warm-up and cool-down"
    groups: list[ExerciseGroup]
    details: list[str]  # a run's workout and how hard, in words; [] before plan version 2
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
    usual_routine: bool = False  # its runs' warm-up and cool-down are the plan's usual ones


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
    routines: list[RoutineBlock] = field(default_factory=list)
    usual_routine: list[ExerciseGroup] = field(default_factory=list)  # before and after runs
    cross_training: GuideSection | None = None  # on the routines page
    guide: list[GuideSection] = field(default_factory=list)


# -- building the view-model ---------------------------------------------------------

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
    return known.category if (known := library.exercises.get(exercise_id)) else ""


def session_view(session: Session, library: Library, units: str,
                 seen_whys: set[str]) -> SessionView:
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
        details=run_details(session, units),
        why=why,
    )


def day_view(day: Day, library: Library, units: str, seen_whys: set[str],
             changed: frozenset[str]) -> DayView:
    return DayView(
        weekday=format_weekday(day.date),
        date=format_short_date(day.date),
        rest=day.rest,
        sessions=[session_view(s, library, units, seen_whys) for s in day.sessions],
        changed=day.date.isoformat() in changed,
    )


def week_heading(week: Week) -> str:
    dates = f"{format_short_date(week.start)} {EN_DASH} {format_short_date(_last_day(week))}"
    return f"Week {week.index} · {week.phase.title()} · {dates}"


def _last_day(week: Week) -> dt.date:
    return week.days[-1].date if week.days else week.start + dt.timedelta(days=6)


# Page-fit estimate, in printed lines at the normal type size: about 150 characters fit on
# a small-text line and 80 on a session's first line (a run's may wrap), and a week of up to
# ~43 lines fits one A4 page (found on the sample plans). Above that, tighter type.
_CHARS_PER_SMALL_LINE = 150
_CHARS_PER_HEAD_LINE = 80
_SMALL_LINE = 0.8  # a small-text line, in body lines
_DAY_GAP = 0.5
DENSE_WEEK_LINES = 43.0


def estimated_lines(days: Sequence[DayView], routine: Sequence[ExerciseGroup]) -> float:
    """Roughly how many body-text lines a week page needs."""
    lines = _small_lines(_group_texts(routine))
    for day in days:
        lines += _DAY_GAP
        for session in day.sessions:
            texts = [*_group_texts(session.groups), " ".join(session.details)]
            if session.why:
                texts.append(session.why)
            head = f"{session.title} · {session.meta}"
            lines += math.ceil(len(head) / _CHARS_PER_HEAD_LINE) + _small_lines(texts)
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
    # Said once at the top, the routine spares every run two long lines (and the PDF
    # their layout work).
    routine = _shared_routine(days)
    if routine:
        days = [_without_run_groups(day) for day in days]
    return WeekView(
        heading=week_heading(week),
        phase=week.phase,
        hint=PHASE_HINTS.get(week.phase, ""),
        planned=format_distance(week.planned_km, units),
        easy_week=week.deload or week.phase == "deload" or week.phase in CALM_PHASES,
        dense=estimated_lines(days, routine) > DENSE_WEEK_LINES,
        days=days,
        routine=routine,
        anchor=f"week-{week.index}",
    )


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


def plan_dates(plan: Plan) -> str:
    if not plan.weeks:
        return ""
    first, last = plan.weeks[0].start, _last_day(plan.weeks[-1])
    return f"{format_long_date(first)} {EN_DASH} {format_long_date(last)}"


def back_status(profile: Profile) -> str:
    back = profile.back
    parts = [f"pain {back.pain}/10 today", WORSE_WITH_LABELS.get(back.worse_with, back.worse_with)]
    if back.conditions:
        parts.append("conditions: " + ", ".join(c.replace("_", " ") for c in back.conditions))
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def revised_line(revised_from: dict[str, object] | None) -> str:
    """'Revised after a flare-up on 7 Dec 2026 (pain 5/10)', tolerant of missing keys."""
    if not revised_from:
        return ""
    kind = str(revised_from.get("kind") or "change")
    text = ("Revised for a changed profile" if kind == "profile_change"
            else f"Revised after a {kind.replace('_', '-')}")
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
        **_with_usual_routine([week_view(week, library, units, seen_whys, changed)
                               for week in plan.weeks]),
        reasons=session_reasons(plan),
        routines=routine_blocks(plan, library),
        cross_training=cross_training_section(plan, library),
        guide=guide_sections(plan, library),
    )


def _with_usual_routine(weeks: list[WeekView]) -> dict[str, Any]:
    """The weeks, and the warm-up and cool-down most of them share: the routines page gives
    it once, and a week with it says so in a line instead of two long ones (every week page
    laid out spares that work too); a week whose runs differ still prints its own."""
    counts = Counter(_routine_key(week.routine) for week in weeks if week.routine)
    if not counts:
        return {"weeks": weeks}
    key = counts.most_common(1)[0][0]
    usual = next(week.routine for week in weeks if _routine_key(week.routine) == key)
    weeks = [replace(week, routine=[], usual_routine=True)
             if week.routine and _routine_key(week.routine) == key else week for week in weeks]
    return {"weeks": weeks, "usual_routine": usual}


def _routine_key(routine: Sequence[ExerciseGroup]) -> tuple[tuple[str, str], ...]:
    return tuple((group.label, group.text) for group in routine)


# The referral sheet speaks of itself: it is no plan, and its reader may be a clinician.
REFERRAL_DISCLAIMER = (
    "This referral sheet is general guidance from a training app, not medical advice and not "
    "a training plan. It does not replace an assessment by a doctor or physiotherapist."
)


def build_referral_view(plan: Plan) -> PlanView:
    return PlanView(
        title=f"backstride referral sheet: please see a healthcare professional "
              f"({plan.athlete.name})",
        name=plan.athlete.name,
        disclaimer=REFERRAL_DISCLAIMER,
        footer=first_sentence(REFERRAL_DISCLAIMER),
    )


# -- templates -----------------------------------------------------------------------

def plan_document(view: PlanView, weeks: list[WeekView], *, cover: bool, guide: bool,
                  inline_css: bool = True) -> str:
    """plan.html's template with some of the weeks, with or without cover and guide, and
    with the stylesheet inlined unless `inline_css` is false (a PDF's frame)."""
    return environment().get_template("plan.html").render(
        view=view, weeks=weeks, show_cover=cover, show_guide=guide,
        css=stylesheet() if inline_css else None,
    )
