"""smmkit: exact SMM KPIs and per-client HTML reports from social-network exports."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from smmkit._version import __version__ as __version__
from smmkit.errors import ConfigError, FormatError, InputError, SmmkitError, UsageError

if TYPE_CHECKING:
    from smmkit.batch.runner import run_reports
    from smmkit.config import ClientConfig, load_config
    from smmkit.io.client import Client
    from smmkit.io.loading import load_client
    from smmkit.kpi.engine import KPIReport, kpis
    from smmkit.kpi.periods import Period

#: The public names imported on first use (PEP 562), each from its module: ``import smmkit``
#: (and so any ``smmkit.*`` module: the command line, the batch's worker processes) costs no
#: pandas, and the batch layer, whose nbformat and jsonschema take seconds to import, is only
#: imported by what runs reports, never by a notebook kernel or ``smmkit kpis``.
_LAZY = {
    "ClientConfig": "smmkit.config",
    "load_config": "smmkit.config",
    "Client": "smmkit.io.client",
    "load_client": "smmkit.io.loading",
    "KPIReport": "smmkit.kpi.engine",
    "kpis": "smmkit.kpi.engine",
    "Period": "smmkit.kpi.periods",
    "run_reports": "smmkit.batch.runner",
}


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
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'smmkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
