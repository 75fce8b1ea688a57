"""Ad-account exports: Meta Ads Manager, TikTok Ads Manager, LinkedIn Campaign Manager, X Ads.

Each maps to the canonical ``ads`` table (``date``, ``date_end``, ``network``,
``campaign``, ``spend``, ``impressions``, ``reach``, ``clicks``, ``leads``). A
row with a day breakdown covers that day (``date_end == date``); a row without
one covers the export's whole reporting range. Amounts are in the ad account's
currency: an export in another currency than ``client.yaml: currency`` is an
error naming both, since summing them would mix money.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from smmkit.io.formats.base import Col, Format, LoadContext, NotUsed, build, register
from smmkit.io.readers import RawFile, RawTable, norm

C = Col.of

#: ``Amount spent`` with the account's currency in brackets, whatever it is: ``Amount spent (UAH)``,
#: ``Amount spent (PHP)``, ``Amount spent(USD)``, ``Amount spent (UAH ₴)``.
_AMOUNT = re.compile(r"^amount spent\s*(?:\(\s*([a-z]{3})?[^)]*\))?$")
_SUMS = ("spend", "impressions", "reach", "clicks", "leads")
#: Meta's result indicators that count leads (instant forms, website leads, grouped leads).
_LEAD_INDICATOR = re.compile(r"(?:^|[:._])(?:lead|fb_pixel_lead)(?:$|[:._])|leadgen|lead_grouped")


def _other_currency(label: str, code: str, currency: str) -> NotUsed:
    """An ad export in another currency than the client's: recognised, not used (its rows left
    out, the cost KPIs null), with a warning saying how to fix it; it never fails the client."""
    code, currency = code.upper(), currency.upper()
    return NotUsed(
        f"a {label} in {code}, client.yaml says currency {currency}: amounts in two currencies "
        "cannot be summed, so its rows are left out",
        f"this {label} is in {code}, client.yaml says currency {currency}: its rows are left out and "
        f"the cost KPIs are null; export the ad account in {currency} or set `currency: {code}` in "
        "client.yaml",
        costs=True,
    )


def _check_currency(
    code: str | None, table: RawTable, column: str | None, ctx: LoadContext, label: str
) -> None:
    if code and ctx.currency and code.upper() != ctx.currency.upper():
        raise _other_currency(label, code, ctx.currency)


def _currency_column(table: RawTable, ctx: LoadContext, label: str, *names: str) -> None:
    """A ``Currency`` column: every code in it must be the client's."""
    cells = table.column(*names)
    if cells is None:
        return
    ctx.reading(table, *names)
    for cell in cells:
        code = cell.strip()
        if code and ctx.currency and code.upper() != ctx.currency.upper():
            raise _other_currency(label, code, ctx.currency)


def _aggregate(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per day (or range), network and campaign: a Platform, age or placement breakdown
    splits a campaign's day into several rows, which the later-export-wins merge would
    otherwise treat as duplicates of each other."""
    keys = ["date", "date_end", "network", "campaign"]
    sums = [c for c in _SUMS if c in frame]
    if frame.empty:
        return frame
    frame = frame.assign(campaign=frame["campaign"].fillna(""))
    g = frame.groupby(keys, sort=False, dropna=False)
    out = g[sums].sum(min_count=1)
    out["_file"] = g["_file"].first()
    out["_line"] = g["_line"].min()
    out = out.reset_index()
    out["campaign"] = out["campaign"].replace("", None)
    return out


def _range_note(frame: pd.DataFrame, ctx: LoadContext) -> None:
    delivered = frame[[c for c in _SUMS if c in frame]].fillna(0).ne(0).any(axis=1)
    ranged = frame[(frame["date_end"] > frame["date"]) & delivered]
    if len(ranged):
        first, last = ranged["date"].min().date(), ranged["date_end"].max().date()
        n = len(ranged)
        ctx.warnings.append(
            f"{n} ad row{'s' if n != 1 else ''} without a day breakdown cover{'s' if n == 1 else ''} "
            f"{first.isoformat()}..{last.isoformat()} as a whole: their totals are right for a report "
            "period that contains that range, not for one that cuts it; export with the Day breakdown "
            "(Breakdown > By time > Day) to report any period"
        )


# ----------------------------------------------------------------------------- Meta Ads Manager

META_CAMPAIGN = ("Campaign name", "Ad set name", "Ad name")


def _meta_amount(table: RawTable) -> tuple[int, str | None] | None:
    for i, k in enumerate(table.keys):
        m = _AMOUNT.match(k)
        if m:
            return i, m.group(1)
    return None


def _is_meta_table(t: RawTable) -> bool:
    dated = t.has("Reporting starts", "Reporting ends") or t.has("Day")
    return dated and t.index(*META_CAMPAIGN) is not None and _meta_amount(t) is not None


def _meta_table(raw: RawFile) -> RawTable | None:
    """The Meta Ads Manager table of ``raw``: ``Campaign name`` (or ad set / ad), ``Amount spent (XXX)``
    and ``Reporting starts``/``Reporting ends`` or ``Day``; its header on the first row or below a
    title block (spreadsheet re-saves)."""
    for t in raw.tables:
        if _is_meta_table(t):
            return t
        for name in META_CAMPAIGN:
            found = t.find_header(name)
            if found is not None and found is not t and _is_meta_table(found):
                return found
    return None


def _platform_network(value: object) -> str:
    """Meta's ``Platform`` breakdown: instagram is Instagram; facebook, messenger,
    audience_network (and anything else Meta adds) are Facebook's ad inventory."""
    return "instagram" if norm(value) == "instagram" else "facebook"


def _load_meta_ads(raw: RawFile, ctx: LoadContext):
    t = _meta_table(raw)
    label = "Meta Ads Manager export"
    pos, code = _meta_amount(t)
    amount = t.header[pos].strip()
    _check_currency(code, t, amount, ctx, label)  # set aside, never a failed client
    _currency_column(t, ctx, label, "Currency")
    camp = t.index(*META_CAMPAIGN)
    # "No data available." (the account delivered nothing) and the account total (the first
    # data row, with an empty campaign name) are not campaign rows.
    nodata = [bool(r) and norm(r[0]).rstrip(".") == "no data available" for r in t.rows]
    rows_nodata = [(r, n) for r, n, flag in zip(t.rows, t.lines, nodata, strict=True) if flag]
    t = t.drop_rows([not f for f in nodata])
    if t.rows and not (t.rows[0][camp] if camp < len(t.rows[0]) else "").strip():
        t = t.drop_rows([False] + [True] * (len(t.rows) - 1))
    t = t.without_total_rows()
    day = "Day" if t.has("Day") else None
    spec = {
        "date": C("day", day or "Reporting starts", required=True),
        "date_end": C("day", day or "Reporting ends", required=True),
        "campaign": C("str", *META_CAMPAIGN),
        "spend": C("float", amount),
        "impressions": C("int", "Impressions"),
        "reach": C("int", "Reach"),
        "clicks": C("int", "Link clicks"),
        "leads": C("int", "Leads"),
        "platform": C("str", "Platform"),
        "results": C("float", "Results"),
        "indicator": C("str", "Result indicator"),
    }
    ctx.reading(t, "Reporting starts", "Reporting ends")
    frame = build(t, ctx, spec, label=label)
    if "leads" not in frame and "results" in frame and "indicator" in frame:
        lead = frame["indicator"].fillna("").str.casefold().str.contains(_LEAD_INDICATOR)
        frame["leads"] = frame["results"].where(lead.to_numpy(dtype=bool), np.nan)
    frame = frame.drop(columns=[c for c in ("results", "indicator") if c in frame])
    platform = frame.pop("platform") if "platform" in frame else pd.Series([None] * len(frame))
    frame["network"] = [_platform_network(p) for p in platform]
    if rows_nodata:
        ctx.notes.append("`No data available.`: the ad account delivered nothing in this export's range")
    if frame.empty and rows_nodata:
        frame = _no_delivery(rows_nodata, t)
    frame = _aggregate(frame)
    if len(frame):
        _range_note(frame, ctx)
    return {"ads": frame}


def _no_delivery(rows: list[tuple[list[str], int]], t: RawTable) -> pd.DataFrame:
    """A ``No data available.`` export: zero ad counts over its reporting range, when it has one."""
    s, e = t.index("Reporting starts"), t.index("Reporting ends")
    out = []
    for r, line in rows:
        start = r[s].strip() if s is not None and s < len(r) else ""
        end = r[e].strip() if e is not None and e < len(r) else ""
        if start and end:
            out.append({"date": pd.Timestamp(start), "date_end": pd.Timestamp(end), "network": "facebook",
                        "campaign": None, "spend": 0.0, "impressions": 0, "clicks": 0, "_file": str(t.path),
                        "_line": line})  # fmt: skip
    return pd.DataFrame(out, columns=["date", "date_end", "network", "campaign", "spend", "impressions", "clicks",
                                      "_file", "_line"])  # fmt: skip


register(
    Format(
        "meta_ads",
        "Meta Ads Manager export",
        lambda raw: _meta_table(raw) is not None,
        _load_meta_ads,
        ("Campaign name", "Reporting starts", "Reporting ends", "Amount spent", "Impressions", "Link clicks"),
        "facebook",
    )
)

# ----------------------------------------------------------------------------- other ad platforms


def _simple_ads(
    name: str,
    label: str,
    network: str,
    signature: tuple[str, ...],
    *,
    find: tuple[str, ...],
    spec: dict,
    currency: tuple[str, ...] = ("Currency",),
    prepare=None,
) -> Format:
    """An ad export with a header that ``find`` identifies (possibly below a title block);
    ``prepare(table, ctx)`` (optional) returns the table as the loader reads it (or raises)."""

    def table(raw: RawFile) -> RawTable | None:
        for t in raw.tables:
            found = t.find_header(*find)
            if found is not None:
                return found
        return None

    def load(raw: RawFile, ctx: LoadContext):
        t = table(raw).without_total_rows()
        _currency_column(t, ctx, label, *currency)
        if prepare is not None:
            t = prepare(t, ctx)
        frame = build(t, ctx, spec, label=label)
        if "date_end" not in frame:
            frame["date_end"] = frame["date"]
        frame["network"] = network
        frame = _aggregate(frame)
        if len(frame):
            _range_note(frame, ctx)
        return {"ads": frame}

    return register(Format(name, label, lambda raw: table(raw) is not None, load, signature, network))


# TikTok Ads Manager custom report (Reporting > Custom reports > Export, CSV/XLSX). Metric names as in
# TikTok's "Basic metrics and definitions" (ads.tiktok.com/help/article?aid=10000166): Cost,
# Impressions, Reach, Clicks (destination); dimensions Campaign name / Ad group name / Ad name, By Day.
_TT_DAYS = ("By Day", "Date", "Day", "Stat time day")
_TT_MASKED = re.compile(r"^\s*<\s*\d+\s*$")  # "<5": TikTok hides a count below 5
_TT_COUNTS = ("Impressions", "Reach", "Clicks (destination)")


def _tiktok_ads_table(table: RawTable, ctx: LoadContext) -> RawTable:
    """A TikTok Ads Manager report as the loader reads it. Without a day column (a campaign or ad
    export over the range picked in the interface, which the file does not hold) its spend belongs
    to no report day: recognised, not used, with the fix. TikTok masks a count below 5 as ``<5``:
    such a cell is unknown (null), counted in a warning."""
    if table.index(*_TT_DAYS) is None:
        raise NotUsed(
            "a TikTok Ads Manager report without a day column: the file does not say which days its "
            "spend belongs to, so its rows are left out",
            "this TikTok Ads Manager report has no day column: its rows are left out and the cost KPIs "
            "are null; in TikTok Ads Manager add the Day dimension (By Day) to the report and export it again",
            costs=True,
        )
    cols = [i for i in (table.index(c) for c in _TT_COUNTS) if i is not None]
    masked = 0
    rows = []
    for row in table.rows:
        row = list(row)
        for i in cols:
            if i < len(row) and _TT_MASKED.match(row[i]):
                row[i], masked = "", masked + 1
        rows.append(row)
    if masked:
        ctx.warnings.append(
            f"{masked} cell{'s' if masked != 1 else ''} written '<5' (TikTok hides counts below 5) "
            "read as unknown: the sums of those columns may be up to 4 per cell low"
        )
    return RawTable(
        table.path, table.header, rows, table.lines, table.header_line, table.sheet, table.preamble,
        table.delimiter, table.encoding,
    )  # fmt: skip


_simple_ads(
    "tiktok_ads",
    "TikTok Ads Manager report",
    "tiktok",
    ("Campaign name", "By Day", "Cost", "Impressions", "Clicks (destination)"),
    find=("Cost", "Clicks (destination)"),
    spec={
        "date": C("day", *_TT_DAYS, required=True),
        "campaign": C("str", "Campaign name", "Ad group name", "Ad name"),
        "spend": C("float", "Cost", required=True),
        "impressions": C("int", "Impressions"),
        "reach": C("int", "Reach"),
        "clicks": C("int", "Clicks (destination)"),
        "leads": C("int", "Leads", "Form submissions", "Total leads"),
    },
    prepare=_tiktok_ads_table,
)

# LinkedIn Campaign Manager "Campaign performance" export: a title block, then a header with
# "Start Date (in UTC)", "Campaign Name", "Currency", "Total Spent" (the account's currency),
# "Impressions", "Clicks", "Leads" (names as LinkedIn's reporting glossary lists them).
_simple_ads(
    "linkedin_ads",
    "LinkedIn Campaign Manager export",
    "linkedin",
    ("Start Date (in UTC)", "Campaign Name", "Total Spent", "Impressions", "Clicks", "Leads"),
    find=("Total Spent", "Impressions"),
    spec={
        "date": C("day", "Start Date (in UTC)", "Start Date", "Date", required=True),
        "date_end": C("day", "End Date (in UTC)", "End Date"),
        "campaign": C("str", "Campaign Name", "Campaign Group Name", "Campaign"),
        "spend": C("float", "Total Spent", "Amount Spent", required=True),
        "impressions": C("int", "Impressions"),
        "reach": C("int", "Reach", "Approximate Member Reach"),
        "clicks": C("int", "Clicks"),
        "leads": C("int", "Leads"),
    },
)

# X Ads (ads.x.com) campaign export: "Time period" (the day with a daily breakdown), "Campaign name",
# "Currency", "Spend", "Billed charge", "Impressions", "Link clicks".
_simple_ads(
    "x_ads",
    "X Ads campaign export",
    "x",
    ("Campaign name", "Time period", "Spend", "Billed charge", "Impressions", "Link clicks"),
    find=("Billed charge", "Impressions"),
    spec={
        "date": C("day", "Time period", "Date", "Day", required=True),
        "campaign": C("str", "Campaign name", "Ad group name"),
        "spend": C("float", "Spend", "Billed charge", required=True),
        "impressions": C("int", "Impressions"),
        "reach": C("int", "Reach"),
        "clicks": C("int", "Link clicks", "Clicks"),
        "leads": C("int", "Leads"),
    },
)

# VK Ads (ads.vk.com, formerly myTarget) statistics export in the Russian interface: the metric names
# of the help centre (target.my.com/help/advertisers/statistics/ru: Показы, Клики, Расход; the API's
# shows, clicks, amount, currency at ads.vk.com/en/help/partner/partner_api/partner_statistics_api).
# No public sample file was found: the aliases cover the names the interface has used.
_simple_ads(
    "vk_ads",
    "VK Ads statistics export",
    "vk",
    ("Дата", "Кампания", "Показы", "Клики", "Расход"),
    find=("Показы", "Клики"),
    spec={
        "date": C("day", "Дата", "День", required=True),
        "campaign": C("str", "Кампания", "Название кампании", "Группа объявлений", "Объявление"),
        "spend": C("float", "Расход", "Списания", "Потрачено", "Расход, ₽", required=True),
        "impressions": C("int", "Показы"),
        "reach": C("int", "Охват"),
        "clicks": C("int", "Клики"),
        "leads": C("int", "Лиды"),
    },
    currency=("Валюта", "Currency"),
)

__all__ = ["META_CAMPAIGN"]
