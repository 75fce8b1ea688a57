"""Step 1 of a run, discover: which clients, which report notebooks, which agency brand.

Nothing here runs a notebook; every problem is a :class:`~smmkit.errors.UsageError` (the CLI
exits 2) or a :class:`~smmkit.errors.NotebookError` naming the notebook, before any work starts.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smmkit.config import (
    CLIENTS_DIR,
    check_slug,
    load_config,
)
from smmkit.errors import ConfigError, InputError, InputWarning, NotebookError, UsageError

__all__ = [
    "EXCLUDED_NOTEBOOKS",
    "RUN_PARAMETERS",
    "agency_dir",
    "check_parameters",
    "client_dirs",
    "client_brands",
    "discover_clients",
    "discover_notebooks",
]


#: The parameters the runner passes to every notebook: exactly these must be
#: declared in the notebook's ``parameters`` cell.
RUN_PARAMETERS: tuple[str, ...] = ("client_dir", "start", "end")


#: Notebooks in the notebooks folder that are not report pages.
EXCLUDED_NOTEBOOKS = ("explore.ipynb",)


_ORDER_RE = re.compile(r"^(\d+)")


def discover_clients(clients_dir: str | Path) -> list[Path]:
    """Every sub-folder of ``clients_dir`` holding a ``client.yaml``, sorted by name.

    A symbolic link to a folder is a client folder like any other, under the link's own
    name (its slug); a link that dangles or points to something else than a folder is
    skipped with an :class:`~smmkit.errors.InputWarning` naming it.

    Raises
    ------
    UsageError
        When ``clients_dir`` is not a folder or holds no client folder.
    """
    clients_dir = Path(clients_dir)
    if not clients_dir.is_dir():
        raise UsageError(f"clients folder {clients_dir} does not exist or is not a folder")
    found = []
    for p in sorted(clients_dir.iterdir()):
        if p.is_symlink() and not p.is_dir():
            target = os.readlink(p)
            why = "points to nothing (a broken link)" if not p.exists() else "points to a file, not a folder"
            warnings.warn(f"{p}: link to {target} {why}: skipped", InputWarning, stacklevel=2)
        elif p.is_dir() and (p / "client.yaml").is_file():
            found.append(p)
    if not found:
        raise UsageError(f"no client folder (a sub-folder with a client.yaml) in {clients_dir}")
    return found


def _notebook_order(path: Path) -> tuple[int, int, str]:
    m = _ORDER_RE.match(path.name)
    return (0, int(m.group(1)), path.name) if m else (1, 0, path.name)


def discover_notebooks(notebooks_dir: str | Path) -> list[Path]:
    """The report notebooks of ``notebooks_dir``, in report order.

    Every ``*.ipynb`` except names starting with ``_`` or ``.`` and
    ``explore.ipynb``; ordered by a numeric prefix (``1-overview.ipynb`` before
    ``2-networks.ipynb``), notebooks without one after those, by name.

    Raises
    ------
    UsageError
        When the folder does not exist, holds no report notebook, or two
        notebooks would give the same page name (``1-overview`` and ``overview``).
    """
    from smmkit.batch.render import page_slug

    notebooks_dir = Path(notebooks_dir)
    if not notebooks_dir.is_dir():
        raise UsageError(f"notebooks folder {notebooks_dir} does not exist or is not a folder")
    notebooks = sorted(
        (
            p
            for p in notebooks_dir.glob("*.ipynb")
            if p.is_file() and not p.name.startswith(("_", ".")) and p.name not in EXCLUDED_NOTEBOOKS
        ),
        key=_notebook_order,
    )
    if not notebooks:
        raise UsageError(f"no report notebook (*.ipynb) in {notebooks_dir}")
    seen: dict[str, Path] = {}
    for nb in notebooks:
        slug = page_slug(nb)
        if slug in seen:
            raise UsageError(f"notebooks {seen[slug].name} and {nb.name} would both render to {slug}.html")
        seen[slug] = nb
    return notebooks


def check_parameters(notebook: str | Path, parameters: Sequence[str] = RUN_PARAMETERS) -> None:
    """Check a notebook's ``parameters`` cell declares exactly ``parameters``.

    Raises
    ------
    NotebookError
        When the notebook has no cell tagged ``parameters``, does not declare a
        parameter the runner passes (papermill would only inject it and the
        notebook would not use it), or declares one the runner does not pass
        (its default would silently stand in for the client's value). The
        message names the notebook and the parameter.
    """
    import nbformat
    import papermill

    notebook = Path(notebook)
    nb = nbformat.read(str(notebook), as_version=4)
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise NotebookError(
            f"{notebook.name}: no cell tagged `parameters`; expected one assigning {', '.join(parameters)}",
            notebook=notebook.name,
        )
    declared = papermill.inspect_notebook(notebook)
    for name in parameters:
        if name not in declared:
            raise NotebookError(
                f"{notebook.name}: the `parameters` cell does not declare {name!r}; "
                f"expected exactly {', '.join(parameters)}, got {', '.join(declared) or 'nothing'}",
                notebook=notebook.name,
            )
    for name in declared:
        if name not in parameters:
            raise NotebookError(
                f"{notebook.name}: unknown parameter {name!r} in the `parameters` cell; "
                f"the runner passes exactly {', '.join(parameters)}",
                notebook=notebook.name,
            )


def client_dirs(
    client_dirs: Sequence[str | Path],
    clients_dir: str | Path | None,
    *,
    rejected: list[tuple[Path, ConfigError]] | None = None,
) -> list[Path]:
    """The client folders of a run: ``client_dirs`` when given, else those of ``clients_dir``
    (:func:`discover_clients`), each absolute with its own name as its slug (a symbolic link
    is not resolved), each slug once.

    A folder whose name is not a slug raises :class:`ConfigError`, or, when ``rejected`` is a
    list, is added to it with its error and left out (the other clients still run).

    Raises
    ------
    UsageError
        When a named folder does not exist, or two different folders have the same slug.
    """
    if client_dirs:
        dirs = [Path(d) for d in client_dirs]
        for d in dirs:
            if not d.is_dir():
                raise UsageError(f"client folder {d} does not exist or is not a folder")
    else:
        dirs = discover_clients(clients_dir if clients_dir is not None else CLIENTS_DIR)
    # absolute, not resolved: a symbolic link keeps its own name as the slug (data-contract.md:
    # the same client under every command); its target is followed only to read
    dirs = [Path(os.path.abspath(d)) for d in dirs]
    seen: dict[str, Path] = {}
    for d in dirs:
        try:
            check_slug(d.name, path=d)
        except ConfigError as exc:
            if rejected is None:
                raise
            rejected.append((d, exc))
            continue
        if d.name in seen and seen[d.name].resolve() != d.resolve():
            raise UsageError(f"two client folders have the slug {d.name!r}: {seen[d.name]} and {d}")
        seen.setdefault(d.name, d)
    return list(seen.values())


def agency_dir(client_dirs: Sequence[str | Path], clients_dir: str | Path | None) -> Path | None:
    """Where the agency's ``smmkit.yaml`` is looked for: ``clients_dir`` when given; else the one
    folder holding every client folder named in ``client_dirs``; else :data:`CLIENTS_DIR`
    when no client folder is named; None when the named clients live in different folders."""
    if clients_dir is not None:
        return Path(clients_dir)
    if not client_dirs:
        return CLIENTS_DIR
    parents = {Path(os.path.abspath(d)).parent for d in client_dirs}  # a link's own folder
    return parents.pop() if len(parents) == 1 else None


def client_brands(dirs: Sequence[Path]) -> dict[str, dict[str, Any]]:
    """slug -> ``{"color", "logo"}`` of each client's ``client.yaml: brand`` for the index's cards
    (a client whose ``client.yaml`` does not load has none: its card says why it failed)."""
    brands: dict[str, dict[str, Any]] = {}
    for d in dirs:
        try:
            config = load_config(d)
        except InputError:
            continue
        brands[d.name] = {"color": config.brand.get("color"), "logo": config.logo_path}
    return brands
