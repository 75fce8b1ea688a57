"""The kit uses no private attribute of another package (pandas, pyarrow, papermill, the
standard library...): an upgrade may rename or remove any of them without notice.

An AST scan of every module of ``smmkit/``: an attribute ``._name`` (one leading underscore,
not a ``__dunder__``) is allowed only on the kit's own names (``self``, ``cls``, and names
imported from ``smmkit``), and ``getattr``/``hasattr``/``setattr``/``delattr`` with a literal
``"_name"`` is never allowed (the same access, spelled to dodge the first rule). Stricter
than "pandas and papermill only": a private of the standard library breaks just the same
(``warnings._filters_mutated`` is gone from Python 3.14's ``warnings``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "smmkit"

#: Known uses still to remove, as ``"path:expression"``; empty: the kit is clean.
ALLOWED: set[str] = set()

#: Names with a leading underscore that their package documents as public: ``os._exit`` is how
#: a forked child ends ("_exit() should normally only be used in the child process after a fork()").
PUBLIC = {"os._exit"}

_ACCESSORS = {"getattr", "hasattr", "setattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _own_names(tree: ast.Module) -> set[str]:
    """``self``, ``cls`` and every name the module binds by importing from the kit."""
    own = {"self", "cls"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "smmkit":
            own |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "smmkit":
                    own.add(alias.asname or alias.name.split(".")[0])
    return own


def _owned(base: ast.expr, own: set[str]) -> bool:
    """A kit name (``self``, ``schema``), or a dotted path into the kit (``smmkit.io.fast``)."""
    if isinstance(base, ast.Name):
        return base.id in own
    while isinstance(base, ast.Attribute):
        base = base.value
    return isinstance(base, ast.Name) and base.id == "smmkit" and "smmkit" in own


def private_uses(source: str) -> list[tuple[int, str]]:
    """``(line, expression)`` of every private attribute of a foreign object in ``source``."""
    tree = ast.parse(source)
    own = _own_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if not _owned(node.value, own) and ast.unparse(node) not in PUBLIC:
                found.append((node.lineno, ast.unparse(node)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _ACCESSORS
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append((node.lineno, ast.unparse(node)))
    return found


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import pandas as pd\nx = pd.Series([1]).array._data", ["pd.Series([1]).array._data"]),
        ("def f(a):\n    return a._mask.any()", ["a._mask"]),
        (
            "def f(col):\n    return getattr(col.array, '_pa_array', None)",
            ["getattr(col.array, '_pa_array', None)"],
        ),
        ("from papermill.engines import papermill_engines as e\ne._engines", ["e._engines"]),
        ("import warnings\nwarnings._filters_mutated()", ["warnings._filters_mutated"]),
        ("from smmkit.io import schema\nschema._series('x', 0, 'UTC')", []),
        ("import smmkit.io.fast\nsmmkit.io.fast._splits", []),
        ("class A:\n    def f(self):\n        return self._x, type(self).__name__", []),
        ("class A:\n    def f(self):\n        return self.frame._mgr", ["self.frame._mgr"]),
        ("import pandas\npandas.core._config", ["pandas.core._config"]),
        ("def f(a):\n    return a.__arrow_array__(), getattr(a, 'dtype')", []),
        ("import os\nos._exit(0)", []),
        ("import atexit\natexit._clear()", ["atexit._clear"]),
    ],
)
def test_the_scan_finds_private_attributes_of_foreign_objects(source, found):
    assert [expr for _, expr in private_uses(source)] == found


def test_the_kit_touches_no_private_attribute_of_another_package():
    seen = set()
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for line, expr in private_uses(path.read_text(encoding="utf-8")):
            key = f"{rel}:{expr}"
            seen.add(key)
            if key not in ALLOWED:
                bad.append(f"{rel}:{line}: {expr}")
    assert not bad, "private attributes of other packages (use their public API):\n" + "\n".join(bad)
    assert not ALLOWED - seen, f"allowed but no longer used (remove from ALLOWED): {sorted(ALLOWED - seen)}"


def test_papermill_finds_the_engine_through_its_entry_point():
    """The kit's engine is registered by papermill from the ``papermill.engine`` entry point
    (no ``papermill_engines._engines``): the declaration, loaded as papermill loads it."""
    import tomllib
    from importlib.metadata import EntryPoint

    from papermill.engines import NBClientEngine, PapermillEngines

    from smmkit.batch import kernel

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    group = declared["project"]["entry-points"]["papermill.engine"]
    assert group == {kernel.ENGINE_NAME: "smmkit.batch.kernel:KernelEngine"}
    engines = PapermillEngines()  # papermill_engines.register_entry_points(), for this one entry point
    for name, value in group.items():
        engines.register(name, EntryPoint(name, value, "papermill.engine").load())
    engine = engines.get_engine(kernel.ENGINE_NAME)
    assert issubclass(engine, NBClientEngine) and engine.__name__ == "KernelEngine"
    assert engine is kernel.KernelEngine  # one class, however often it is asked for


def test_register_engine_keeps_the_engine_papermill_registered():
    from papermill.engines import papermill_engines

    from smmkit.batch import kernel

    assert kernel.register_engine() == kernel.ENGINE_NAME
    assert papermill_engines.get_engine(kernel.ENGINE_NAME) is kernel.KernelEngine
    assert kernel.register_engine() == kernel.ENGINE_NAME  # idempotent
    assert papermill_engines.get_engine(kernel.ENGINE_NAME) is kernel.KernelEngine


def test_papermill_registers_the_declared_entry_point_itself(tmp_path):
    """A fresh ``import papermill`` over an installed copy of the declaration (what ``pip install``
    writes into the kit's ``.dist-info``) registers the engine itself: papermill imports the kit
    while its own engines module is still loading, which must not be a circular-import error."""
    import os
    import subprocess
    import sys
    import tomllib

    group = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    info = tmp_path / "smmkit_entry_point_test-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: smmkit-entry-point-test\nVersion: 0\n")
    lines = [f"{name} = {value}" for name, value in group["papermill.engine"].items()]
    (info / "entry_points.txt").write_text("[papermill.engine]\n" + "\n".join(lines) + "\n")
    code = (
        "import papermill\n"
        "from papermill.engines import papermill_engines\n"
        "from smmkit.batch import kernel\n"
        "assert papermill_engines.get_engine(kernel.ENGINE_NAME) is kernel.KernelEngine\n"
        "print(kernel.KernelEngine.__mro__[1].__name__)\n"
    )
    path = os.pathsep.join([str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": path}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "NBClientEngine"
