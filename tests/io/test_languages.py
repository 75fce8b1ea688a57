"""Interface languages (issue 22): CLDR month names (Babel) for year-less TikTok days, header
names of YouTube Studio in German and Portuguese read as the English ones, and exports in a
language whose names the kit does not know recognised by shape, not used, with the language
and the way to switch the export to English."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

import smmkit
from smmkit.errors import InputError
from smmkit.io.formats import LoadContext
from smmkit.io.languages import LANGUAGES, guess_language, month_names, month_number, translated
from smmkit.io.loading import load_export
from smmkit.io.readers import read_file
from smmkit.io.validate import validate_client

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("August", 8), ("августа", 8), ("agosto", 8), ("Agustus", 8), ("Ağustos", 8), ("août", 8),
        ("Αυγούστου", 8), ("Αύγουστος", 8), ("серпня", 8), ("Aug", 8), ("авг.", 8),
        ("März", 3), ("março", 3), ("marzo", 3), ("mars", 3), ("Mart", 3), ("Maret", 3),
        ("Μαρτίου", 3), ("березня", 3), ("марта", 3), ("Eylül", 9), ("Οκτωβρίου", 10), ("Ekim", 10),
    ],
)  # fmt: skip
def test_cldr_month_names_of_every_interface_language(name: str, month: int) -> None:
    assert month_number(name) == month


def test_every_language_has_twelve_months() -> None:
    tables = month_names()
    assert tuple(tables) == LANGUAGES == ("en", "ru", "es", "pt", "de", "fr", "it", "tr", "id", "el", "uk")
    for lang in LANGUAGES:
        assert set(tables[lang].values()) == set(range(1, 13)), lang
    assert month_number("Brumaire") is None


def test_tiktok_days_in_turkish_get_their_year() -> None:
    ctx = LoadContext(tz="UTC", anchor_day=dt.date(2026, 10, 31))
    fmt, tables = load_export(REAL / "tiktok_follower_history_tr_months.csv", ctx=ctx)
    audience = tables["audience"]
    assert fmt.name == "tiktok_followers"
    days = [d.date().isoformat() for d in audience["date"]]
    assert dict(zip(days, audience["followers"].tolist(), strict=True)) == {
        "2026-09-30": 1000, "2026-10-01": 1004, "2026-10-02": 1011,
    }  # fmt: skip


def test_german_youtube_table_data_is_read_as_youtube_content() -> None:
    ctx = LoadContext(tz="Europe/Berlin")
    fmt, tables = load_export(REAL / "youtube_table_data_de.csv", ctx=ctx)
    posts = tables["posts"]
    assert fmt.name == "youtube_content"
    assert list(posts["post_id"]) == ["Qx7pL2mN9aB", "R4tY8uI1oPz", "_-3vB6nM0qW"]
    assert int(posts["video_views"].sum()) == 2150  # the "Gesamt" total row is not summed again
    assert int(posts["impressions"].sum()) == 15400
    assert ctx.notes == ["read as YouTube Studio in German: its column names are matched to the English ones"]
    assert "Wiedergabezeit (Stunden)" in ctx.ignored() and "Watch time (hours)" not in ctx.ignored()


def test_portuguese_youtube_table_data_is_read_as_youtube_content() -> None:
    fmt, tables = load_export(REAL / "youtube_table_data_pt.csv", ctx=LoadContext(tz="America/Sao_Paulo"))
    posts = tables["posts"]
    assert fmt.name == "youtube_content"
    assert list(posts["post_id"]) == ["-aB3cD4eF5g", "hI6jK7lM8nO"]  # the leading space stripped
    assert (int(posts["video_views"].sum()), int(posts["impressions"].sum())) == (3300, 9100)


def test_a_bad_cell_of_a_translated_file_names_the_column_as_written(tmp_path) -> None:
    path = tmp_path / "Tabellendaten.csv"
    path.write_text(
        (REAL / "youtube_table_data_de.csv").read_text(encoding="utf-8-sig").replace(",700,", ",viel,")
    )
    with pytest.raises(InputError) as info:
        load_export(path)
    assert (info.value.line, info.value.column) == (4, "Aufrufe")


def test_translation_keeps_english_files_as_they_are() -> None:
    assert translated(read_file(REAL / "youtube_table_data_shorts.csv")) is None


def test_guess_language_by_script_letters_and_month_names() -> None:
    assert guess_language(["Ημερομηνία", "Προβολές"]) == "el"
    assert guess_language(["Дата", "Переглядів"]) == "uk"
    assert guess_language(["Дата", "Просмотры"]) == "ru"
    assert guess_language(["Fecha", "8 de marzo"]) == "es"
    assert guess_language(["Tanggal", "5 Agustus"]) == "id"
    assert guess_language(["Date", "Views", "August 5"]) is None


def test_an_unknown_language_export_is_recognised_not_used_and_says_how_to_switch(make_client) -> None:
    root = make_client(
        {
            "tiktok/Overview.csv": (REAL / "tiktok_overview_el.csv").read_text(encoding="utf-8"),
            "youtube/Tabellendaten.csv": (REAL / "youtube_table_data_de.csv").read_text(encoding="utf-8-sig"),
        },
        yaml="name: Acme\ntimezone: Europe/Berlin\n",
    )
    client = smmkit.load_client(root)  # strict: the Greek file does not fail the client
    info = {f.path.name: (f.format, f.unused) for f in client.files}
    assert info["Overview.csv"] == (
        "tiktok_other_language",
        "a TikTok Studio export in Greek: the kit does not know its column names in that language",
    )
    assert info["Tabellendaten.csv"] == ("youtube_content", None)
    report = validate_client(root)
    assert not report.errors
    (warning,) = [w for w in report.warnings if w.path.endswith("Overview.csv")]
    assert "Greek" in warning.message and "Language > App language > English" in warning.message
    kpis = smmkit.kpis(client, start="2026-10-01", end="2026-10-31")
    assert kpis.networks.loc["youtube", "video_views"] == 1900  # two videos of October
    assert "tiktok" not in kpis.networks.index or math.isnan(kpis.networks.loc["tiktok", "posts"])


def test_an_english_file_with_a_missing_column_is_not_called_another_language(tmp_path) -> None:
    path = tmp_path / "Table data.csv"
    text = (REAL / "youtube_table_data_shorts.csv").read_text(encoding="utf-8-sig")
    path.write_text(text.replace("Video publish time", "Published"), encoding="utf-8")
    with pytest.raises(InputError, match="matches no known export format"):
        load_export(path)
