"""A plan's documents: plan.html, the units its PDF is laid out from (see `render.pages`),
and writing all of a plan's files, all of them or none.

Every file is written to a temporary name in its final folder and renamed into place only
once all of them rendered, so an error (or a kill) leaves either the old files or the new
ones, and never a truncated plan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from backstride.files import PlanFiles, remove_stale_temporaries, stage_file, temporary_path
from backstride.inputs.library import Library
from backstride.plan import Plan
from backstride.render.html import build_referral_view, build_view, plan_document
from backstride.render.ics import CalendarHistory
from backstride.render.pages import GUIDE, INTRO, PdfDocument, pdf_document
from backstride.render.referral import render_referral_html
from backstride.render.templates import stylesheet

if TYPE_CHECKING:
    from backstride.render.workers import PdfRenderer

# Layout cost, measured in week pages (CPU time of units laid out alone and of six weeks in
# one document, on both 12-week examples): the cover is about one and a half week pages, its
# second page (how to use the plan, the reasons for each kind of session) about two thirds
# of one; about four guide entries (a drawing, cues and the why) are one, and so are
# two blocks of the routine page (rows of doses).
COVER_IN_WEEKS = 1.6
INTRO_IN_WEEKS = 0.7
GUIDE_ENTRIES_PER_WEEK = 3.9
ROUTINE_BLOCK_IN_WEEKS = 0.5


@dataclass(frozen=True)
class PlanDocuments:
    """A plan as HTML: plan.html, and the units its PDF is laid out from (see render.pages)."""

    html: str
    pdf: PdfDocument


def render_documents(plan: Plan, library: Library) -> PlanDocuments:
    """plan.html, and the plan's PDF as units: the cover, its second page, each week and the
    guide, or the referral sheet."""
    if plan.referral is not None:
        html = render_referral_html(plan)
        return PlanDocuments(html, pdf_document(
            build_referral_view(plan).title, html, lambda name: 1.0, stylesheet(),
            render_referral_html(plan, inline_css=False)))
    view = build_view(plan, library)
    html = plan_document(view, view.weeks, cover=True, guide=True)
    # The guide and the intro name no runner: runners with the same exercises, or the same
    # kinds of session, share their pages, laid out in a frame that names no runner. Each
    # unit carries its own page header, so the frame's title never shows.
    anonymous = replace(view, title="backstride: exercise guide", name="Exercise guide",
                        cover=None, weeks=[])
    frame = plan_document(view, [], cover=False, guide=False, inline_css=False)
    shared_frame = plan_document(anonymous, [], cover=False, guide=False, inline_css=False)
    guide_entries = sum(len(section.entries) for section in view.guide)
    costs = {"cover": COVER_IN_WEEKS, INTRO: INTRO_IN_WEEKS,
             GUIDE: guide_entries / GUIDE_ENTRIES_PER_WEEK,
             "routines": len(view.routines) * ROUTINE_BLOCK_IN_WEEKS
             + len(view.cross_training.entries if view.cross_training else [])
             / GUIDE_ENTRIES_PER_WEEK}
    return PlanDocuments(html, pdf_document(view.title, html, lambda name: costs.get(name, 1.0),
                                            stylesheet(), frame, shared_frame))


def write_plan_files(
    plan: Plan,
    library: Library,
    folder: Path,
    renderer: PdfRenderer | None = None,
    earlier: CalendarHistory | None = None,
    shared_pages: Path | None = None,
) -> PlanFiles:
    """Render `plan` to plan.json, plan.html, plan.pdf and plan.ics in `folder`, atomically.

    With a `renderer`, the PDF is laid out in its worker processes, in parts; without,
    in this process, sharing the pages that name no runner (the guide, the cover's second
    page) through the folder `shared_pages` if given (see `render.pdf.write_plan_pdf`).
    `earlier` is what earlier revisions put in the calendar (see `render.ics`).
    """
    from backstride.render.pdf import write_plan_pdf

    documents = render_documents(plan, library)
    files = PlanFiles(folder, folder / "plan.json", folder / "plan.html", folder / "plan.pdf",
                      folder / "plan.ics")
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    staged_pdf = temporary_path(folder)
    staged: list[tuple[Path, Path]] = [(staged_pdf, files.pdf)]
    try:
        # The PDF first: its workers lay out pages while this process does the rest.
        if renderer is None:
            write_plan_pdf(documents.pdf, staged_pdf, shared_pages)
        else:
            finish_pdf = renderer.submit(documents.pdf, staged_pdf)
        staged.append((_stage_text(folder, plan.to_json()), files.json))
        staged.append((_stage_text(folder, documents.html), files.html))
        staged.append((_stage_calendar(folder, plan, library, earlier), files.ics))
        if renderer is not None:
            finish_pdf()
    except BaseException:
        if renderer is not None:
            renderer.abort()
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        remove_stale_temporaries(folder, ours_too=True)  # and what the workers were writing
        raise
    for temporary, final in staged:
        os.replace(temporary, final)
    return files


def write_calendar(
    plan: Plan, library: Library, path: Path, earlier: CalendarHistory | None = None
) -> None:
    """Only plan.ics, atomically (for a revision kept before calendars were written)."""
    _stage_calendar(path.parent, plan, library, earlier).replace(path)


def _stage_calendar(
    folder: Path, plan: Plan, library: Library, earlier: CalendarHistory | None
) -> Path:
    from backstride.render.ics import plan_calendar

    calendar = plan_calendar(plan, library, earlier)
    return stage_file(folder, lambda path: path.write_bytes(calendar))


def _stage_text(folder: Path, text: str) -> Path:
    return stage_file(folder, lambda path: path.write_text(text, encoding="utf-8"))
