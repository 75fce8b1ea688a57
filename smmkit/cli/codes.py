"""The command line's exit codes (data-contract.md section 3) and its output formats."""

from __future__ import annotations

__all__ = ["EXIT_INPUT", "EXIT_OK", "EXIT_SPIKES", "EXIT_USAGE", "KPI_FORMATS"]

#: All good; some input unusable (or some client failed); a usage error; ``smmkit alerts``:
#: something to look at.
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_SPIKES = 0, 1, 2, 3
#: ``smmkit kpis --format``.
KPI_FORMATS: tuple[str, ...] = ("json", "csv", "table")
