"""The lean install (issue 25): what each install holds, and that the Makefile installs only it.

requirements.txt (= pyproject's ``dependencies``) is what rendering needs: every third-party
package that smmkit/ or notebooks/ import, and the few the kit needs without importing them,
each under a ``# Not imported:`` comment saying why. The Dask executor's imports
(smmkit/batch/cluster.py) come with the ``[dask]`` extra. constraints.txt pins all of it.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = "smmkit/batch/cluster.py"
PDF = "smmkit/batch/pdf.py"
INSTALL_FILES = ["Makefile", "requirements.txt", "requirements-dev.txt", "requirements-lab.txt"]
INSTALL_FILES += ["constraints.txt", "pyproject.toml"]


def normalize(name: str) -> str:
    """PEP 503 normalized distribution name (``Jupyter_Client`` -> ``jupyter-client``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_requirements(path: Path) -> dict[str, tuple[Requirement, bool]]:
    """Requirement lines of ``path`` (following ``-r``) by normalized name.

    The flag says whether a ``# Not imported:`` comment stands in the comment block above it.
    """
    found: dict[str, tuple[Requirement, bool]] = {}
    comments: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            comments.append(line)
            continue
        if line.startswith("-r "):
            found.update(read_requirements(path.parent / line[3:].strip()))
        elif line:
            req = Requirement(line)
            found[normalize(req.name)] = (req, any(c.startswith("# Not imported:") for c in comments))
        comments = []
    return found


def third_party_imports(source: str) -> set[str]:
    """Top-level names of the absolute imports in ``source`` that are neither stdlib nor smmkit."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "smmkit"}


def runtime_imports(root: Path) -> dict[str, set[str]]:
    """Every third-party import of ``root``'s smmkit/ and notebooks/, with the files importing it."""
    sources = [(p, p.read_text(encoding="utf-8")) for p in sorted((root / "smmkit").rglob("*.py"))]
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for cell in (c for c in cells if c["cell_type"] == "code"):
            lines = "".join(cell["source"]).splitlines()
            sources.append((nb, "\n".join(ln for ln in lines if not ln.lstrip().startswith(("%", "!")))))
    imports: dict[str, set[str]] = {}
    for path, source in sources:
        for name in third_party_imports(source):
            imports.setdefault(name, set()).add(path.relative_to(root).as_posix())
    return imports


@functools.cache
def installed_modules() -> dict[str, list[str]]:
    """Top-level module -> the installed distributions providing it (scans every one: cached)."""
    return importlib.metadata.packages_distributions()


def distributions_of(module: str) -> set[str]:
    """Normalized names of the installed distributions that provide top-level ``module``."""
    return {normalize(d) for d in installed_modules().get(module, [])}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_every_runtime_import_is_required():
    runtime = read_requirements(ROOT / "requirements.txt")
    dask_extra = {normalize(Requirement(r).name) for r in pyproject()["optional-dependencies"]["dask"]}
    pdf_extra = {normalize(Requirement(r).name) for r in pyproject()["optional-dependencies"]["pdf"]}
    imports = runtime_imports(ROOT)
    assert {"pandas", "pyarrow", "papermill", "yaml"} <= imports.keys()  # the scan sees the kit's imports
    missing = []
    for module, files in sorted(imports.items()):
        dists = distributions_of(module)
        extra = dask_extra if files == {CLUSTER} else pdf_extra if files == {PDF} else set()
        allowed = set(runtime) | extra
        if not dists & allowed:
            where = ", ".join(sorted(files))
            missing.append(f"{where}: imports {module} ({', '.join(sorted(dists)) or 'not installed'})")
    assert not missing, (
        "not in requirements.txt (or, for the Dask executor, the [dask] extra):\n" + "\n".join(missing)
    )


def test_every_requirement_is_imported_or_says_why():
    imported = set().union(*(distributions_of(m) for m in runtime_imports(ROOT)))
    unexplained = [
        str(req)
        for name, (req, explained) in read_requirements(ROOT / "requirements.txt").items()
        if name not in imported and not explained
    ]
    assert not unexplained, f"requirements.txt lists what smmkit/ and notebooks/ never import: {unexplained}"


def test_dask_extra_is_what_the_cluster_executor_imports():
    extra = {normalize(Requirement(r).name) for r in pyproject()["optional-dependencies"]["dask"]}
    cluster = third_party_imports((ROOT / CLUSTER).read_text(encoding="utf-8"))
    assert extra == set().union(*(distributions_of(m) for m in cluster)) == {"dask", "distributed"}


def test_pdf_extra_is_what_the_pdf_module_imports_and_make_test_has_it():
    extra = {normalize(Requirement(r).name) for r in pyproject()["optional-dependencies"]["pdf"]}
    pdf = third_party_imports((ROOT / PDF).read_text(encoding="utf-8"))
    assert extra == set().union(*(distributions_of(m) for m in pdf)) == {"playwright"}
    assert extra <= read_requirements(ROOT / "requirements-dev.txt").keys()  # `make test` installs it


def test_pyproject_dependencies_are_requirements_txt():
    declared = {normalize(Requirement(r).name): str(Requirement(r)) for r in pyproject()["dependencies"]}
    listed = {name: str(req) for name, (req, _) in read_requirements(ROOT / "requirements.txt").items()}
    assert declared == listed


def test_rendering_needs_neither_the_test_stack_nor_jupyterlab():
    runtime = read_requirements(ROOT / "requirements.txt").keys()
    assert not runtime & {"pytest", "playwright", "ruff", "hypothesis", "distributed", "jupyterlab"}
    assert "jupyterlab" in read_requirements(ROOT / "requirements-lab.txt")
    dev = read_requirements(ROOT / "requirements-dev.txt")
    assert {"pytest", "playwright", "ruff", "distributed"} <= dev.keys() and runtime <= dev.keys()


def test_constraints_pin_every_requirement():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            req = Requirement(line)
            pins[normalize(req.name)] = str(req.specifier)
    names = set()
    for file in ("requirements.txt", "requirements-dev.txt", "requirements-lab.txt"):
        names |= read_requirements(ROOT / file).keys()
    for extra in pyproject()["optional-dependencies"].values():
        names |= {normalize(Requirement(r).name) for r in extra}
    unpinned = sorted(n for n in names if not pins.get(n, "").startswith("=="))
    assert not unpinned, f"constraints.txt pins no version of {unpinned}"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"^\t\$\(PIP\) -r (\S+)(.*)$", makefile, re.M)
    assert sorted(f for f, _ in installs) == [
        "requirements-dev.txt",
        "requirements-lab.txt",
        "requirements.txt",
    ]
    assert all("-c constraints.txt" in rest for _, rest in installs)


# The Makefile's stamps, dry-run (make -n) in a copy of the install files with a stand-in venv.


@pytest.fixture
def project(tmp_path: Path) -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in INSTALL_FILES:
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def make_venv(project: Path, *stamps: str) -> None:
    """A stand-in .venv with ``stamps`` (runtime, dev, lab) newer than every install file."""
    (project / ".venv/bin").mkdir(parents=True)
    (project / ".venv/bin/python").write_text("#!/bin/sh\nexit 1\n")
    (project / ".venv/bin/python").chmod(0o755)
    newest = max((project / n).stat().st_mtime for n in INSTALL_FILES)
    for i, stamp in enumerate(stamps, start=1):
        path = project / f".venv/.installed-{stamp}"
        path.touch()
        os.utime(path, (newest + i, newest + i))


def pip_installs(project: Path, target: str) -> list[str]:
    """The pip install lines ``make -n TARGET`` would run (``-r`` file, or the kit itself)."""
    out = subprocess.run(["make", "-n", target], cwd=project, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return [m.group(1) for m in re.finditer(r"pip install .*?(--upgrade pip|-r \S+|-e \.)", out.stdout, re.M)]


def test_fresh_reports_installs_only_the_runtime(project: Path):
    assert pip_installs(project, "reports") == ["--upgrade pip", "-r requirements.txt", "-e ."]


def test_a_fresh_venv_drops_the_setuptools_python_bundles_before_installing(project: Path):
    out = subprocess.run(["make", "-n", "reports"], cwd=project, capture_output=True, text=True).stdout
    steps = [ln for ln in out.splitlines() if " -m pip " in ln]
    assert "uninstall --quiet --yes setuptools" in steps[1] and "--upgrade pip" in steps[0]
    assert "-r requirements.txt" in steps[2]


def test_no_installed_package_needs_setuptools_to_run():
    """The runtime venv has no setuptools (the Makefile uninstalls Python 3.11's): nothing installed
    may require it outside an extra (a build of the kit gets its own, pyproject's [build-system])."""
    needing = [
        dist.metadata["Name"]
        for dist in importlib.metadata.distributions()
        for req in map(Requirement, dist.requires or [])
        if normalize(req.name) == "setuptools" and (req.marker is None or req.marker.evaluate({"extra": ""}))
    ]
    assert not needing, f"these require setuptools at run: {needing}"


def test_reports_after_test_installs_nothing(project: Path):
    make_venv(project, "runtime", "dev")
    assert pip_installs(project, "reports") == []
    assert pip_installs(project, "install-dev") == []
    assert pip_installs(project, "test-fast") == []


def test_test_after_reports_installs_only_the_test_stack(project: Path):
    make_venv(project, "runtime")
    assert pip_installs(project, "install-dev") == ["-r requirements-dev.txt"]
    assert pip_installs(project, "lint") == ["-r requirements-dev.txt"]
    assert pip_installs(project, "reports") == []


def test_lab_adds_only_jupyterlab(project: Path):
    make_venv(project, "runtime", "dev")
    assert pip_installs(project, "lab") == ["-r requirements-lab.txt"]


def test_test_installs_jupyterlab_too_for_the_browser_tests_that_drive_it(project: Path):
    make_venv(project, "runtime", "dev")
    assert pip_installs(project, "test") == ["-r requirements-lab.txt"]


def test_a_changed_requirement_reinstalls_what_depends_on_it(project: Path):
    make_venv(project, "runtime", "dev")
    later = (project / ".venv/.installed-dev").stat().st_mtime + 10
    os.utime(project / "requirements.txt", (later, later))
    assert pip_installs(project, "install-dev") == ["-r requirements.txt", "-e .", "-r requirements-dev.txt"]


@pytest.mark.slow
def test_install_writes_the_bytecode_of_what_a_run_imports_and_only_that(tmp_path: Path):
    """``make install`` runs scripts/compile_runtime.py: the ``.pyc`` of the stack's modules that a
    run's processes import (the forkserver's, the worker's, a kernel's) are written, whatever
    PYTHONDONTWRITEBYTECODE says, and not those of the rest of the stack (the runtime venv stays
    lean). Written here under a PYTHONPYCACHEPREFIX, so this venv's own .pyc are neither seen nor
    touched."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(STAMP_RUN):", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/python scripts/compile_runtime.py" in recipe
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "compile_runtime.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    site = Path(sysconfig.get_path("purelib")).resolve()

    def compiled(module: str) -> bool:  # where cache_from_source puts it under the prefix
        source = (site / module).relative_to(site.anchor)
        return (tmp_path / source.parent / f"{source.stem}.{sys.implementation.cache_tag}.pyc").is_file()

    imported = ["pandas/core/frame.py", "matplotlib/pyplot.py", "papermill/execute.py", "nbconvert/exporters/html.py",
                "ipykernel/kernelapp.py", "IPython/core/oinspect.py", "matplotlib_inline/backend_inline.py",
                "pyarrow/pandas_compat.py", "openpyxl/workbook/workbook.py"]  # fmt: skip
    assert [m for m in imported if not compiled(m)] == []
    never = [
        "pyarrow/flight.py",
        "matplotlib/backends/backend_pdf.py",
        "IPython/terminal/interactiveshell.py",
    ]
    assert [m for m in never if compiled(m)] == []


def test_install_removes_the_test_suites_the_stack_ships_and_nothing_else(tmp_path: Path):
    """``make install`` runs scripts/prune_runtime.py: a ``tests``/``test`` folder inside a package
    goes (pandas' 15 MB, numpy's per subpackage, tornado's ``test``); a package's own code named
    like one (jinja2's ``tests.py``, numpy's ``testing``), a top-level ``tests`` folder, pip,
    jedi's stubs and a linked folder stay."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(STAMP_RUN):", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("scripts/prune_runtime.py") < recipe.index("scripts/compile_runtime.py")
    site = tmp_path / "site-packages"
    files = ["pandas/__init__.py", "pandas/tests/__init__.py", "pandas/tests/frame/test_api.py",
             "pandas/core/frame.py", "numpy/__init__.py", "numpy/_core/__init__.py", "numpy/_core/tests/test_a.py",
             "numpy/testing/__init__.py", "numpy/testing/tests/test_utils.py", "tornado/__init__.py",
             "tornado/test/__init__.py", "jinja2/__init__.py", "jinja2/tests.py", "tests/__init__.py",
             "pip/__init__.py", "pip/_vendor/certifi/__init__.py", "pip/_vendor/certifi/tests/__init__.py",
             "jedi/__init__.py", "jedi/third_party/typeshed/stubs/b/b/test/__init__.pyi",
             "outside/pkg/__init__.py", "outside/pkg/tests/test_b.py", "linked/__init__.py"]  # fmt: skip
    for name in files:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x = 1\n", encoding="utf-8")
    (site / "linked" / "tests").symlink_to(site / "outside" / "pkg" / "tests", target_is_directory=True)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "prune_runtime.py"), str(site)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("removed 5 test suites")
    left = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    gone = {"pandas/tests/__init__.py", "pandas/tests/frame/test_api.py", "numpy/_core/tests/test_a.py",
            "numpy/testing/tests/test_utils.py", "tornado/test/__init__.py", "outside/pkg/tests/test_b.py"}  # fmt: skip
    assert left == sorted(set(files) - gone)
    assert (site / "linked" / "tests").is_symlink()
