"""Interface languages (issue 22): CLDR month names (cldr.json, from Babel) for year-less TikTok days, header
names of YouTube Studio in German and Portuguese read as the English ones, and exports in a
language whose names the kit does not know recognised by shape, not used, with the language
and the way to switch the export to English."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
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


# ----------------------------------------------------------------------------- round 2 (issue 22)


@pytest.mark.parametrize(
    ("name", "fmt_name", "network", "language", "first", "sums"),
    [
        (
            "meta_instagram_content_pt.csv", "meta_instagram_content", "instagram", "Portuguese", "2026-10-03 10:29",
            {"impressions": 2752 + 900 + 1348, "reach": 1732 + 640 + 928, "likes": 153 + 51 + 96,
             "comments": 8 + 3 + 6, "shares": 7 + 2 + 4, "saves": 2 + 5 + 1},
        ),
        (
            "meta_facebook_content_pt.csv", "meta_facebook_content", "facebook", "Portuguese", "2026-10-01 21:13",
            {"impressions": 1628 + 372, "reach": 923 + 277, "likes": 6 + 14, "comments": 1 + 4, "shares": 0 + 3},
        ),
        (
            "meta_instagram_content_es.csv", "meta_instagram_content", "instagram", "Spanish", "2026-10-04 12:05",
            {"impressions": 3100 + 1900, "reach": 2050 + 1150, "likes": 210 + 90, "comments": 9 + 5,
             "shares": 12 + 8, "saves": 14 + 6},
        ),
        (
            # Impressions (Impresiones) before Views (Visualizaciones), as for an English file
            "meta_facebook_content_es.csv", "meta_facebook_content", "facebook", "Spanish", "2026-10-02 11:00",
            {"impressions": 2600 + 1400, "reach": 1500 + 1000, "likes": 40 + 20, "comments": 6 + 4, "shares": 5 + 1},
        ),
    ],
)  # fmt: skip
def test_meta_content_in_portuguese_and_spanish_is_read_with_exact_sums(
    name, fmt_name, network, language, first, sums
):
    ctx = LoadContext(tz="UTC")
    fmt, tables = load_export(REAL / name, ctx=ctx)
    posts = tables["posts"]
    assert fmt.name == fmt_name
    assert set(posts["network"]) == {network}
    assert {k: int(posts[k].sum()) for k in sums} == sums
    assert ctx.notes == [
        f"read as Meta Business Suite in {language}: its column names are matched to the English ones"
    ]
    assert posts["published_at"].min() == pd.Timestamp(first, tz="UTC")  # MM/DD/YYYY HH:MM, the client's zone


def test_portuguese_instagram_columns_not_read_are_named_as_written():
    ctx = LoadContext(tz="UTC")
    load_export(REAL / "meta_instagram_content_pt.csv", ctx=ctx)
    assert ctx.ignored() == [
        "Identificação da conta", "Nome de usuário da conta", "Nome da conta", "Duração (s)", "Comentário de dados",
        "Data", "Seguimentos",
    ]  # fmt: skip


def test_italian_instagram_content_is_recognised_not_used_naming_italian_and_the_fix():
    """The Italian names seen (``Orario di pubblicazione``, ``Mi piace``...) hold no post ID name: the
    file cannot be read, so it is set aside by its shape, never failing the client."""
    ctx = LoadContext(tz="UTC")
    fmt, tables = load_export(REAL / "meta_instagram_content_it.csv", ctx=ctx)
    assert (fmt.name, tables) == ("meta_other_language", {})
    assert (
        fmt.unused
        == "a Meta Business Suite export in Italian: the kit does not know its column names in that language"
    )
    (warning,) = ctx.warnings
    assert warning.endswith(
        "on Facebook, open Settings & privacy > Language and region > Facebook language > English (US), "
        "then export the file again"
    )


def test_portuguese_instagram_follows_series_is_read_into_instagram():
    ctx = LoadContext(tz="America/Sao_Paulo")
    fmt, tables = load_export(REAL / "meta_follows_pt.csv", ctx=ctx)
    audience = tables["audience"]
    assert fmt.name == "meta_page_series"
    assert set(audience["network"]) == {"instagram"}
    days = [d.date().isoformat() for d in audience["date"]]
    assert dict(zip(days, audience["new_followers"].tolist(), strict=True)) == {
        "2026-10-01": 12, "2026-10-02": 9, "2026-10-03": 4,
    }  # fmt: skip
    assert ctx.notes == [
        "block 'Seguidores no Instagram': read as 'Instagram follows' (Meta Business Suite in Portuguese)"
    ]


def _series(metric: str, word: str) -> bytes:
    text = f'sep=,\n"{metric}"\n"{word}","Primary"\n"2026-10-01T00:00:00","7"\n"2026-10-02T00:00:00","5"\n'
    return text.encode("utf-16")


def test_portuguese_reach_series_is_recognised_not_used_like_the_english_one(tmp_path):
    path = tmp_path / "Alcance.csv"
    path.write_bytes(_series("Alcance", "Data"))
    fmt, tables = load_export(path)
    assert (fmt.name, tables) == ("meta_page_series_other", {})


def test_a_page_series_in_an_unknown_language_names_it(tmp_path):
    """Greek words of ours (no Greek Meta series was found): the shape is Meta's, the names unknown."""
    path = tmp_path / "Follows.csv"
    path.write_bytes(_series("Ακόλουθοι", "Ημερομηνία"))
    ctx = LoadContext()
    fmt, tables = load_export(path, ctx=ctx)
    assert (fmt.name, tables) == ("meta_other_language", {})
    assert (
        fmt.unused
        == "a Meta Business Suite export in Greek: the kit does not know its column names in that language"
    )


def _cldr_words(lang: str) -> list[str]:
    """Header names in ``lang`` by construction: CLDR's weekday and month names (not Meta's names)."""
    from babel import Locale

    loc = Locale.parse(lang)
    return [*loc.days["format"]["wide"].values(), *loc.months["format"]["wide"].values()]


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_a_meta_export_in_each_language_without_its_names_is_set_aside_naming_the_language(lang, tmp_path):
    """Meta content by shape (post IDs, ``MM/DD/YYYY HH:MM`` times, facebook.com permalinks) with a
    header in ``lang`` whose names the kit does not know: recognised, not used, the language named."""
    from smmkit.io.languages import LANGUAGE_NAMES

    header = _cldr_words(lang)[:8]
    rows = [
        ["1168834171933140", "100064197037125", "Acme", "10/01/2026 21:13", "https://www.facebook.com/acme/posts/1", "5", "3", "1"],
        ["1168834171933141", "100064197037125", "Acme", "10/02/2026 08:00", "https://www.facebook.com/acme/posts/2", "9", "4", "0"],
    ]  # fmt: skip
    path = tmp_path / "export.csv"
    path.write_text(
        "\n".join(",".join(f'"{c}"' for c in r) for r in [header, *rows]) + "\n", encoding="utf-8"
    )
    ctx = LoadContext()
    fmt, tables = load_export(path, ctx=ctx)
    assert (fmt.name, tables) == ("meta_other_language", {})
    assert f"a Meta Business Suite export in {LANGUAGE_NAMES[lang]}:" in fmt.unused
    assert "Facebook language > English (US)" in ctx.warnings[0]


def test_a_file_of_no_known_format_in_another_language_says_which_and_how_to_switch(tmp_path):
    path = tmp_path / "rapor.csv"
    path.write_text("Tarih,Görüntülenme,Beğeni\n2026-10-01,5,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="matches no known export format") as info:
        load_export(path)
    message = str(info.value)
    assert "Its column names look Turkish" in message
    assert (
        "YouTube Studio: in YouTube Studio, click your profile picture > Language > English (US)" in message
    )


def test_french_youtube_table_data_is_read_with_its_french_days():
    """Narrow no-break spaces for thousands, decimal commas, ``28 sept. 2026``: CLDR's French month
    names give the days."""
    ctx = LoadContext(tz="Europe/Paris")
    fmt, tables = load_export(REAL / "youtube_table_data_fr.csv", ctx=ctx)
    posts = tables["posts"]
    assert fmt.name == "youtube_content"
    assert int(posts["video_views"].sum()) == 1250 + 2000 + 1250  # the Total row (4 500) not summed again
    assert [d.date().isoformat() for d in posts["published_at"]] == ["2026-09-28", "2026-10-03", "2026-10-15"]
    assert "Vues engagées" in ctx.ignored()


def test_spanish_youtube_table_data_is_read_with_exact_sums():
    ctx = LoadContext(tz="America/Santiago")
    fmt, tables = load_export(REAL / "youtube_table_data_es.csv", ctx=ctx)
    posts = tables["posts"]
    assert fmt.name == "youtube_content"
    sums = {k: int(posts[k].sum()) for k in ("video_views", "impressions", "likes", "comments", "shares")}
    assert sums == {"video_views": 2300 + 1300, "impressions": 13000 + 8000, "likes": 120 + 60,
                    "comments": 15 + 10, "shares": 10 + 6}  # fmt: skip
    assert "Alcance único" in ctx.ignored()  # a name whose English one was not seen: named, not guessed


@pytest.mark.parametrize(
    ("name", "anchor", "days", "views"),
    [
        # Russian interface, English header (blessandsoul/AICONTENT): rows by views, a post of the April before
        ("tiktok_content_ru_days.csv", dt.date(2026, 1, 31), ["2026-01-10", "2025-04-20", "2026-01-07"], 28590 + 25884 + 5526),
        ("tiktok_content_pt_days.csv", dt.date(2026, 9, 30), ["2026-09-05", "2026-08-28"], 616 + 479),
    ],
)  # fmt: skip
def test_tiktok_content_with_day_labels_in_the_interface_language(name, anchor, days, views):
    fmt, tables = load_export(REAL / name, ctx=LoadContext(tz="UTC", anchor_day=anchor))
    posts = tables["posts"]
    assert fmt.name == "tiktok_content"
    assert [d.date().isoformat() for d in posts["published_at"]] == days
    assert int(posts["video_views"].sum()) == views


def test_guess_language_by_known_names_and_cldr_words():
    assert guess_language(["Orario di pubblicazione", "Mi piace", "Permalink"]) == "it"
    assert guess_language(["ID Postingan", "Durasi (detik)"]) == "id"  # CLDR: detik (seconds)
    assert guess_language(["Beitrags-ID", "Dauer (Sekunden)"]) == "de"


def test_a_download_with_translated_and_unknown_language_files_renders_the_rest(make_client):
    """Portuguese Instagram content is read, the Italian file is set aside with its fix: the client
    does not fail and the other file's KPIs are exact."""
    root = make_client(
        {
            "instagram/conteudo.csv": (REAL / "meta_instagram_content_pt.csv").read_bytes(),
            "instagram/Seguidores.csv": (REAL / "meta_follows_pt.csv").read_bytes(),
            "instagram/contenuti.csv": (REAL / "meta_instagram_content_it.csv").read_bytes(),
        },
        yaml="name: Café Ponto\ntimezone: UTC\n",
    )
    client = smmkit.load_client(root)
    info = {f.path.name: (f.format, f.unused) for f in client.files}
    assert info["conteudo.csv"] == ("meta_instagram_content", None)
    assert info["contenuti.csv"][0] == "meta_other_language"
    report = validate_client(root)
    assert not report.errors
    assert any("Italian" in w.message and w.path.endswith("contenuti.csv") for w in report.warnings)
    kpis = smmkit.kpis(client, start="2026-10-01", end="2026-10-31")
    assert kpis.networks.loc["instagram", "reach"] == 1732 + 640 + 928
    assert kpis.networks.loc["instagram", "new_followers"] == 12 + 9 + 4


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_youtube_and_tiktok_exports_in_each_language_without_their_names_name_the_language(lang, tmp_path):
    """YouTube Studio's table (a Total row, then 11-character video IDs) and TikTok Studio's daily
    series (year-less days in CLDR's month names of ``lang``), headers in ``lang``'s CLDR words:
    set aside by their shape, the language named, the way to switch to English given."""
    from babel import Locale

    from smmkit.io.languages import LANGUAGE_NAMES

    words = _cldr_words(lang)
    youtube = [words[:5], ["Total", "", "", "300", "20"], ["Qx7pL2mN9aB", "a", "b", "200", "12"],
               ["R4tY8uI1oPz", "c", "d", "100", "8"]]  # fmt: skip
    october = Locale.parse(lang).months["format"]["wide"][10]
    tiktok = [words[:3], [f"8 {october}", "120", "4"], [f"9 {october}", "95", "2"]]
    for name, rows, vendor, switch in (
        ("Table data.csv", youtube, "YouTube Studio", "click your profile picture > Language > English (US)"),
        ("Overview.csv", tiktok, "TikTok Studio", "Language > App language > English"),
    ):
        path = tmp_path / name
        path.write_text("\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n", encoding="utf-8")
        ctx = LoadContext(anchor_day=dt.date(2026, 10, 31))
        fmt, tables = load_export(path, ctx=ctx)
        assert tables == {}, name
        assert (
            fmt.unused
            == f"a {vendor} export in {LANGUAGE_NAMES[lang]}: the kit does not know its column names in that language"
        )
        assert switch in ctx.warnings[0]


def test_meta_ads_manager_in_portuguese_keeps_its_currency_and_sums():
    """``Valor usado (BRL)`` is ``Amount spent (BRL)``: the currency code survives the translation
    (decimal commas inside quotes, the account total row with an empty campaign name dropped)."""
    ctx = LoadContext(tz="America/Sao_Paulo", currency="BRL")
    fmt, tables = load_export(REAL / "meta_ads_pt_brl.csv", ctx=ctx)
    ads = tables["ads"]
    assert fmt.name == "meta_ads"
    assert ads["spend"].sum() == pytest.approx(1234.56 + 295.84)  # not the total row's 1.530,40 again
    assert (int(ads["impressions"].sum()), int(ads["clicks"].sum())) == (9000 + 3300, 160 + 55)
    assert int(ads["leads"].sum()) == 18  # lead_grouped only; the reach campaign has no leads
    assert ctx.notes == [
        "read as Meta Ads Manager in Portuguese: its column names are matched to the English ones"
    ]


def test_meta_ads_manager_in_portuguese_in_another_currency_is_set_aside_naming_both():
    ctx = LoadContext(currency="RUB")
    fmt, tables = load_export(REAL / "meta_ads_pt_brl.csv", ctx=ctx)
    assert tables == {}
    assert "in BRL, client.yaml says currency RUB" in fmt.unused


def test_meta_ads_manager_in_spanish_by_day():
    ctx = LoadContext(tz="Europe/Madrid", currency="EUR")
    fmt, tables = load_export(REAL / "meta_ads_es_day.csv", ctx=ctx)
    ads = tables["ads"]
    assert fmt.name == "meta_ads"
    assert ads["spend"].sum() == pytest.approx(120.50 + 99.50 + 40.00)
    assert int(ads["clicks"].sum()) == 52 + 47 + 12
    assert int(ads["leads"].sum()) == 4 + 3  # actions:lead rows; the reach row's 4800 results are not leads
    assert [d.date().isoformat() for d in ads["date"]] == ["2026-10-01", "2026-10-02", "2026-10-02"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tiktok_follower_history_with_day_labels_in_each_language(lang, tmp_path):
    """TikTok Studio keeps its English header in every interface language and writes the days
    with the language's month names (``30 Eylül``, ``1 Οκτωβρίου``, ``1. Oktober``): CLDR's names
    of each language give them their month, the anchor their year."""
    from babel import Locale

    months = Locale.parse(lang).months["format"]["wide"]
    days = [f"30 {months[9]}", f"1{'.' if lang == 'de' else ''} {months[10]}", f"2 {months[10]}"]
    path = tmp_path / "FollowerHistory.csv"
    rows = ['"Date","Followers","Difference in followers from previous day"']
    rows += [f'"{d}","{f}","{n}"' for d, f, n in zip(days, (1000, 1004, 1011), (0, 4, 7), strict=True)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    fmt, tables = load_export(path, ctx=LoadContext(tz="UTC", anchor_day=dt.date(2026, 10, 31)))
    audience = tables["audience"]
    assert fmt.name == "tiktok_followers"
    assert [d.date().isoformat() for d in audience["date"]] == ["2026-09-30", "2026-10-01", "2026-10-02"]
    assert int(audience["followers"].iloc[-1]) == 1011
