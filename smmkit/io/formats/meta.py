"""Meta exports: Facebook Page Insights (legacy CSVs and .xls workbooks, post and page level),
Meta Business Suite content (Facebook, Instagram) and page series (Follows.csv, Visits.csv; the
other series recognised but not used). Meta Ads Manager is in :mod:`smmkit.io.formats.ads`."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

from smmkit.io.formats.base import (
    Col,
    Format,
    LoadContext,
    build,
    description_row,
    detector,
    drop_description_row,
    one_table,
    recognised,
    register,
    table_with,
    with_network,
)
from smmkit.io.languages import HEADERS, LANGUAGE_NAMES, fold, series_metric
from smmkit.io.readers import RawFile, RawTable, norm

C = Col.of

# Facebook Page Insights, legacy CSV exports.

FB_POSTS = ("Post ID", "Permalink", "Posted", "Lifetime Post Total Reach")


FB_POSTS_SPEC = {
    "post_id": C("id", "Post ID", required=True),
    "url": C("str", "Permalink"),
    "text": C("str", "Post Message"),
    "post_type": C("str", "Type"),
    "published_at": C("ts", "Posted", required=True),
    "reach": C("int", "Lifetime Post Total Reach"),
    "reach_organic": C("int", "Lifetime Post organic reach"),
    "reach_paid": C("int", "Lifetime Post Paid Reach"),
    "reach_viral": C("int", "Lifetime Post Viral Reach"),
    "impressions": C("int", "Lifetime Post Total Impressions"),
    "engaged_users": C("int", "Lifetime Engaged Users"),
    "likes": C("int", "Lifetime Post Stories by action type - like"),
    "comments": C("int", "Lifetime Post Stories by action type - comment"),
    "shares": C("int", "Lifetime Post Stories by action type - share"),
    "clicks": C("int", "Lifetime Post Consumptions by type - link clicks"),
    "video_views": C("int", "Lifetime Post Total Video Views"),
}


_UNIQUE_HEADERS = ("reach", "engaged users", "consumers", "talking about this")

#: Facebook Page Insights' legacy exports (CSV and .xls) write ``Posted`` in Pacific Time, whatever the
#: page's or the client's timezone (data-contract.md section 2, release 3).
FACEBOOK_LEGACY_TZ = "America/Los_Angeles"


def _build_legacy_posts(table: RawTable, ctx: LoadContext, *, label: str) -> pd.DataFrame:
    """:func:`build` of a legacy Facebook post table, ``Posted`` read in Pacific Time and converted to
    the client's timezone (the context's lists and sets are shared, so notes still reach ``ctx``)."""
    pacific = dataclasses.replace(ctx, tz=FACEBOOK_LEGACY_TZ)
    frame = build(table, pacific, FB_POSTS_SPEC, label=label)
    frame["published_at"] = frame["published_at"].dt.tz_convert(ctx.tz)
    return frame


def _facebook_table(table: RawTable, id_header: str) -> RawTable:
    """A legacy Facebook table without its description row (row 2, first cells empty), and with
    repeated header names told apart by that row: of two columns named alike, the one whose
    description says "Unique Users" keeps the name for people counts (reach, engaged users,
    consumers, talking about this) and the other ("Total Count") keeps it for everything else;
    the rest get a ``[unique]``/``[total]`` suffix."""
    desc = description_row(table, id_header=id_header) or []
    data = drop_description_row(table, id_header=id_header).without_total_rows()
    header = list(table.header)
    groups: dict[str, list[int]] = {}
    for i, k in enumerate(table.keys):
        groups.setdefault(k, []).append(i)
    for idx in (g for g in groups.values() if len(g) > 1):
        unique = [("unique" in norm(desc[i] if i < len(desc) else "")) for i in idx]
        wants_unique = any(u in norm(header[idx[0]]) for u in _UNIQUE_HEADERS)
        keep = next((i for i, u in zip(idx, unique, strict=True) if u == wants_unique), idx[0])
        for i, u in zip(idx, unique, strict=True):
            if i != keep:
                header[i] = f"{header[i].strip()} [{'unique' if u else 'total'}]"
    return RawTable(
        data.path, header, data.rows, data.lines, data.header_line, data.sheet, data.preamble,
        data.delimiter, data.encoding,
    )  # fmt: skip


def _load_fb_posts(raw: RawFile, ctx: LoadContext):
    t = _facebook_table(table_with(raw, *FB_POSTS), "Post ID")
    frame = _build_legacy_posts(t, ctx, label="Facebook Page Insights (posts)")
    return {"posts": with_network(frame, "facebook")}


register(
    Format(
        "facebook_insights_posts",
        "Facebook Page Insights, post level (legacy)",
        lambda raw: _key_metrics(raw, "Post ID") is None and detector(*FB_POSTS)(raw),
        _load_fb_posts,
        FB_POSTS,
        "facebook",
    )
)

FB_PAGE = ("Date", "Lifetime Total Likes", "Daily New Likes")
FB_PAGE_SPEC = {
    "date": C("day", "Date", required=True),
    "followers": C("int", "Lifetime Total Likes"),
    "new_followers": C("int", "Daily New Likes"),
    "lost_followers": C("int", "Daily Unlikes"),
    "page_views": C("int", "Daily Logged-in Page Views", "Daily Total Page Views"),
}


def _load_fb_page(raw: RawFile, ctx: LoadContext):
    t = _facebook_table(table_with(raw, *FB_PAGE), "Date")
    frame = build(t, ctx, FB_PAGE_SPEC, label="Facebook Page Insights (page)")
    return {"audience": with_network(frame, "facebook")}


register(
    Format(
        "facebook_insights_page",
        "Facebook Page Insights, page level (legacy)",
        lambda raw: _key_metrics(raw, "Date") is None and detector(*FB_PAGE)(raw),
        _load_fb_page,
        FB_PAGE,
        "facebook",
    )
)

# Facebook Page Insights, legacy workbooks.
# Page Insights' legacy ".xls" downloads (Excel 2003 XML) and their .xlsx re-saves: a "Key Metrics"
# sheet whose header holds API names with the readable names in the row below, and one sheet per
# action-type group named after the CSV's column group, cut to 31 characters.

_API_NAMES = {
    "post_impressions_unique:lifetime": "Lifetime Post Total Reach",
    "post_impressions:lifetime": "Lifetime Post Total Impressions",
    "post_impressions_organic_unique:lifetime": "Lifetime Post organic reach",
    "post_impressions_paid_unique:lifetime": "Lifetime Post Paid Reach",
    "post_impressions_viral_unique:lifetime": "Lifetime Post Viral Reach",
    "post_engaged_users:lifetime": "Lifetime Engaged Users",
    "post_video_views:lifetime": "Lifetime Post Total Video Views",
    "page_fans:lifetime": "Lifetime Total Likes",
    "page_fan_adds_unique:day": "Daily New Likes",
    "page_fan_adds:day": "Daily New Likes",
    "page_fan_removes_unique:day": "Daily Unlikes",
    "page_fan_removes:day": "Daily Unlikes",
}
_API_RE = re.compile(r"^[a-z0-9_]+:(lifetime|day|week|days_28)$")
#: Key Metrics headers written as the description texts instead of the API names (legacy .xls): the
#: texts of the CSV's description row (tests/fixtures/real/facebook_posts_2017.csv) and the later
#: wording of the Graph API reference, each -> the CSV's column name. The ``(Unique Users)`` /
#: ``(Total Count)`` ending tells people from counts, so it is part of the key.
_DESCRIPTIONS = {
    norm(text): name
    for name, texts in {
        "Lifetime Post Total Reach": (
            "Lifetime: The total number of people your Page post was served to. (Unique Users)",
            "Lifetime: The number of people who saw your Page post. (Unique Users)",
            "Lifetime: The number of people who had your Page's post enter their screen. (Unique Users)",
        ),
        "Lifetime Post Total Impressions": (
            "Lifetime: The number of impressions of your Page post. (Total Count)",
            "Lifetime: The number of times your Page's post entered a person's screen. (Total Count)",
        ),
        "Lifetime Post organic reach": (
            "Lifetime: The number of people who saw your Page post in news feed or ticker, or on your "
            "Page's timeline. (Unique Users)",
        ),
        "Lifetime Post Paid Reach": (
            "Lifetime: The number of people your advertised Page post was served to. (Unique Users)",
        ),
        "Lifetime Engaged Users": (
            "Lifetime: The number of people who clicked anywhere in your posts. (Unique Users)",
        ),
    }.items()
    for text in texts
}
#: Per-action sheets (name prefix, cut by Excel) -> the CSV column group their columns belong to.
_ACTION_SHEETS = {
    "lifetime post stories by act": "Lifetime Post Stories by action type",
    "lifetime post consumptions by": "Lifetime Post Consumptions by type",
}


def _key_metrics(raw: RawFile, id_header: str) -> RawTable | None:
    t = raw.sheet("Key Metrics")
    if t is None or not t.has(id_header) or raw.kind == "csv":
        return None
    return (
        t
        if any(_API_RE.match(k) or k in _DESCRIPTIONS for k in t.keys)
        or t.has("Lifetime Post Total Reach", "Lifetime Total Likes")
        or t.has("Lifetime Total Likes")
        else None
    )


def _readable(table: RawTable, id_header: str) -> RawTable:
    """Key Metrics with readable column names: the row below the API names when it holds them
    (its identifying cell empty), else the known API names translated; a header written as the
    description text (``Lifetime: The number of impressions of your Page post. (Total Count)``)
    takes the name the row below gives (readable or API), else the one its text stands for. The row
    below is dropped."""
    desc = description_row(table, id_header=id_header)
    header = []
    for i, h in enumerate(table.header):
        below = (desc[i] if desc and i < len(desc) else "").strip()
        if below and (_API_RE.match(norm(h)) or norm(h) in _DESCRIPTIONS):
            header.append(_API_NAMES.get(norm(below), below))
        else:
            header.append(_API_NAMES.get(norm(h)) or _DESCRIPTIONS.get(norm(h), h))
    data = drop_description_row(table, id_header=id_header)
    return RawTable(
        data.path, header, data.rows, data.lines, data.header_line, data.sheet, data.preamble,
        data.delimiter, data.encoding,
    )  # fmt: skip


def _with_action_columns(raw: RawFile, table: RawTable) -> RawTable:
    """Key Metrics plus the per-action sheets' columns (``like``, ``comment``, ``share``,
    ``link clicks``) joined on Post ID, named as the CSV names them."""
    header, rows = list(table.header), [list(r) + [""] * (len(table.header) - len(r)) for r in table.rows]
    key = table.index("Post ID")
    for sheet in raw.tables:
        group = next((g for p, g in _ACTION_SHEETS.items() if norm(sheet.sheet or "").startswith(p)), None)
        if group is None or sheet.index("Post ID") is None:
            continue
        sheet = drop_description_row(sheet, id_header="Post ID")
        skey = sheet.index("Post ID")
        known = {norm(h) for h in ("Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages",
                                    "Posted", "Audience Targeting")}  # fmt: skip
        cols = [i for i, k in enumerate(sheet.keys) if k and k not in known]
        values = {(r[skey] if skey < len(r) else "").strip(): r for r in sheet.rows}
        for i in cols:
            header.append(f"{group} - {sheet.header[i].strip()}")
            for row in rows:
                other = values.get(row[key].strip())
                row.append((other[i] if other is not None and i < len(other) else "") or "")
    return RawTable(
        table.path, header, rows, table.lines, table.header_line, table.sheet, table.preamble,
        table.delimiter, table.encoding,
    )  # fmt: skip


def _load_fb_workbook_posts(raw: RawFile, ctx: LoadContext):
    t = _with_action_columns(raw, _readable(_key_metrics(raw, "Post ID"), "Post ID")).without_total_rows()
    frame = _build_legacy_posts(t, ctx, label="Facebook Page Insights workbook (posts)")
    return {"posts": with_network(frame, "facebook")}


def _load_fb_workbook_page(raw: RawFile, ctx: LoadContext):
    t = _readable(_key_metrics(raw, "Date"), "Date").without_total_rows()
    frame = build(t, ctx, FB_PAGE_SPEC, label="Facebook Page Insights workbook (page)")
    return {"audience": with_network(frame, "facebook")}


register(
    Format(
        "facebook_insights_posts_workbook",
        "Facebook Page Insights, post level (legacy .xls workbook)",
        lambda raw: _key_metrics(raw, "Post ID") is not None,
        _load_fb_workbook_posts,
        ("Key Metrics", "Post ID", "post_impressions_unique:lifetime", "post_impressions:lifetime"),
        "facebook",
    )
)
register(
    Format(
        "facebook_insights_page_workbook",
        "Facebook Page Insights, page level (legacy .xls workbook)",
        lambda raw: _key_metrics(raw, "Date") is not None,
        _load_fb_workbook_page,
        ("Key Metrics", "Date", "page_fans:lifetime"),
        "facebook",
    )
)

# Meta Business Suite content.

META_FB = ("Post ID", "Page ID", "Publish time", "Reach")
#: A Facebook content export without its ``Page ID`` column (as the Spanish interface writes it, see
#: :data:`smmkit.io.languages.HEADERS`): a post ID, a publish time and Facebook's ``Reactions``,
#: without Instagram's account columns.
META_FB_NO_PAGE = ("Post ID", "Publish time", "Reactions")
_IG_ACCOUNT = ("Account ID", "Account username")


def _meta_fb_table(raw: RawFile) -> RawTable | None:
    t = table_with(raw, *META_FB)
    if t is None:
        t = table_with(raw, *META_FB_NO_PAGE)
        t = None if t is None or any(t.has(a) for a in _IG_ACCOUNT) else t
    return t


META_FB_SPEC = {
    "post_id": C("id", "Post ID", required=True),
    "published_at": C("ts", "Publish time", required=True),
    "post_type": C("str", "Post type"),
    "text": C("str", "Description", "Title"),
    "url": C("str", "Permalink"),
    "reach": C("int", "Reach"),
    "reach_organic": C("int", "Reach from Organic posts"),
    "reach_paid": C("int", "Reach from Boosted posts"),
    "impressions": C("int", "Impressions", "Views"),
    "likes": C("int", "Reactions"),
    "comments": C("int", "Comments"),
    "shares": C("int", "Shares"),
    "clicks": C("int", "Link Clicks"),
}


def _first_text(table: RawTable, *names: str) -> pd.array:
    """Per row, the first non-empty cell among the columns ``names`` (in that order), else null.

    Meta puts a post's caption in ``Description`` or in ``Title`` depending on the post type
    (photos: ``Title`` only; reels: both), so no single column holds every caption."""
    cols = [c for c in (table.column(n) for n in names) if c is not None]
    out = [next((c[i] for c in cols if c[i].strip()), None) for i in range(len(table.rows))]
    return pd.array(out, dtype="string")


_METADATA_ERROR = "an error occurred while computing metadata"


def _meta_rows(raw: RawFile, table: RawTable, ctx: LoadContext) -> RawTable:
    """A Meta Business Suite content table as real exports need it read (data-contract.md section 2,
    structural rules, release 3): a complete line with fewer fields than the header (Meta leaves out
    a row's trailing empty cells) gets those cells empty; a last line without its line break is left
    as it is (a download cut off mid-line stays an error). Meta's rows with an empty ``Post ID`` and
    an "An error occurred while computing metadata" comment are skipped and counted in a warning."""
    width = len(table.header)
    last = len(table.rows) - 1 if not raw.ends_with_newline and table is raw.tables[-1] else None
    rows = [
        r + [""] * (width - len(r)) if len(r) < width and i != last else r for i, r in enumerate(table.rows)
    ]
    table = dataclasses.replace(table, rows=rows)
    key = table.index("Post ID")
    failed = [
        key is not None
        and not (r[key] if key < len(r) else "").strip()
        and any(_METADATA_ERROR in c.casefold() for c in r)
        for r in table.rows
    ]
    if any(failed):
        n = sum(failed)
        lines = ", ".join(str(line) for line, f in zip(table.lines, failed, strict=True) if f)
        ctx.warnings.append(
            f'skipped {n} row{"s" if n != 1 else ""} without a Post ID that Meta marked "An error occurred '
            f'while computing metadata" (line{"s" if n != 1 else ""} {lines}); the other posts are read. '
            "Meta could not compute those posts: export again later to include them"
        )
        table = table.drop_rows([not f for f in failed])
    return table


def _load_meta_fb(raw: RawFile, ctx: LoadContext):
    t = _meta_rows(raw, _meta_fb_table(raw), ctx)
    tables = one_table(
        "posts", t, ctx, META_FB_SPEC, label="Meta Business Suite content (Facebook)", network="facebook"
    )
    tables["posts"]["text"] = _first_text(t.without_total_rows(), "Description", "Title")
    return tables


register(
    Format(
        "meta_facebook_content",
        "Meta Business Suite content, Facebook",
        lambda raw: _meta_fb_table(raw) is not None,
        _load_meta_fb,
        META_FB,
        "facebook",
    )
)

META_IG = ("Post ID", "Account ID", "Publish time")


def _meta_ig_table(raw: RawFile) -> RawTable | None:
    """The Instagram content table: a post ID, a publish time and an account column (``Account ID``,
    or ``Account username`` where an interface language leaves the ID out), no ``Page ID``."""
    for account in _IG_ACCOUNT:
        t = table_with(raw, "Post ID", account, "Publish time")
        if t is not None and not t.has("Page ID"):
            return t
    return None


META_IG_SPEC = {
    "post_id": C("id", "Post ID", required=True),
    "published_at": C("ts", "Publish time", required=True),
    "post_type": C("str", "Post type"),
    "text": C("str", "Description", "Caption"),
    "url": C("str", "Permalink"),
    "impressions": C("int", "Views", "Impressions"),
    "reach": C("int", "Reach"),
    "likes": C("int", "Likes"),
    "comments": C("int", "Comments"),
    "shares": C("int", "Shares"),
    "saves": C("int", "Saves"),
}


def _load_meta_ig(raw: RawFile, ctx: LoadContext):
    t = _meta_rows(raw, _meta_ig_table(raw), ctx)
    return one_table(
        "posts", t, ctx, META_IG_SPEC, label="Meta Business Suite content (Instagram)", network="instagram"
    )


register(
    Format(
        "meta_instagram_content",
        "Meta Business Suite content, Instagram",
        lambda raw: _meta_ig_table(raw) is not None,
        _load_meta_ig,
        META_IG,
        "instagram",
    )
)


# Meta Business Suite page series.


@dataclasses.dataclass(frozen=True)
class SeriesBlock:
    """One block of a Meta Business Suite page series: its days (header ``Date``, ``Primary``), the
    metric line as written, the language of the block (``"en"``, a known interface language, or
    None for a ``Date`` word the kit does not know) and the metric's English name (None when the
    line is in another language and not one of :data:`smmkit.io.languages.SERIES_METRICS`)."""

    table: RawTable
    metric: str
    language: str | None
    english: str | None


def _primary_header(rows: list[list[str]]) -> str | None:
    """The ``Date`` word of a ``"Date","Primary"`` header row (``Data`` in Portuguese...), else None."""
    for row in rows:
        cells = [c.replace("\ufeff", "").strip() for c in row if c.strip()]
        if len(cells) == 2 and norm(cells[1]) == "primary" and not any(ch.isdigit() for ch in cells[0]):
            return cells[0]
    return None


#: The ``Date`` word of the page series' header in each interface language whose names are known.
_DATE_WORDS = {
    fold(k): lang for lang, names in HEADERS["meta"].items() for k, v in names.items() if v == "Date"
}


def _block(table: RawTable, metric: str, word: str) -> SeriesBlock:
    table = dataclasses.replace(table, header=["Date", *table.header[1:]])
    if fold(word) == "date":
        return SeriesBlock(table, metric, "en", metric)
    known = series_metric(metric)
    language = known[1] if known else _DATE_WORDS.get(fold(word))
    return SeriesBlock(table, metric, language, known[0] if known else None)


def series_blocks(raw: RawFile) -> list[SeriesBlock]:
    """Every block of a Meta Business Suite page-level series: a metric line (``"Follows"``,
    ``"Instagram follows"``, ``"Seguidores no Instagram"``) then ``"Date","Primary"`` (the ``Date``
    word in the interface language) and the days. A file may hold several blocks, one per metric
    and page, with or without a blank line between them."""
    blocks: list[SeriesBlock] = []
    for t in raw.tables:
        if len(t.header) != 1 or not t.header[0].strip():
            continue
        word = _primary_header(t.rows[:2])
        found = t.find_header(word, "Primary", within=2) if word else None
        if found is None or found is t:
            continue
        metric = t.header[0].strip()
        while True:  # a next block inside this table: a one-cell row above a "Date","Primary" row
            cut = next(
                (
                    i
                    for i in range(len(found.rows) - 1)
                    if len([c for c in found.rows[i] if c.strip()]) == 1
                    and _primary_header([found.rows[i + 1]])
                ),
                None,
            )
            if cut is None:
                blocks.append(_block(found, metric, word))
                break
            blocks.append(
                _block(
                    dataclasses.replace(found, rows=found.rows[:cut], lines=found.lines[:cut]), metric, word
                )
            )
            metric = next(c for c in found.rows[cut] if c.strip()).strip()
            rest = found.rows[cut + 1 :]
            word = _primary_header([rest[0]]) or word
            found = dataclasses.replace(
                found, header=[c.strip() for c in rest[0]], rows=rest[1:], lines=found.lines[cut + 2 :],
                header_line=found.lines[cut + 1],
            )  # fmt: skip
    return blocks


_SERIES_USED = {"follows": "new_followers", "visits": "page_views"}


def _series_column(metric: str | None) -> str | None:
    words = norm(metric or "").split()
    return next((col for key, col in _SERIES_USED.items() if words and words[-1] == key), None)


def _series_network(metric: str) -> str:
    return "instagram" if "instagram" in norm(metric) else "facebook"


def _load_meta_series(raw: RawFile, ctx: LoadContext):
    frames = []
    for block in series_blocks(raw):
        column = _series_column(block.english)
        if column is None:
            said = (
                "recognised, not used (only Follows and Visits are read)"
                if block.english is not None
                else f"a metric in {LANGUAGE_NAMES.get(block.language or '', 'another language')} the kit "
                "does not know: not used"
            )
            ctx.notes.append(f"block {block.metric!r}: {said}")
            continue
        if block.language != "en":
            ctx.notes.append(
                f"block {block.metric!r}: read as {block.english!r} (Meta Business Suite in "
                f"{LANGUAGE_NAMES[block.language]})"
            )
        spec = {"date": C("day", "Date", required=True), column: C("int", "Primary", required=True)}
        frame = build(
            block.table.without_total_rows(), ctx, spec, label=f"Meta Business Suite {block.metric}"
        )
        frames.append(with_network(frame, _series_network(block.english)))
    return {"audience": pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]}


register(
    Format(
        "meta_page_series",
        "Meta Business Suite page series (Follows.csv, Visits.csv)",
        lambda raw: any(_series_column(b.english) is not None for b in series_blocks(raw)),
        _load_meta_series,
        ("Date", "Primary"),
    )
)
recognised(
    "meta_page_series_other",
    "Meta Business Suite page series (Reach.csv, Views.csv, ...)",
    lambda raw: any(b.english is not None for b in series_blocks(raw)),
    "a page-level daily total (reach, views, interactions, ...): metrics.md sums these per post "
    "(Meta Business Suite content export); only Follows and Visits are read from page series",
    ("Date", "Primary"),
)
