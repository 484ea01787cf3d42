"""A plan's documents: plan.html, and the units its PDF is laid out from (see `render.pages`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from backstride.inputs.library import Library
from backstride.plan import Plan
from backstride.render.html import build_referral_view, build_view, plan_document, render_html
from backstride.render.pages import GUIDE, INTRO, PdfDocument, pdf_document, split_units

# Layout cost, measured in week pages (CPU time of units laid out alone, on the 12-week
# example and a plainer runner): the cover and its second page (how to use the plan, the
# reasons for each kind of session) are about one and three quarter week pages together;
# about five guide entries (a drawing, cues and the why) are one.
COVER_IN_WEEKS = 1.1
INTRO_IN_WEEKS = 0.6
GUIDE_ENTRIES_PER_WEEK = 5.0


@dataclass(frozen=True)
class PlanDocuments:
    """A plan as HTML: plan.html, and the units its PDF is laid out from (see render.pages)."""

    html: str
    pdf: PdfDocument


def render_documents(plan: Plan, library: Library) -> PlanDocuments:
    """plan.html, and the plan's PDF as units: the cover, its second page, each week and the
    guide, or the referral sheet."""
    if plan.referral is not None:
        html = render_html(plan, library)
        return PlanDocuments(html, pdf_document(build_referral_view(plan).title, html,
                                                lambda name: 1.0))
    view = build_view(plan, library)
    html = plan_document(view, view.weeks, cover=True, guide=True)
    # The guide and the intro name no runner: runners with the same exercises, or the same
    # kinds of session, share their pages. Each carries its own page header; the frame's
    # is the guide's name only because it was the first shared unit (and changing it would
    # change every stored key for nothing on the page).
    anonymous = replace(view, title="backstride: exercise guide", name="Exercise guide",
                        cover=None, weeks=[])
    shared_head, _, shared_tail = split_units(plan_document(anonymous, [], False, False))
    guide_entries = sum(len(section.entries) for section in view.guide)
    costs = {"cover": COVER_IN_WEEKS, INTRO: INTRO_IN_WEEKS,
             GUIDE: guide_entries / GUIDE_ENTRIES_PER_WEEK}
    return PlanDocuments(html, pdf_document(view.title, html, lambda name: costs.get(name, 1.0),
                                            (shared_head, shared_tail)))
