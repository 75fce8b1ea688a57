"""The social source mapping of metrics.md (release 3): short UTM sources, bare names, LinkedIn's
country subdomains, any case and any medium."""

from __future__ import annotations

import pytest

from smmkit.io.formats import by_name
from smmkit.io.formats.base import LoadContext
from smmkit.io.readers import read_file
from smmkit.io.sources import social_network


@pytest.mark.parametrize(
    ("source", "network"),
    [
        ("fb", "facebook"),
        ("FB / paid", "facebook"),
        ("fb / cpc", "facebook"),
        ("ig", "instagram"),
        ("IG / social", "instagram"),
        ("linkedin", "linkedin"),
        ("LinkedIn / Post", "linkedin"),
        ("linkedin / paid", "linkedin"),
        ("de.linkedin.com", "linkedin"),
        ("de.linkedin.com / referral", "linkedin"),
        ("UK.LinkedIn.com", "linkedin"),
        ("https://fr.linkedin.com/feed/", "linkedin"),
        ("lnkd.in / referral", "linkedin"),
        ("utm_source=fb", "facebook"),
    ],
)
def test_release_3_sources_map_to_their_network(source: str, network: str) -> None:
    assert social_network(source) == network


@pytest.mark.parametrize(
    "source", ["notlinkedin.com", "linkedin.com.evil.example", "fbx", "igloo.com", "google"]
)
def test_lookalike_sources_are_not_social(source: str) -> None:
    assert social_network(source) is None


def test_ga4_table_sums_sessions_by_mapped_network(tmp_path) -> None:
    path = tmp_path / "traffic.csv"
    path.write_text(
        "# ----------------------------------------\n"
        "# Traffic acquisition: Session source / medium\n"
        "# Start date: 20261001\n"
        "# End date: 20261031\n"
        "# ----------------------------------------\n"
        "\n"
        "Date,Session source / medium,Session primary channel group (Default Channel Group),Users,Sessions\n"
        "20261001,fb / paid,Paid Social,3,4\n"
        "20261001,FB / cpc,Paid Social,1,2\n"
        "20261002,LinkedIn / Post,Organic Social,5,7\n"
        "20261002,de.linkedin.com / referral,Referral,1,1\n"
        "20261003,ig / social,Organic Social,2,3\n"
        "20261003,google / organic,Organic Search,9,11\n",
        encoding="utf-8",
    )
    raw = read_file(path)
    web = by_name("ga4").load(raw, LoadContext())["web"]
    networks = web["network"].astype("string")
    sessions = web.groupby(networks)["sessions"].sum()
    assert sessions.to_dict() == {"facebook": 6, "instagram": 3, "linkedin": 8}
    assert web.loc[networks.isna(), "sessions"].tolist() == [11]
