"""Interface languages of native exports: header names and month names.

YouTube Studio, TikTok Studio and Meta Business Suite write their export headers (and TikTok
its year-less day labels) in the user's interface language. This module knows them for en, ru,
es, pt, de, fr, it, tr, id, el and uk:

- month names come from the CLDR locale data shipped with Babel (every form CLDR keeps: wide,
  abbreviated, stand-alone and the genitive of Slavic and Greek day labels), not from typed lists;
- header names come from real exports and the platforms' help pages (each cited in
  ``tests/fixtures/real/SOURCES.md``): :data:`HEADERS` maps a vendor's header name in a language
  to its English name, which the vendor readers look up (:func:`english_table`).

:func:`fold` is the loose comparison the closest-format hint uses (case, accents, soft hyphens,
a trailing ``(XXX)`` currency).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

from smmkit.io.readers import RawFile, RawTable

__all__ = [
    "DAY_COLUMNS",
    "HEADERS",
    "LANGUAGES",
    "SERIES_METRICS",
    "TranslatedFile",
    "fold",
    "guess_language",
    "localized_day",
    "month_names",
    "month_number",
    "series_metric",
    "switch_to_english",
    "translated",
    "words_for",
]

#: The interface languages recognised (ISO 639-1), English first.
LANGUAGES = ("en", "ru", "es", "pt", "de", "fr", "it", "tr", "id", "el", "uk")
LANGUAGE_NAMES = {
    "en": "English", "ru": "Russian", "es": "Spanish", "pt": "Portuguese", "de": "German",
    "fr": "French", "it": "Italian", "tr": "Turkish", "id": "Indonesian", "el": "Greek",
    "uk": "Ukrainian",
}  # fmt: skip

_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero widths, BOM
_CURRENCY = re.compile(r"\s*\(\s*[A-Za-z]{3}\s*\)\s*$")  # "Amount spent (UAH)"


def fold(name: object) -> str:
    """A header name folded for loose comparison: case, accents, soft hyphens and zero-width
    characters, runs of spaces and a trailing ``(XXX)`` currency code do not count.

    >>> fold("Amount spent (UAH)"), fold("Auf\\u00adrufe"), fold("Visualizações"), fold("  ΠΡΟΒΟΛΈΣ ")
    ('amount spent', 'aufrufe', 'visualizacoes', 'προβολεσ')
    """
    s = "" if name is None else str(name)
    s = _INVISIBLE.sub("", s).replace("\u00a0", " ")
    s = _CURRENCY.sub("", s)
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", s).strip()


def visible(name: str) -> str:
    """``name`` with its invisible characters (soft hyphens, zero widths) written out, so a
    message quoting a header shows what the file holds: ``Auf\\u00adrufe`` -> ``Auf<U+00AD>rufe``."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", name)


#: CLDR's regional variants whose month names the base language's lack: ``setiembre`` (Peru),
#: ``sept`` (Latin America), ``Sept`` (British English).
_REGIONS = {"en": ("en_GB",), "es": ("es_419", "es_PE"), "pt": ("pt_PT",)}


@functools.cache
def _month_names_of(lang: str) -> dict[str, int]:
    """One language's CLDR month names and its regional variants' (:data:`_REGIONS`), folded, with and
    without a final dot -> 1..12 (loaded on first use of that language: a few ms each)."""
    from babel import Locale  # CLDR data: imported on first use (a few ms), not with the kit

    names: dict[str, int] = {}
    for variant in (lang, *_REGIONS.get(lang, ())):
        loc = Locale.parse(variant)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for month, name in loc.months[context][width].items():
                    key = fold(name)
                    names.setdefault(key, month)
                    names.setdefault(key.rstrip("."), month)
    return names


def month_names() -> dict[str, dict[str, int]]:
    """Every CLDR month name of each language and its regional variants (:data:`_REGIONS`), folded,
    with and without a final dot -> 1..12."""
    return {lang: _month_names_of(lang) for lang in LANGUAGES}


def month_number(name: str, languages: tuple[str, ...] = LANGUAGES) -> int | None:
    """The month (1..12) a month name means in any of ``languages`` (CLDR's wide and abbreviated
    names, format and stand-alone forms), else None. A name of three letters or more that begins
    exactly one month's names of a language is that month (TikTok's Russian ``фев``, ``сен``: CLDR
    writes ``февр.``, ``сент.``).

    >>> month_number("August"), month_number("августа"), month_number("Αυγ"), month_number("août")
    (8, 8, 8, 8)
    >>> month_number("фев"), month_number("setiembre"), month_number("Sept")
    (2, 9, 9)
    """
    key = fold(name).rstrip(".")
    for lang in languages:  # each language's names loaded when first looked in
        month = _month_names_of(lang).get(key)
        if month is not None:
            return month
    if len(key) < 3:
        return None
    for lang in languages:
        months = {m for n, m in _month_names_of(lang).items() if n.startswith(key)}
        if len(months) == 1:
            return months.pop()
    return None


_DAY_MONTH_YEAR = re.compile(
    r"^\s*(?:(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{4})"
    r"|([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4}))(.*)$"
)  # 28 sept. 2026 | 3 de out. de 2026 | 28. September 2026 | Sept 28, 2026 (+ a time)


def localized_day(cell: str, language: str) -> str | None:
    """``cell`` with a day written with ``language``'s month names (CLDR) as an ISO day, the rest of
    the cell (a time) kept; None when it is no such day (or ``language`` is English: the readers
    know English days).

    >>> localized_day("28 sept. 2026", "fr"), localized_day("3 de out. de 2026 10:05", "pt")
    ('2026-09-28', '2026-10-03 10:05')
    """
    m = _DAY_MONTH_YEAR.match(cell)
    if not m or language == "en":
        return None
    day, name, year = (
        (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(4), m.group(6))
    )
    month = month_number(name, (language,))
    if month is None:
        return None  # not this language's month name
    rest = m.group(7).strip()
    return f"{int(year):04d}-{month:02d}-{int(day):02d}" + (f" {rest}" if rest else "")


# ----------------------------------------------------------------------------- header names

#: Header names of each vendor's exports in an interface language -> the English name the
#: vendor's reader looks up. Only names seen in real exports or the platforms' help pages
#: (``tests/fixtures/real/SOURCES.md`` cites each); a language or name not here is not guessed.
HEADERS: dict[str, dict[str, dict[str, str]]] = {
    "youtube": {
        "de": {
            "Videos": "Content", "Videotitel": "Video title",
            "Veröffentlichungszeitpunkt des Videos": "Video publish time", "Dauer": "Duration",
            "Aufrufe": "Views", "Wiedergabezeit (Stunden)": "Watch time (hours)",
            "Abonnenten": "Subscribers", "Impressionen": "Impressions",
            "Klickrate der Impressionen (%)": "Impressions click-through rate (%)", "Datum": "Date",
        },
        "pt": {
            "Conteúdo": "Content", "Título do vídeo": "Video title",
            "Horário de publicação do vídeo": "Video publish time", "Duração": "Duration",
            "Visualizações": "Views", "Tempo de exibição (horas)": "Watch time (hours)",
            "Inscritos": "Subscribers", "Impressões": "Impressions",
            "Taxa de cliques de impressões (%)": "Impressions click-through rate (%)",
            "Visualizações engajadas": "Engaged views", "Espectadores únicos": "Unique viewers",
            "Duração média da visualização": "Average view duration", "Data": "Date",
        },
        "es": {
            "Contenido": "Content", "Título del video": "Video title",
            "Hora de publicación del video": "Video publish time",
            "Tiempo de publicación del video": "Video publish time", "Duración": "Duration",
            "Vistas": "Views", "Tiempo de visualización (horas)": "Watch time (hours)",
            "Tiempo de reproducción (horas)": "Watch time (hours)", "Impresiones": "Impressions",
            "Tasa de clics de las impresiones (%)": "Impressions click-through rate (%)",
            "Suscriptores": "Subscribers", "Suscriptores obtenidos": "Subscribers gained",
            "Me gusta": "Likes", "Comentarios agregados": "Comments added",
            "Elementos compartidos": "Shares", "Vistas interesadas": "Engaged views",
            "Duración promedio de vistas": "Average view duration",
            "Porcentaje promedio reproducido (%)": "Average percentage viewed (%)",
            "Se quedaron para mirar (%)": "Stayed to watch (%)",
        },
        "fr": {
            "Contenu": "Content", "Titre de la vidéo": "Video title",
            "Heure de publication de la vidéo": "Video publish time", "Durée": "Duration",
            "Vues": "Views", "Vues engagées": "Engaged views",
            "Ont continué de regarder (%)": "Stayed to watch (%)",
            "Durée moyenne de visionnage": "Average view duration",
            "Pourcentage moyen regardé (%)": "Average percentage viewed (%)",
        },
        "ru": {"Время публикации видео": "Video publish time", "Просмотры": "Views"},
    },
    # TikTok Studio writes its header names in English whatever the interface language (seen in
    # Russian, Spanish, Portuguese, Turkish, Vietnamese and Japanese downloads: only the day labels
    # follow the language, read with CLDR's month names): no table of names is needed.
    "meta": {
        "pt": {
            "Identificação do post": "Post ID", "Identificação da conta": "Account ID",
            "Nome de usuário da conta": "Account username", "Nome da conta": "Account name",
            "Identificação da página": "Page ID", "Nome da página": "Page name", "Título": "Title",
            "Descrição": "Description", "Duração (s)": "Duration (sec)",
            "Horário de publicação": "Publish time", "Link permanente": "Permalink",
            "Tipo de post": "Post type", "Comentário de dados": "Data comment", "Data": "Date",
            "Visualizações": "Views", "Alcance": "Reach", "Curtidas": "Likes", "Reações": "Reactions",
            "Reações, comentários e compartilhamentos": "Reactions, Comments and Shares",
            "Compartilhamentos": "Shares", "Seguimentos": "Follows", "Comentários": "Comments",
            "Salvamentos": "Saves",
        },
        "es": {
            "Identificador de la publicación": "Post ID",
            "Nombre de usuario de la cuenta": "Account username", "Título": "Title",
            "Descripción": "Description", "Duración (segundos)": "Duration (sec)",
            "Hora de publicación": "Publish time", "Enlace permanente": "Permalink",
            "Tipo de publicación": "Post type", "Visualizaciones": "Views", "Alcance": "Reach",
            "Impresiones": "Impressions", "Me gusta": "Likes", "Reacciones": "Reactions",
            "Comentarios": "Comments", "Veces que se compartió": "Shares",
            "Veces que se guardó": "Saves", "Seguimientos": "Follows",
            "Seguimientos netos": "Net follows", "Interacciones": "Interactions",
        },
        "it": {
            "ID dell'account": "Account ID", "Nome utente dell'account": "Account username",
            "Nome account": "Account name", "Descrizione": "Description", "Durata (s)": "Duration (sec)",
            "Orario di pubblicazione": "Publish time", "Tipo di post": "Post type",
            "Visualizzazioni": "Views", "Mi piace": "Likes", "Commenti": "Comments",
            "Condivisioni": "Shares", "Salvataggi": "Saves",
        },
    },
    # Meta Ads Manager's export in an interface language; ``Amount spent (XXX)`` keeps the file's
    # currency code (``Valor usado (BRL)`` -> ``Amount spent (BRL)``).
    "meta_ads": {
        "pt": {
            "Nome da campanha": "Campaign name", "Nome do conjunto de anúncios": "Ad set name",
            "Nome do anúncio": "Ad name", "Início dos relatórios": "Reporting starts",
            "Encerramento dos relatórios": "Reporting ends", "Dia": "Day", "Valor usado": "Amount spent",
            "Impressões": "Impressions", "Alcance": "Reach", "Frequência": "Frequency",
            "Cliques no link": "Link clicks", "Cliques (todos)": "Clicks (all)", "Resultados": "Results",
            "Indicador de resultados": "Result indicator", "Custo por resultados": "Cost per results",
            "Veiculação da campanha": "Campaign delivery",
            "CPM (custo por 1.000 impressões)": "CPM (cost per 1,000 impressions)",
            "CPC (custo por clique no link)": "CPC (cost per link click)",
            "CTR (taxa de cliques no link)": "CTR (link click-through rate)",
        },
        "es": {
            "Nombre de la campaña": "Campaign name", "Nombre del conjunto de anuncios": "Ad set name",
            "Nombre del anuncio": "Ad name", "Inicio del informe": "Reporting starts", "Día": "Day",
            "Importe gastado": "Amount spent", "Impresiones": "Impressions", "Alcance": "Reach",
            "Frecuencia": "Frequency", "Clics en el enlace": "Link clicks", "Clics (todos)": "Clicks (all)",
            "Resultados": "Results", "Indicador de resultado": "Result indicator",
            "Estado de la entrega": "Delivery status",
        },
    },
}  # fmt: skip

#: Metric lines of Meta Business Suite page series (``Follows.csv``, ...) in an interface language
#: -> the English metric line the series reader knows (``"Date","Primary"`` blocks; its ``Date``
#: word is :data:`HEADERS`'s). Cited in ``tests/fixtures/real/SOURCES.md`` like the header names.
SERIES_METRICS: dict[str, dict[str, str]] = {
    "pt": {
        "Seguidores no Instagram": "Instagram follows", "Visitas ao perfil": "Instagram profile visits",
        "Alcance": "Instagram reach", "Visualizações": "Instagram views",
        "Interações com conteúdo": "Instagram content interactions", "Cliques no link": "Instagram link clicks",
    },
}  # fmt: skip

#: The English header names that hold a day or a time: in a translated file, their cells written
#: with the language's month names (``28 sept. 2026``) are turned into ISO days.
DAY_COLUMNS = ("Video publish time", "Date", "Publish time")

VENDORS = {
    "youtube": "YouTube Studio", "tiktok": "TikTok Studio", "meta": "Meta Business Suite",
    "meta_ads": "Meta Ads Manager",
}  # fmt: skip
_FACEBOOK = "on Facebook, open Settings & privacy > Language and region > Facebook language > English (US)"
_SWITCH = {
    "youtube": "in YouTube Studio, click your profile picture > Language > English (US)",
    "tiktok": "in TikTok, open Settings and privacy > Language > App language > English",
    "meta": _FACEBOOK,
    "meta_ads": _FACEBOOK,  # Ads Manager follows the Facebook language
}


def switch_to_english(vendor: str, *, again: bool = True) -> str:
    """How to switch ``vendor``'s exports to English (its interface language), then (``again``)
    export the file again."""
    return f"{_SWITCH[vendor]}, then export the file again" if again else _SWITCH[vendor]


@functools.cache
def _folded_headers() -> tuple[tuple[str, str, dict[str, str]], ...]:
    return tuple(
        (vendor, lang, {fold(k): v for k, v in names.items()})
        for vendor, langs in HEADERS.items()
        for lang, names in langs.items()
    )


@dataclasses.dataclass
class TranslatedFile(RawFile):
    """An export whose header names were written in an interface language other than English,
    with the English names its vendor's reader looks up; ``originals`` maps each English name back
    to the name as written (error messages name the column as the file has it)."""

    language: str = "en"
    vendor: str = ""
    originals: dict[str, str] = dataclasses.field(default_factory=dict)


def _translate(header: list[str]) -> tuple[str, str, dict[str, str]] | None:
    """The vendor, language and lookup whose names the header shares most (two at least)."""
    keys = [fold(h) for h in header]
    best, best_hits = None, 1
    for vendor, lang, names in _folded_headers():
        hits = sum(k in names for k in keys)
        if hits > best_hits:
            best, best_hits = (vendor, lang, names), hits
    return best


def _with_days(table: RawTable, language: str, header: list[str]) -> RawTable:
    """``table`` with the cells of its day columns (:data:`DAY_COLUMNS`, by their English names in
    ``header``) written with ``language``'s month names turned into ISO days."""
    cols = [i for i, h in enumerate(header) if h in DAY_COLUMNS]
    if not cols:
        return table
    rows = []
    for row in table.rows:
        row = list(row)
        for i in cols:
            if i < len(row) and (day := localized_day(row[i], language)) is not None:
                row[i] = day
        rows.append(row)
    return dataclasses.replace(table, rows=rows)


def translated(raw: RawFile) -> TranslatedFile | None:
    """``raw`` with the header names of a known interface language in English (and the days of its
    day columns written with that language's month names as ISO days), or None when no table's
    header is in one (:data:`HEADERS`)."""
    tables: list[RawTable] = []
    found: tuple[str, str] | None = None
    originals: dict[str, str] = {}
    for table in raw.tables:
        hit = _translate(table.header)
        if hit is None:
            tables.append(table)
            continue
        vendor, lang, names = hit
        found = found or (vendor, lang)
        header = []
        for h in table.header:
            english = names.get(fold(h))
            if english is not None:
                code = _CURRENCY.search(_INVISIBLE.sub("", h))
                if code and not _CURRENCY.search(english):
                    english += f" ({code.group(0).strip().strip('()').strip().upper()})"  # Valor usado (BRL)
                originals[english] = h.strip()
            header.append(english if english is not None else h)
        tables.append(dataclasses.replace(_with_days(table, lang, header), header=header))
    if found is None:
        return None
    fields = {f.name: getattr(raw, f.name) for f in dataclasses.fields(RawFile)}
    return TranslatedFile(
        **{**fields, "tables": tables}, language=found[1], vendor=found[0], originals=originals
    )


def series_metric(name: str) -> tuple[str, str] | None:
    """The English metric line and the language of a Meta page series' metric line written in an
    interface language (:data:`SERIES_METRICS`), else None."""
    key = fold(name)
    for lang, names in SERIES_METRICS.items():
        for written, english in names.items():
            if fold(written) == key:
                return english, lang
    return None


# ----------------------------------------------------------------------------- guessing

_SCRIPT_LETTERS = (
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("uk", re.compile(r"[іїєґІЇЄҐ]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("tr", re.compile(r"[şğıİŞĞ]")),
    ("de", re.compile(r"[ßäöüÄÖÜ]")),
    ("pt", re.compile(r"[ãõÃÕ]|ç[aãoõ]")),
    ("es", re.compile(r"[ñÑ¿¡]")),
    ("fr", re.compile(r"[œèùûîÈ]|[éè]e|ée")),
    ("it", re.compile(r"[ìòÌÒ]|à\b")),
)
_WORD = re.compile(r"[^\W\d_]{4,}")  # words of four letters or more: "Per" (Perşembe) is English too


_TIME_UNITS = tuple(f"duration-{u}" for u in ("second", "minute", "hour", "day", "week", "month", "year"))


@functools.cache
def words_for() -> dict[str, frozenset[str]]:
    """Each language's words from locale data and the vendors' header names: every word of four
    letters or more of its :data:`HEADERS` names, CLDR's wide month and weekday names and CLDR's
    names of the units of time (``detik``, ``Stunden``, ``heures``...), folded, with English's words
    taken out (a word English writes too says nothing: ``post``, ``account``)."""
    from babel import Locale
    from babel.units import get_unit_name

    out: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        loc = Locale.parse(lang)
        texts = [h for names in (*(v.get(lang, {}) for v in HEADERS.values()), SERIES_METRICS.get(lang, {}))
                 for h in names]  # fmt: skip
        texts += [n for ctx in ("format", "stand-alone")
                  for n in (*loc.months[ctx]["wide"].values(), *loc.days[ctx]["wide"].values())]  # fmt: skip
        texts += [n for unit in _TIME_UNITS for width in ("long", "short")
                  if (n := get_unit_name(unit, length=width, locale=loc))]  # fmt: skip
        out[lang] = {w for t in texts for w in _WORD.findall(fold(t))}
    # English's words: CLDR's, and those of the English names the vendors' names translate to
    # ("post" of "Tipo de post" is the English word the Portuguese interface keeps).
    english = out["en"] | {w for langs in HEADERS.values() for names in langs.values() for e in names.values()
                           for w in _WORD.findall(fold(e))}  # fmt: skip
    return {lang: frozenset(words - english) for lang, words in out.items() if lang != "en"}


def guess_language(texts: list[str]) -> str | None:
    """The interface language that ``texts`` (header names, day labels) look like: the language
    whose known header names they hold most, else by script and letters, else by the words of
    :func:`words_for` (CLDR month, weekday and time-unit names, the vendors' known names); None when
    they look English or like nothing known."""
    keys = {fold(t) for t in texts}
    known = {
        lang: sum(fold(h) in keys for langs in HEADERS.values() for h in langs.get(lang, {}))
        for lang in LANGUAGES[1:]
    }
    best = max(known, key=lambda lang: known[lang])
    if known[best] >= 2:
        return best
    joined = " ".join(texts)
    for lang, letters in _SCRIPT_LETTERS:
        if letters.search(joined):
            return lang
    words = {w for t in texts for w in _WORD.findall(fold(t))}
    scores = {lang: len(words & vocab) for lang, vocab in words_for().items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else None
