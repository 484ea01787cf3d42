"""`python -m backstride` runs the CLI."""

from backstride.cli import run

run()
