"""smmkit: exact SMM KPIs and per-client HTML reports from social-network exports."""

from __future__ import annotations

from .client import Client, load_client
from .config import ClientConfig, load_config
from .engine import KPIReport, kpis
from .errors import ConfigError, FormatError, InputError, SmmkitError, UsageError
from .periods import Period
from .runner import run_reports

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

__version__ = "0.1.0"
