"""Asking a new runner, on a terminal, for the values every profile needs (`backstride
init`); each answer is checked as it is typed and a wrong one is asked again."""

from __future__ import annotations

import click

from backstride.inputs.profile import UNIT_SPELLINGS, normalise_weekday, profile_template
from backstride.inputs.yamlio import parse_yaml_text


def ask_profile_answers() -> dict[str, str | float | list[str]]:
    """The values every runner gives, asked with the template's as defaults."""
    template = parse_yaml_text(profile_template(), "the profile template")
    name = click.prompt("Your name")
    units = click.prompt("Units for distances, km or mi", default=template["units"],
                         value_proc=_units)
    distance = click.FloatRange(min=0, min_open=True)
    return {
        "name": name,
        "units": units,
        "current_weekly": click.prompt(f"Distance you run a week now, in {units}",
                                       default=template["current_weekly"], type=distance),
        "goal_weekly": click.prompt(f"Weekly distance to work towards, in {units}",
                                    default=template["goal_weekly"], type=distance),
        "run_days": click.prompt("Days you can run", default=", ".join(template["run_days"]),
                                 value_proc=_weekdays),
    }


def _units(text: str) -> str:
    unit = UNIT_SPELLINGS.get(text.strip().lower())
    if unit is None:
        raise click.BadParameter(f"{text!r}: answer km or mi")
    return unit


def _weekdays(text: str) -> list[str]:
    """Days as a runner types them (`tue, thu, sun`, `Tuesday Thursday`); a wrong one is
    asked again."""
    try:
        days = [normalise_weekday(day) for day in text.replace(",", " ").split()]
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if not days:
        raise click.BadParameter("name at least one day")
    return days
