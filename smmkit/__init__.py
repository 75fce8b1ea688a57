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
