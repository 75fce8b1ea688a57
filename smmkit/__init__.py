"""smmkit: exact SMM KPIs and per-client HTML reports from social-network exports."""

from __future__ import annotations

from smmkit._version import __version__ as __version__
from smmkit.batch.runner import run_reports
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
