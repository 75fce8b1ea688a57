"""Post types from one catalogue (issue 24): every reader's word for a type maps onto smmkit.catalogue.POST_TYPES.

The real exports of tests/fixtures/real (and the vendor fixtures modelled on real files) name
types five ways ("video", "IG reel", "Reels", "Photos", "SharedVideo"); after loading, the
canonical ``posts.post_type`` holds the catalogue's keys only, the KPI tables group by them and
the pages name them in the client's language.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smmkit.catalogue import POST_TYPE_ALIASES, POST_TYPES, post_type_key
from smmkit.io import schema
from smmkit.io.loading import load_export
from smmkit.kpi.tables import by_post_type
from smmkit.report.i18n import Labels

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _types(path: Path) -> tuple[set[str], set[str]]:
    """The raw post types of an export and the catalogue keys the canonical table holds."""
    _fmt, tables = load_export(path, anchor_day=dt.date(2026, 11, 1))
    raw = tables["posts"]["post_type"]
    canonical = schema.conform(tables["posts"], "posts")["post_type"]
    assert isinstance(canonical.dtype, pd.CategoricalDtype)
    return set(raw.astype(object).dropna()), set(canonical.astype(object).dropna())


@pytest.mark.parametrize(
    ("name", "raw", "keys"),
    [
        ("real/facebook_posts_2017.csv", {"Link", "Video"}, {"link", "video"}),
        ("real/meta_facebook_content_2025.csv", {"Photos", "Reels"}, {"photo", "reel"}),
        ("real/tiktok_content_by_views_new_year.csv", {"video"}, {"video"}),
        ("real/youtube_table_data_shorts.csv", {"video"}, {"video"}),
        ("real/youtube_table_data_de.csv", {"video"}, {"video"}),
        ("exports/meta_instagram_views.csv", {"IG image", "IG reel"}, {"photo", "reel"}),
        ("exports/meta_instagram_impressions.csv", {"IG carousel", "IG image"}, {"carousel", "photo"}),
        (
            "exports/meta_facebook_content_short_rows.csv",
            {"Photos", "Reels", "Text"},
            {"photo", "reel", "text"},
        ),
        ("exports/facebook_posts_legacy_descriptions.xls", {"Photo", "Status"}, {"photo", "text"}),
        ("exports/canonical_posts.csv", {"photo", "text", "video"}, {"photo", "text", "video"}),
    ],
)
def test_real_exports_load_onto_the_catalogue(name, raw, keys):
    got_raw, got_keys = _types(FIXTURES / name)
    assert got_raw == raw  # the export's own words, as the reader gives them
    assert got_keys == keys


@pytest.mark.parametrize(
    ("word", "key"),
    [("IG reel", "reel"), ("Reels", "reel"), ("Shorts", "reel"), ("Photos", "photo"), ("IG image", "photo"),
     ("SharedVideo", "video"), ("Shared video", "video"), ("video", "video"), ("Status", "text"),
     ("carousel_album", "carousel"), ("IG carousel", "carousel"), ("IG story", "story"), ("Live video", "live"),
     ("Фото", "photo"), ("Reel do Instagram", "reel"), ("Reel de Instagram", "reel"),
     ("Imagem do Instagram", "photo"), ("Carrossel do Instagram", "carousel"), ("Видео", "video"), ("Vidéo", "video"), ("Offer", "other"), ("", None), ("  ", None)],
)  # fmt: skip
def test_post_type_key(word, key):
    assert post_type_key(word) == key


def test_every_alias_leads_to_a_catalogue_type_with_names_in_both_languages():
    assert set(POST_TYPE_ALIASES.values()) <= set(POST_TYPES)
    en, ru = Labels("en"), Labels("ru")
    for key, (en_name, ru_name) in POST_TYPES.items():
        assert en.post_type(key) == en_name and ru.post_type(key) == ru_name
        assert re.search("[а-яё]", ru_name, re.IGNORECASE), ru_name  # translated, not the English word
    assert ru.post_type("IG reel") == ru.post_type("Reels") == "Короткое видео"
    assert en.post_type(None) == en.post_type(np.nan) == ""


def test_kpi_tables_group_by_the_catalogue_type():
    posts = pd.DataFrame(
        {
            "network": ["instagram", "facebook", "facebook", "instagram"],
            "post_id": ["1", "2", "3", "4"],
            "published_at": pd.to_datetime(["2026-10-01"] * 4, utc=True),
            "post_type": ["IG reel", "Reels", "Photos", "IG image"],
            "reach": [100, 300, 50, 70],
        }
    )
    canonical = schema.conform(posts, "posts")
    assert list(canonical["post_type"].astype(object)) == ["reel", "reel", "photo", "photo"]
    canonical["engagements"] = [10.0, 20.0, 5.0, 9.0]
    canonical["er_post"] = [1.0, 3.0, 0.5, 1.5]
    table = by_post_type(canonical)
    # reel: 2 posts, mean reach (100 + 300) / 2 = 200, mean ER per post (1 + 3) / 2 = 2; photo: 60, 1.0
    assert table.to_dict("index") == {
        "reel": {"posts": 2.0, "reach": 200.0, "engagements": 15.0, "er_post": 2.0},
        "photo": {"posts": 2.0, "reach": 60.0, "engagements": 7.0, "er_post": 1.0},
    }
