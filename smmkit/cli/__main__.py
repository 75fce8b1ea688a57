"""``python -m smmkit.cli`` runs the command line."""

from smmkit.cli import console

console()
