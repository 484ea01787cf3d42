"""Triage before planning: refer, calm things down, or carry on.

The tiers follow the pain-monitoring model (Silbernagel 2007) as DESIGN.md
states them; red flags always mean referral, never a plan.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from backstride.inputs.profile import BackStatus
from backstride.inputs.red_flags import RED_FLAGS
from backstride.plan import Referral

# Loaded flexion with rotation (Russian twist, bicycle crunch) carries the contraindication
# `recent_pain`: not for a back with pain above 2 at planning, or within 4 weeks of a
# flare-up report (DESIGN: The back; a disc condition is a diagnosis id of its own).
RECENT_PAIN = "recent_pain"
MAX_PAIN_FOR_LOADED_ROTATION = 2
RECENT_FLARE_UP = dt.timedelta(weeks=4)

SEVERE_PAIN = 7
# Whatever the reason for a referral: movement within comfort, never bed rest (NICE NG59).
GENTLY_ACTIVE = (
    "short walks and everyday movement within comfort. Avoid bed rest, which slows recovery; "
    "no running, strength or core training until you are cleared."
)


class PainTier(Enum):
    REFER = "refer"  # any red flag or pain 7+: see a professional, no training
    CALM_NO_RUNNING = "calm_no_running"  # pain 5-6: a calm week without running, then walk-run
    CALM_HALF_RUNNING = "calm_half_running"  # pain 3-4: running cut to about half, easy only
    CONTINUE = "continue"  # pain 0-2: train as planned


def pain_tier(back: BackStatus) -> PainTier:
    if back.red_flags or back.pain >= SEVERE_PAIN:
        return PainTier.REFER
    if back.pain >= 5:
        return PainTier.CALM_NO_RUNNING
    if back.pain >= 3:
        return PainTier.CALM_HALF_RUNNING
    return PainTier.CONTINUE


def referral_for(back: BackStatus) -> Referral:
    """The advice given instead of a plan."""
    if back.red_flags:
        signs = "; ".join(RED_FLAGS[flag] for flag in back.red_flags)
        reason = f"Red flag reported: {signs}."
        advice = (
            "These signs need to be checked by a doctor before any training. Please see a "
            "healthcare professional promptly; if you have numbness in the saddle area or a "
            "change in bladder or bowel control, seek urgent care today. Until then, stay "
            f"gently active: {GENTLY_ACTIVE}"
        )
    else:
        reason = f"Pain reported at {back.pain} out of 10."
        advice = (
            "Pain this strong should be assessed by a doctor or physiotherapist before you "
            f"train: book an appointment. Meanwhile, stay gently active: {GENTLY_ACTIVE}"
        )
    return Referral(reason=reason, advice=advice, red_flags=list(back.red_flags), pain=back.pain)
