"""Why each kind of session is in a plan, in plain words (DESIGN: each prescription states
why it is there), and the plan's notes on what today's pain and the run days do to it.
`prescribe` gives every session its reason; the renderers label them. Kept apart from
`prescribe` so rendering a plan never loads the solver."""

from __future__ import annotations

from backstride.inputs.profile import Profile
from backstride.rules.triage import PainTier

WHY = {
    "easy": "Easy, conversational running builds your aerobic base with little strain on the "
    "back. Run tall, core lightly braced, with short quick steps rather than long strides.",
    "long": "The long run builds endurance. It is kept to at most 30-40% of the week and 110% "
    "of your longest run of the last 30 days, the best-supported loading rule for runners "
    "(Frandsen et al., BJSM 2025).",
    "quality": "Some faster running keeps you efficient. It is at most 20% of the week's running "
    "time (about 80% easy is convention) and never the day before or after the long run; its "
    "main set grows a little each build week.",
    "walk_run": "Walk-run intervals bring running back gently after a calm spell: from 1 minute "
    "of running to 2 of walking, to 2:1, to 4:1, then running throughout. Keep to the pain "
    "rule: at most 2 points above your usual and never above 5/10, back to usual by the next "
    "morning (pain-monitoring model).",
    "core": "Core endurance helps the trunk keep the spine steady while you run; planks, side "
    "planks, bird dogs and dead bugs train it without loading the spine into pain.",
    "strength": "Strong glutes, hips and hamstrings take load off the lower back and control "
    "the pelvis on every stride. Never on consecutive days (ACSM) or the day before the long run.",
    "mobility": "Tight hip flexors and stiff hips pull on the lower back; a few minutes of hip "
    "mobility and stretching each week keep your stride free (convention).",
    "cross_training": "Low-impact cross-training builds fitness without the pounding of "
    "running (convention).",
    "stand_in": "Low-impact cross-training stands in for running while the back calms down, "
    "matched by time (pool running 1:1, elliptical 1.2x, cycling 1.5x the running minutes; "
    "convention).",
    "walk": "Walking keeps the back moving on rest days; bed rest slows recovery (NICE NG59).",
}

# Where a run's paces come from (DESIGN: Volume and runs). No numbers: each run's own line
# gives its pace in the runner's units, and a reason names no runner (the cover's second
# page is shared by every runner with the same kinds of session).
PACE_SOURCES = {
    "race": "Paces come from your recent race by Daniels' VDOT formulas: easy running at "
    "about 66% of your VDOT, tempo at 88%, intervals at 97.5%.",
    "easy_pace": "Paces come from the easy pace in your profile; tempo, intervals and strides "
    "at set offsets faster than it (the gaps of Daniels' tables).",
    "experience": "Paces are a default for your experience; add easy_pace or recent_race to "
    "your profile for paces of your own.",
}


def triage_notes(profile: Profile, tier: PainTier) -> list[str]:
    """The cover's note on what today's pain does to the plan's first week."""
    if tier is PainTier.CALM_NO_RUNNING:
        return [
            f"Pain {profile.back.pain}/10 today: week 1 is a calm week without running "
            "(walks and low-impact cross-training), then a walk-run return at about half "
            "your usual volume."
        ]
    if tier is PainTier.CALM_HALF_RUNNING:
        return [
            f"Pain {profile.back.pain}/10 today: week 1 is a calm week with running cut to "
            "about half and no long or quality runs."
        ]
    return []


def run_day_notes(profile: Profile) -> list[str]:
    """The cover's note for a runner with too few run days for a long run."""
    if len(profile.run_days) <= 2:
        return [
            "With two run days or fewer there is no long run: each run would be over 40% "
            "of the week. A third run day spreads the load and allows one."
        ]
    return []
