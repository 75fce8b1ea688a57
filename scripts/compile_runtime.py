"""Write the bytecode (``.pyc``) of every installed module that ``smmkit run`` imports (``make install``).

The runtime venv is installed with ``pip --no-compile``: compiling the whole stack up front would
add ~130 MB of ``.pyc`` that no run reads. Python then writes a module's ``.pyc`` the first time a
run imports it, unless bytecode writing is off (``PYTHONDONTWRITEBYTECODE``, common in containers
and CI images): then every process of every run compiled pandas, matplotlib, nbconvert... from
source again (a forkserver's imports took 4.7 s instead of 1.7 s; the 3 demo clients 12.8 s
instead of 9.0 s). This script imports what a run's processes import (the forkserver's
:mod:`smmkit.batch.warm`, which is the worker's and the kernel template's imports, and what a
kernel imports as it starts or as the notebooks run) and compiles exactly those modules (``compileall``): ~36 MB.

    .venv/bin/python scripts/compile_runtime.py
"""

from __future__ import annotations

import compileall
import contextlib
import importlib
import sys
import sysconfig
from pathlib import Path

#: What a kernel imports after it is forked from the template, beyond :mod:`smmkit.batch.warm`:
#: the kernel application's own (``matplotlib_inline.backend_inline`` is never imported by the
#: template: it hooks figures into the running IPython) and the readers' and pages' lazy imports.
#: Listed from the modules a demo run imported that the warm set lacks; one no longer found
#: (another version of a library) is skipped.
KERNEL_MODULES = (
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.core.pylabtools",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "matplotlib_inline.backend_inline",
    "tornado.platform.asyncio",
    "zmq.utils.garbage",
    "pandas.core.methods.to_dict",
    "pandas.core.reshape.reshape",
    "pandas.core.arrays.arrow.extension_types",
    "pyarrow.pandas_compat",
    "openpyxl.packaging.extended",
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PpmImagePlugin",
)


def run_modules() -> list[str]:
    """Import what a run imports; return the source files of every module now imported."""
    import smmkit.batch.warm  # noqa: F401 - the forkserver's imports (and its warm-up)

    for name in KERNEL_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    return sorted({f for m in list(sys.modules.values()) if (f := getattr(m, "__file__", None))})


def compile_installed(files: list[str], site: Path) -> None:
    """Write the ``.pyc`` of each ``.py`` of ``files`` under ``site`` (``compileall`` skips one whose
    ``.pyc`` is up to date, and writes whatever PYTHONDONTWRITEBYTECODE says)."""
    for file in files:
        if file.endswith(".py") and Path(file).resolve().is_relative_to(site):
            compileall.compile_file(file, quiet=2)


def main() -> int:
    site = Path(sysconfig.get_path("purelib")).resolve()
    compile_installed(run_modules(), site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
