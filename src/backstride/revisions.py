"""Revisions: deciding when a plan is new, storing it as the athlete's next revision, and
writing its files.

`plan_and_store` stores revision 1, and a new revision only when the profile changed; with
an unchanged profile it keeps the current revision, so a flare-up's adaptations are never
thrown away by planning again. A changed profile while a flare-up's recovery is still
running keeps the recovery (`rules.replan.keep_recovery`); `replan` starts afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride.errors import InputError
from backstride.files import PlanFiles, plan_folder, write_atomically
from backstride.inputs.library import Library
from backstride.inputs.profile import Profile, past_start_notes
from backstride.plan import Plan
from backstride.render.documents import write_plan_files
from backstride.render.ics import CalendarHistory
from backstride.store import PLANNED_AGAIN, PLANNED_CHANGED, PLANNED_NEW, Store

if TYPE_CHECKING:
    from backstride.render.workers import PdfRenderer


def history_id_for(store: Store, athlete_id: str) -> str:
    """The stored athlete `athlete_id` names: an exact id, or the one squad runner of that
    id (`harriers/ana-lopez` for `ana-lopez`); an id several athletes share is an error
    listing them, so a report never lands on the wrong runner's plan."""
    found = store.athlete_ids_named(athlete_id)
    if len(found) > 1:
        raise InputError([f"'{athlete_id}' names {len(found)} athletes: {', '.join(found)}; "
                          "give the full id"])
    if not found:
        raise InputError([
            f"no athlete '{athlete_id}' in {store.path}; plan them first with "
            "`backstride plan PROFILE` (ids are listed by `backstride history`)"
        ])
    return found[0]



@dataclass(frozen=True)
class StoredPlan:
    plan: Plan
    folder: Path
    status: str  # "new", "profile changed", "replanned", "unchanged" or a flare-up's reason
    history_id: str  # the athlete's id in the history: their own, or `<squad>/<their own>`


def plan_and_store(
    store: Store, profile: Profile, library: Library, folder: Path, replan: bool = False,
    *, history_id: str | None = None,
) -> StoredPlan:
    """The athlete's current plan: the stored one if the profile is unchanged (and no
    `replan` is asked), else a new revision planned from the profile; a changed profile
    while a flare-up's recovery is still running keeps it, and applies after it, unless
    `replan` asks to start afresh. It is stored under `history_id` (default: the profile's
    id)."""
    from backstride.rules.planner import build_plan
    from backstride.rules.replan import keep_recovery

    assert profile.id is not None
    history_id = history_id or profile.id
    profile_json = profile.model_dump_json()
    planned = store.latest_planned_revision(history_id)
    latest = store.latest_revision(history_id)
    unchanged = planned is not None and planned.profile_json == profile_json
    if latest is not None and unchanged and not replan:
        # Unchanged profile: the current revision stands, flare-up adaptations included.
        return StoredPlan(Plan.model_validate_json(latest.plan_json), folder, "unchanged",
                          history_id)
    kept = None
    if latest is not None and not unchanged and not replan:
        kept = keep_recovery(Plan.model_validate_json(latest.plan_json), profile, library,
                             dt.date.today())
    plan = kept or build_plan(profile, library)
    if plan.referral is None:
        plan.notes = [*past_start_notes(profile, dt.date.today()), *plan.notes]
    reason = PLANNED_NEW if latest is None else PLANNED_AGAIN if unchanged else PLANNED_CHANGED
    return store_revision(store, plan, folder, reason, history_id, profile_json)


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
) -> tuple[Plan, StoredPlan]:
    """Re-plan ATHLETE's current plan after a flare-up on `date` and store it, with the
    report, as the next revision. Returns the old plan and the new one, stored.

    Run it inside `store.transaction()`, holding the lock until the files are written, so
    two reports at once queue and the second builds on the first.
    """
    from backstride.rules.replan import FlareUpReport, replan_after_flare_up

    athlete_id = history_id_for(store, athlete_id)
    latest = store.latest_revision(athlete_id)
    folder = store.athlete_folder(athlete_id)
    assert latest is not None and folder is not None  # an athlete has a revision and a folder
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
    stored = store_revision(store, new, folder, f"flare-up on {date}, pain {pain}",
                            athlete_id, report=report.as_dict())
    return old, stored


def store_revision(
    store: Store,
    plan: Plan,
    folder: Path,
    reason: str,
    history_id: str,
    profile_json: str | None = None,
    report: dict[str, Any] | None = None,
) -> StoredPlan:
    """Append `plan` as the next revision of athlete `history_id`; returns it with its
    revision number."""
    athlete = plan.athlete
    number = store.add_revision(
        history_id,
        athlete.name,
        folder.resolve(),
        reason,
        profile_json or athlete.model_dump_json(),
        lambda n: plan.model_copy(update={"revision": n}).to_json(),
        report,
    )
    return StoredPlan(plan.model_copy(update={"revision": number}), folder, reason, history_id)


def calendar_history(store: Store, plan: Plan, history_id: str) -> CalendarHistory:
    """What the revisions before `plan`'s put in the calendar: every day with a session, and
    the latest referral reminder; the new calendar cancels what it no longer has."""
    days: set[dt.date] = set()
    referral_day = stored_at = None
    for revision in store.revisions(history_id):
        if revision.number < plan.revision:
            earlier = Plan.model_validate_json(revision.plan_json)
            days |= earlier.training_days()
            referral_day = earlier.referral_day() or referral_day
        elif revision.number == plan.revision:
            stored_at = dt.datetime.fromisoformat(revision.created_at)
    return CalendarHistory(frozenset(days), referral_day, stored_at)


def write_revision_files(
    store: Store,
    stored: StoredPlan,
    library: Library,
    renderer: PdfRenderer | None = None,
    shared_pages: Path | None = None,
) -> PlanFiles:
    """The current plan in its folder, and a copy kept in `folder/revisions/<N>/`."""
    plan, folder = stored.plan, stored.folder
    files = write_plan_files(plan, library, folder, renderer,
                             calendar_history(store, plan, stored.history_id), shared_pages)
    kept = folder / "revisions" / str(plan.revision)
    kept.mkdir(parents=True, exist_ok=True)
    for source in files.all():
        target = kept / source.name
        if not target.exists():
            write_atomically(target, _copier(source))
    return files


def _copier(source: Path) -> Callable[[Path], None]:
    def copy(target: Path) -> None:
        target.write_bytes(source.read_bytes())

    return copy
