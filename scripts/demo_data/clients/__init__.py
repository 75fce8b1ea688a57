"""The three demo clients (one module each: its scenario, texts, traffic sources, notes and the
exports it writes) and the demo agency."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..scenario import Client
from . import atelier_nord, coffee_point, nimbus_crm

COFFEE, NIMBUS, ATELIER = coffee_point.CLIENT, nimbus_crm.CLIENT, atelier_nord.CLIENT
CLIENTS = (COFFEE, NIMBUS, ATELIER)

#: Per client slug: write its exports under ``<folder>/exports``, return their descriptions by path.
BUILDERS: dict[str, Callable[[Client, Path], dict[str, str]]] = {
    "coffee-point": coffee_point.build,
    "nimbus-crm": nimbus_crm.build,
    "atelier-nord": atelier_nord.build,
}

#: The analyst's notes (notes/<YYYY-MM>.md, shown on the overview under client.yaml's `analyst`).
NOTES: dict[str, dict[str, str]] = {"coffee-point": coffee_point.NOTES, "atelier-nord": atelier_nord.NOTES}

AGENCY_YAML = """\
# The agency's brand on every report page and on the index (smmkit.config.load_agency_config).
name: Northwind Social
logo: agency-logo.png
footer: "hello@northwind.example · +44 20 7946 0000"
language: en
color: "#0e7490"
"""
