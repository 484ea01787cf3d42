"""The back of the plan: the routines, then the exercise guide.

A runner learns one core and one strength routine a block (DESIGN: Strength, core and
mobility). The week pages give each day's exercises; the routine page shows each block's
routine once, so the runner sees what to learn and how it builds: one row per exercise,
one column per week of the block, the week's dose in each cell (a dash in a week that does
not use it, such as the easier form that stands in during a calm week). Read from the plan
alone, so a plan edited by hand, or a revision, shows what it holds.

The exercise guide then shows every exercise the plan uses once: a drawing, form cues and
why it is there. It names no runner, so runners with the same exercises share its pages;
the cross-training the runner does, which varies most from runner to runner, is on the
routines page instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from backstride.inputs.library import Library
from backstride.plan import Plan, PlannedExercise, Week
from backstride.render.figure import exercise_image
from backstride.render.format import EN_DASH, format_short_date, library_dose, table_dose
from backstride.rules.blocks import ROUTINE_KINDS
from backstride.rules.progression import WEEKS_PER_BLOCK

NOT_THIS_WEEK = EN_DASH
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
CROSS_TRAINING = "cross_training"


# -- the routines ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutineRow:
    name: str  # "Dead bug (per side)"
    doses: list[str]  # one per week of the block: "2 x 8", or NOT_THIS_WEEK

    @property
    def line(self) -> str:
        """The doses as the page prints them: one text, a tab before each week's."""
        return "\t".join(self.doses)


@dataclass(frozen=True)
class RoutineTable:
    label: str
    rows: list[RoutineRow]


@dataclass(frozen=True)
class WeekColumn:
    title: str  # "Week 3"
    phase: str  # "Build", "Deload" ...


@dataclass(frozen=True)
class RoutineBlock:
    heading: str  # "Weeks 1-4 (7 Dec - 3 Jan)", with en dashes
    weeks: list[WeekColumn]
    tables: list[RoutineTable]

    @property
    def titles(self) -> str:
        return "\t".join(week.title for week in self.weeks)

    @property
    def phases(self) -> str:
        return "\t".join(week.phase for week in self.weeks)


def routine_blocks(plan: Plan, library: Library) -> list[RoutineBlock]:
    """The plan's blocks of `WEEKS_PER_BLOCK` weeks that hold core or strength sessions."""
    blocks = []
    for first in range(0, len(plan.weeks), WEEKS_PER_BLOCK):
        weeks = plan.weeks[first:first + WEEKS_PER_BLOCK]
        tables = [table for kind in ROUTINE_KINDS if (table := _table(weeks, kind, library)).rows]
        if tables:
            blocks.append(RoutineBlock(_heading(weeks), _columns(weeks), tables))
    return blocks


def _heading(weeks: list[Week]) -> str:
    numbers = f"Week {weeks[0].index}" if len(weeks) == 1 else (
        f"Weeks {weeks[0].index}{EN_DASH}{weeks[-1].index}")
    last = weeks[-1].days[-1].date if weeks[-1].days else weeks[-1].start
    return f"{numbers} ({format_short_date(weeks[0].start)} {EN_DASH} {format_short_date(last)})"


def _columns(weeks: list[Week]) -> list[WeekColumn]:
    return [WeekColumn(f"Week {week.index}", week.phase.title()) for week in weeks]


def _table(weeks: list[Week], kind: str, library: Library) -> RoutineTable:
    """One row per exercise the block's `kind` sessions use, in the order first met, under
    the sessions' title. A week's cell holds the exercise's last dose that week: after a
    flare-up report mid-week, the dose of the days still to come."""
    doses: dict[str, dict[int, PlannedExercise]] = {}
    label = ""
    for column, week in enumerate(weeks):
        for day in week.days:
            for session in day.sessions:
                if session.kind != kind:
                    continue
                label = label or session.title
                for exercise in session.exercises:
                    doses.setdefault(exercise.id, {})[column] = exercise
    rows = []
    for exercise_id, by_week in doses.items():
        first = next(iter(by_week.values()))
        known = library.exercises.get(exercise_id)
        name = f"{first.name} (per side)" if known and known.dose.per_side else first.name
        cells = [table_dose(e.sets, e.reps, e.hold_seconds, e.minutes)
                 if (e := by_week.get(column)) else NOT_THIS_WEEK
                 for column in range(len(weeks))]
        rows.append(RoutineRow(name, cells))
    return RoutineTable(label, rows)


# -- the exercise guide ------------------------------------------------------------------

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


def guide_sections(plan: Plan, library: Library) -> list[GuideSection]:
    """Every library exercise the plan uses, once, grouped by category in library order;
    cross-training aside (see `cross_training_section`)."""
    used = _used_ids(plan)
    sections = []
    for category, label in CATEGORY_LABELS.items():
        if category != CROSS_TRAINING and (entries := _entries(used, library, category)):
            sections.append(GuideSection(label, entries))
    return sections


def cross_training_section(plan: Plan, library: Library) -> GuideSection | None:
    """The cross-training the plan uses, for the routines page. Which activities a runner
    lists varies more than anything else in a squad: kept out of the exercise guide, it
    lets far more runners share the guide's pages."""
    entries = _entries(_used_ids(plan), library, CROSS_TRAINING)
    return GuideSection(CATEGORY_LABELS[CROSS_TRAINING], entries) if entries else None


def _used_ids(plan: Plan) -> set[str]:
    return {exercise.id for week in plan.weeks for day in week.days
            for session in day.sessions for exercise in session.exercises}


def _entries(used: set[str], library: Library, category: str) -> list[GuideEntry]:
    """The entries of the `used` exercises of `category`, in library order."""
    return [GuideEntry(e.name, library_dose(e), list(e.cues), e.why, exercise_image(e))
            for e in library.exercises.values() if e.category == category and e.id in used]
