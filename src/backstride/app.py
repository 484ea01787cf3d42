"""Plan revisions: deciding when a plan is new, storing it, and writing its files.

`backstride plan` stores revision 1, and a new revision only when the profile
changed; with an unchanged profile it re-renders the current revision, so a
flare-up's adaptations are never thrown away by planning again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride.errors import InputError
from backstride.files import PlanFiles, plan_folder, write_atomically, write_plan_files
from backstride.inputs.library import Library
from backstride.inputs.profile import Profile
from backstride.plan import Plan
from backstride.render.ics import CalendarHistory
from backstride.store import PLANNED_AGAIN, PLANNED_CHANGED, PLANNED_NEW, Store

if TYPE_CHECKING:
    from backstride.render.workers import PdfRenderer


@dataclass(frozen=True)
class StoredPlan:
    plan: Plan
    folder: Path
    status: str  # "new", "profile changed" or "unchanged"


def plan_and_store(
    store: Store, profile: Profile, library: Library, folder: Path, replan: bool = False
) -> StoredPlan:
    """The athlete's current plan: the stored one if the profile is unchanged (and no
    `replan` is asked), else a new revision planned from the profile."""
    from backstride.rules.planner import build_plan

    assert profile.id is not None
    profile_json = profile.model_dump_json()
    planned = store.latest_planned_revision(profile.id)
    latest = store.latest_revision(profile.id)
    unchanged = planned is not None and planned.profile_json == profile_json
    if latest is not None and unchanged and not replan:
        # Unchanged profile: the current revision stands, flare-up adaptations included.
        return StoredPlan(Plan.model_validate_json(latest.plan_json), folder, "unchanged")
    plan = build_plan(profile, library)
    reason = PLANNED_NEW if latest is None else PLANNED_AGAIN if unchanged else PLANNED_CHANGED
    stored = store_revision(store, plan, folder, reason, profile_json)
    return StoredPlan(stored, folder, reason)


def record_flare_up(
    store: Store,
    athlete_id: str,
    library: Library,
    *,
    date: dt.date,
    pain: int,
    worse_with: str | None = None,
    red_flags: Sequence[str] = (),
    note: str = "",
    out_dir: Path | None = None,
) -> tuple[Plan, Plan, Path]:
    """Re-plan ATHLETE's current plan after a flare-up on `date` and store it, with the
    report, as the next revision. Returns the old plan, the new one and its folder.

    Run it inside `store.transaction()`, holding the lock until the files are written, so
    two reports at once queue and the second builds on the first.
    """
    from backstride.rules.replan import FlareUpReport, replan_after_flare_up

    latest = store.latest_revision(athlete_id)
    folder = store.athlete_folder(athlete_id)
    if latest is None or folder is None:
        raise InputError([
            f"no athlete '{athlete_id}' in {store.path}; plan them first with "
            "`backstride plan PROFILE` (ids are listed by `backstride history`)"
        ])
    old = Plan.model_validate_json(latest.plan_json)
    reports = store.reports(athlete_id)
    if reports and date < dt.date.fromisoformat(reports[-1].date):
        raise InputError([
            f"--date {date}: before the last report ({reports[-1].date}); reports go "
            "in order, the plan from that day on was already re-planned"
        ])
    report = FlareUpReport(
        date=date, pain=pain, worse_with=worse_with, red_flags=tuple(red_flags), note=note,
        first_report=dt.date.fromisoformat(reports[0].date) if reports else date,
    )
    new = replan_after_flare_up(old, report, library)
    if out_dir is not None:
        folder = plan_folder(out_dir, athlete_id)
    new = store_revision(store, new, folder, f"flare-up on {date}, pain {pain}",
                         report=report.as_dict())
    return old, new, folder


def store_revision(
    store: Store,
    plan: Plan,
    folder: Path,
    reason: str,
    profile_json: str | None = None,
    report: dict[str, Any] | None = None,
) -> Plan:
    """Append `plan` as the athlete's next revision; returns it with its revision number."""
    athlete = plan.athlete
    assert athlete.id is not None
    number = store.add_revision(
        athlete.id,
        athlete.name,
        folder.resolve(),
        reason,
        profile_json or athlete.model_dump_json(),
        lambda n: plan.model_copy(update={"revision": n}).to_json(),
        report,
    )
    return plan.model_copy(update={"revision": number})


def calendar_history(store: Store, plan: Plan) -> CalendarHistory:
    """What the revisions before `plan`'s put in the calendar: every day with a session, and
    the latest referral reminder; the new calendar cancels what it no longer has."""
    assert plan.athlete.id is not None
    days: set[dt.date] = set()
    referral_day = stored_at = None
    for revision in store.revisions(plan.athlete.id):
        if revision.number < plan.revision:
            earlier = Plan.model_validate_json(revision.plan_json)
            days |= earlier.training_days()
            referral_day = earlier.referral_day() or referral_day
        elif revision.number == plan.revision:
            stored_at = dt.datetime.fromisoformat(revision.created_at)
    return CalendarHistory(frozenset(days), referral_day, stored_at)


def write_revision_files(
    store: Store,
    plan: Plan,
    library: Library,
    folder: Path,
    renderer: PdfRenderer | None = None,
    shared_pages: Path | None = None,
) -> PlanFiles:
    """The current plan in `folder`, and a copy kept in `folder/revisions/<N>/`."""
    files = write_plan_files(plan, library, folder, renderer, calendar_history(store, plan),
                             shared_pages)
    kept = folder / "revisions" / str(plan.revision)
    kept.mkdir(parents=True, exist_ok=True)
    for source in files.all():
        target = kept / source.name
        if not target.exists():
            write_atomically(target, lambda path, source=source: path.write_bytes(
                source.read_bytes()))
    return files
