"""The referral sheet: what a runner gets instead of a plan (red flags or pain 7+), and takes
to a doctor or physiotherapist. One page: why there is no plan, a summary for the clinician
(weekly running, what makes the back worse, conditions, pain, red flags), what to do
meanwhile, room for the clinician's clearance note, and how to start again.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.inputs.red_flags import RED_FLAGS
from backstride.plan import Plan
from backstride.render.format import format_long_date, format_profile_distance
from backstride.render.html import (
    WORSE_WITH_LABELS,
    Fact,
    build_referral_view,
)
from backstride.render.templates import environment, stylesheet

RESUME_STEPS = (
    "Once a doctor or physiotherapist has cleared you to run, update your profile (today's "
    "pain, no red flags) and ask for a new plan, which starts gently and builds up from "
    "there; in a squad, your coach plans the squad again."
)
RESUME_COMMAND = "backstride plan PROFILE --replan"


@dataclass(frozen=True)
class ReferralSheet:
    """What the referral sheet shows beyond the plan's view: for the runner and for the
    clinician they take it to."""

    date: str  # the day training stopped: the report's day, or the plan's start
    reason: str
    red_flags: list[str]  # those the reason does not already name
    summary: list[Fact]  # the runner's running and back, as the clinician needs them
    advice: str  # what to do meanwhile
    resume: str
    resume_command: str


def referral_sheet(plan: Plan) -> ReferralSheet:
    assert plan.referral is not None
    referral = plan.referral
    flags = [RED_FLAGS.get(flag, flag.replace("_", " ")) for flag in referral.red_flags]
    stopped = plan.referral_day()
    return ReferralSheet(
        date=format_long_date(stopped) if stopped else "",
        reason=referral.reason,
        # The reason usually names the signs already; a list repeating it is noise.
        red_flags=[flag for flag in flags if flag.lower() not in referral.reason.lower()],
        summary=referral_summary(plan),
        advice=referral.advice,
        resume=RESUME_STEPS,
        resume_command=RESUME_COMMAND,
    )


def referral_summary(plan: Plan) -> list[Fact]:
    """The runner's running and back in a few lines, for whoever assesses them."""
    assert plan.referral is not None
    referral, profile = plan.referral, plan.athlete
    back, units = profile.back, profile.units
    running = format_profile_distance(profile.current_weekly, units) + " a week"
    if profile.longest_recent_run is not None:
        running += (f"; longest run of the last 30 days "
                    f"{format_profile_distance(profile.longest_recent_run, units)}")
    conditions = ", ".join(c.replace("_", " ") for c in back.conditions)
    flags = "; ".join(RED_FLAGS.get(flag, flag.replace("_", " ")) for flag in referral.red_flags)
    return [
        Fact("Weekly running", running),
        Fact("What makes it worse", WORSE_WITH_LABELS.get(back.worse_with, back.worse_with)
             .removeprefix("worse with ")),
        Fact("Conditions", conditions or "none reported"),
        Fact("Pain", f"{referral.pain}/10"),
        Fact("Red flags reported", flags or "none"),
    ]


def render_referral_html(plan: Plan, inline_css: bool = True) -> str:
    """The referral sheet of `plan` (which must hold a referral) as HTML, with the
    stylesheet inlined unless `inline_css` is false (the PDF's frame)."""
    return environment().get_template("referral.html").render(
        view=build_referral_view(plan), sheet=referral_sheet(plan),
        css=stylesheet() if inline_css else None,
    )
