"""The package's layers only look down, and no module imports itself back through others.

The layer contract lives in ``.importlinter`` (docs/architecture.md); ``make lint`` runs it
as ``lint-imports`` and so does this test, so ``make test`` fails on a layer violation.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contract_is_kept():
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--config", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules():
    """Late (function-level) imports count too: a cycle is a cycle whenever it runs."""
    graph = grimp.build_graph("smmkit")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(edges) == []


def _long_functions(root: Path) -> list[str]:
    """``path:line name (n lines)`` of every function or method under ``root`` longer than 60 lines."""
    long = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    long.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({length} lines)")
    return long


def test_the_long_function_finder_finds_one(tmp_path):
    def function(head: str, indent: str, lines: int) -> str:  # ``lines`` lines in all
        return head + "".join(f"{indent}x{i} = {i}\n" for i in range(lines - 1))

    (tmp_path / "pkg").mkdir()
    ok = (
        function("def ok():\n", "    ", 60)
        + "\n\nclass C:\n"
        + function("    def ok(self):\n", "        ", 60)
    )
    (tmp_path / "pkg" / "a.py").write_text(ok)
    assert _long_functions(tmp_path / "pkg") == []  # 60 lines each: allowed
    (tmp_path / "pkg" / "b.py").write_text(
        "class C:\n" + function("    async def long(self):\n", "        ", 61)
    )
    assert _long_functions(tmp_path / "pkg") == ["pkg/b.py:2 long (61 lines)"]


def test_no_function_in_the_package_is_over_60_lines():
    """Every layer of smmkit/ (the house rule of docs/architecture.md): split a long function into named steps."""
    assert _long_functions(ROOT / "smmkit") == []


def test_the_architecture_page_names_every_module_and_stays_in_the_repository():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "../" not in text, (
        "a link outside the repository"
    )  # a reader of the repository alone can follow every reference
    missing = []
    for path in sorted((ROOT / "smmkit").rglob("*.py")):
        if path.name in ("__init__.py", "_version.py"):
            continue
        # a vendor's format module is named by its vendor in the formats/ line
        name = path.stem if path.parent.name == "formats" else path.name
        if not re.search(rf"(?<![\w/]){re.escape(name)}\b", text):
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []
