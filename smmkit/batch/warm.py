"""What every process of a local run needs, imported once (Linux): the forkserver's preload.

``smmkit run`` forks its worker processes from a forkserver (:mod:`multiprocessing.forkserver`)
that imported this module first: the worker's stack (papermill, nbconvert with the report
template compiled, jupyter_client) and the kernels' (pandas, matplotlib, seaborn, the kit,
ipykernel without its debugger: :func:`smmkit.batch.template.import_warm_modules`). A worker
then forks its kernel template from itself (:func:`smmkit.batch.template._fork_template`), so
in a whole run only the forkserver pays the imports: before, each worker and each worker's
template imported them again.

Importing this module has no effect beyond the imports and the garbage collector's pause
during them, ``gc.freeze`` after (:func:`smmkit.batch.template.kept_out_of_collection`):
what they made lives as long as the run, out of the collector's sight (and its writes: a
forked process shares those pages with the forkserver); then the collector's young generation
is raised for the run (:func:`smmkit.batch.template.collect_less`).
"""

from __future__ import annotations

import importlib

from smmkit.batch.template import collect_less, import_warm_modules, kept_out_of_collection
from smmkit.batch.worker import KERNEL_ENV, _kernel_env
from smmkit.catalogue import LANGUAGES

__all__ = ["IMPORT_ENV", "WORKER_MODULES"]

#: The environment the imports ran under (``MPLBACKEND``: how matplotlib was imported): a worker
#: forks its template from itself only for kernels of this environment.
IMPORT_ENV: dict[str, str] = dict(KERNEL_ENV)

#: What a worker imports to run and render a client.
WORKER_MODULES = (
    "smmkit.batch.worker",
    "smmkit.batch.render",
    "papermill",
    "nbformat",
    "nbclient",
    "jupyter_client.manager",
    "jupyter_client.asynchronous",
)


def _warm_up() -> None:
    with kept_out_of_collection():  # what the warm-up makes lives as long as the run
        _import_and_compile()
    collect_less()  # for the workers, templates and kernels it forks


def _import_and_compile() -> None:
    with _kernel_env():  # IMPORT_ENV while importing
        for module in WORKER_MODULES:
            importlib.import_module(module)
        import_warm_modules()
    import nbformat

    from smmkit.batch.kernel import register_engine
    from smmkit.batch.render import render_notebook
    from smmkit.batch.template import _manager_class

    register_engine()
    _manager_class()
    # an empty page rendered in each language (an exporter each) compiles the report template
    # and the nbconvert templates it extends, which load on first render; and nbformat's
    # validator of version 4.5 is built (papermill and nbconvert validate every notebook):
    # each was 0.1-0.2 s of CPU in every worker
    page = nbformat.v4.new_notebook()
    nbformat.validate(page)
    for lang in LANGUAGES:  # an exporter per language
        render_notebook(page, client_name="", page_title="", lang=lang)


_warm_up()
