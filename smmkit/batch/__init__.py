"""Many clients at once: the papermill runner, fingerprints, HTML rendering, manifest and index."""

import sys

# papermill and nbconvert import nbformat, which imports jsonschema, whose format checkers import
# rfc3987_syntax when it is installed (jupyterlab's jsonschema[format-nongpl] brings it): it builds
# Lark grammars at import, ~2-3.5 s of every `smmkit run` and of each of its worker processes
# (python-jsonschema/jsonschema#1428). Nothing here checks the `iri` formats it serves (nbformat
# validates without a format checker), so the batch's own processes go without it. Never in a
# kernel (a notebook sees what it would see interactively), nor once jsonschema is imported.
if "jsonschema" not in sys.modules and "ipykernel" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
