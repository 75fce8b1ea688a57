"""smmkit: exact SMM KPIs and per-client HTML reports from social-network exports."""

from __future__ import annotations

from smmkit._version import __version__ as __version__
from smmkit.config import ClientConfig, load_config
from smmkit.errors import ConfigError, FormatError, InputError, SmmkitError, UsageError
from smmkit.io.client import Client
from smmkit.io.loading import load_client
from smmkit.kpi.engine import KPIReport, kpis
from smmkit.kpi.periods import Period


def _register_notebook_display() -> None:
    """In a running IPython (a notebook), show results richly (:mod:`smmkit.report.display`).

    Only when IPython is already loaded and running, so the command line pays nothing for it.
    """
    import sys

    ipython = sys.modules.get("IPython")
    if ipython is not None and ipython.get_ipython() is not None:
        import smmkit.report.display  # noqa: F401  (registers on import)


_register_notebook_display()


def __getattr__(name: str):
    # ``smmkit.run_reports`` on first use: the batch layer imports nbformat and jsonschema, whose
    # format checkers take seconds to import, which a notebook kernel or `smmkit kpis` never needs.
    if name == "run_reports":
        from smmkit.batch.runner import run_reports

        return run_reports
    raise AttributeError(f"module 'smmkit' has no attribute {name!r}")


__all__ = [
    "Client",
    "ClientConfig",
    "ConfigError",
    "FormatError",
    "InputError",
    "KPIReport",
    "Period",
    "SmmkitError",
    "UsageError",
    "kpis",
    "load_client",
    "load_config",
    "run_reports",
]
