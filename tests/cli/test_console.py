"""The ``smmkit`` command's entry point (``smmkit.cli.console``): main's exit code, the objects
of the command out of the collector's sight as the process ends."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

import smmkit.cli


def test_console_exits_with_main_s_code_and_freezes_what_the_command_made(monkeypatch):
    monkeypatch.setattr(smmkit.cli, "main", lambda: 3)
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as exited:
            smmkit.cli.console()
        assert exited.value.code == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this process goes on: its objects are collected again


@pytest.mark.parametrize("module", ["smmkit", "smmkit.cli"])
def test_python_dash_m_runs_the_command(module):
    done = subprocess.run(
        [sys.executable, "-m", module, "run", "--jobs", "0"], capture_output=True, text=True
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("smmkit run: error: no period given")
