"""Issue 23: no client fails for lack of data, whatever subset of the demo data it has.

Hypothesis builds clients from random subsets of a demo client's networks, sources and days
(:class:`scripts.demo_data.sparse.Sparse`): none in the period, one day, one post, every number
0, sources that stop months early, only ads, only web, nothing at all. Each example renders
all five pages of three such clients through one ``smmkit run`` and asserts: every client is
ok, every page is written, no cell output is an error, every number a page marks is the one of
``smmkit kpis --format json`` and every null of the JSON that a page shows reads "n/a".

``make test`` runs :data:`EXAMPLES` examples, derandomized (the runner is slow); set
``SMMKIT_SPARSE_EXAMPLES=50`` for a longer search.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support.sparse_pages import PAGES, check_client_pages

from scripts.demo_data.sparse import SOURCES, Sparse, base_numbers, build_sparse
from smmkit.batch.runner import run_reports
from smmkit.kpi.periods import Period

EXAMPLES = int(os.environ.get("SMMKIT_SPARSE_EXAMPLES", "3"))
START, END = "2026-10-01", "2026-10-31"
PERIOD = Period(dt.date.fromisoformat(START), dt.date.fromisoformat(END))
BASES = ("nimbus-crm", "coffee-point", "atelier-nord")
#: (start, end) of a client's rows against the October 2026 period.
RANGES = {
    "all": ("2025-07-01", "2026-10-31"),
    "period": (START, END),
    "one day": ("2026-10-14", "2026-10-14"),
    "before": ("2026-06-01", "2026-08-31"),  # none in the period, nor in the previous one
    "ends mid-period": ("2026-08-01", "2026-10-09"),
    "starts mid-period": ("2026-10-20", "2026-10-31"),
}


@st.composite
def sparse_clients(draw: st.DrawFn, slug: str) -> Sparse:
    """One sparse client: a demo client's networks, sources and days, some cases weighted in."""
    base = draw(st.sampled_from(BASES))
    nets = [n.network for n in base_numbers(base)[0].nets]
    shape = draw(st.sampled_from(["any", "only ads", "only web", "nothing", "one post", "zeros", "stale"]))
    networks = tuple(draw(st.lists(st.sampled_from(nets), unique=True, max_size=len(nets))))
    sources = tuple(draw(st.lists(st.sampled_from(SOURCES), unique=True, max_size=len(SOURCES))))
    start, end = RANGES[draw(st.sampled_from(sorted(RANGES)))]
    spec = {"slug": slug, "base": base, "networks": networks, "sources": sources, "start": start, "end": end}
    if shape == "only ads":  # nimbus-crm and coffee-point run ads in October 2026
        spec |= {"base": "nimbus-crm", "networks": (), "sources": ("ads",), "start": "2025-07-01"}
    elif shape == "only web":
        spec |= {"networks": (), "sources": ("web",)}
    elif shape == "nothing":
        spec |= {"networks": (), "sources": ()}
    elif shape == "one post":
        spec |= {"networks": networks[:1] or (nets[0],), "sources": ("posts",), "max_posts": 1}
    elif shape == "zeros":
        spec |= {"zeros": True}
    elif shape == "stale":
        spec |= {"stale": sources[: draw(st.integers(0, len(sources)))], "stale_end": "2026-03-31"}
    if draw(st.booleans()):  # posts stop: the rest of the range is quiet
        spec["posts_until"] = draw(st.sampled_from(["2026-09-30", "2026-10-10"]))
    return Sparse(**spec)


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example is a run of minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(specs=st.tuples(*(sparse_clients(f"sparse-{i}") for i in range(3))))
def test_any_subset_of_the_demo_data_renders_true_pages(specs):
    with tempfile.TemporaryDirectory(prefix="smmkit-sparse-") as tmp:
        clients, out = Path(tmp) / "clients", Path(tmp) / "reports"
        for spec in specs:
            build_sparse(spec, clients)
        stderr = io.StringIO()
        result = run_reports(clients_dir=clients, period=PERIOD, out=out, jobs=2, timeout=300,
                             stdout=io.StringIO(), stderr=stderr)  # fmt: skip
        assert [(c.slug, c.status) for c in result.clients] == [(s.slug, "ok") for s in specs], (
            specs,
            stderr.getvalue(),
        )
        assert result.exit_code == 0
        for spec in specs:
            folder = result.period_dir / spec.slug
            for name in PAGES:
                assert (folder / f"{name}.html").is_file(), (spec, name)
            for nb_path in folder.glob("*.ipynb"):
                nb = nbformat.read(str(nb_path), as_version=4)
                outputs = [o for c in nb.cells for o in c.get("outputs", [])]
                assert not [o for o in outputs if o.get("output_type") == "error"], (spec, nb_path.name)
            check_client_pages(folder, clients / spec.slug, START, END)
