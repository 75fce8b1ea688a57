"""Generate the three demo clients of ``data/clients/`` (deterministic).

Each client folder gets ``client.yaml``, ``logo.png`` and ``exports/`` with
every export written in its *native* format as ``../shared/data-contract.md``
section 2 describes it (header names, encodings, delimiters, date formats,
description rows, ``Total`` rows, disclaimers, ...). The numbers come from a
small simulation per network, so that they hang together:

- followers: ``followers(d) = followers(d-1) + new(d) - lost(d)``, with weekly
  seasonality, contests (a spike of joins, then an unfollow wave 4-6 days
  later), bought followers (a lump of joins; engagement per post falls
  afterwards), paid campaigns (more joins, paid reach) and crises;
- posts: 3-10 a week per network, reach proportional to the real (non-bot)
  followers, ``impressions >= reach``, likes/comments/shares drawn around the
  reach;
- web sessions from social sources follow post clicks, ad clicks and contests;
- inbox and mentions follow the crisis and contest days.

Everything is drawn from ``numpy.random.default_rng`` streams seeded by
constants, no wall clock is read, XLSX archives get fixed timestamps and the
PNG logos are encoded by hand, so re-running writes the same bytes::

    python scripts/make_demo_data.py                 # -> data/clients/
    python scripts/make_demo_data.py --out /tmp/demo  # e.g. for a test

The scenario (events and their dates) is listed in the generated
``data/clients/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from openpyxl import Workbook

PROJ_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = PROJ_ROOT / "data" / "clients"

START = pd.Timestamp("2025-07-01")
END = pd.Timestamp("2026-10-31")
DAYS = pd.date_range(START, END, freq="D")
N_DAYS = len(DAYS)

#: Share of a post's lifetime activity that happens on day 0, 1, 2, ... after publishing.
DECAY = np.array([0.45, 0.22, 0.12, 0.08, 0.05, 0.04, 0.02, 0.02])
#: Fixed time stamped into XLSX archives (zip entries and docProps/core.xml).
FIXED_ZIP_TIME = (2026, 11, 1, 0, 0, 0)
FIXED_CORE_TIME = b"2026-11-01T00:00:00Z"

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert('x')</script>"


# --------------------------------------------------------------------------- scenario
@dataclass(frozen=True)
class Contest:
    """A giveaway post: joins jump for 3 days, 40 % of them leave 4-6 days later."""

    network: str
    day: str


@dataclass(frozen=True)
class Bought:
    """Bought (bot) followers: ``size`` joins over two days; bots never engage."""

    network: str
    day: str
    size: int


@dataclass(frozen=True)
class Campaign:
    """A paid campaign: ad rows (when ``ads``) and/or paid reach on the network's posts."""

    network: str
    name: str
    start: str
    end: str
    daily_spend: float = 0.0
    cpm: float = 5.0  # currency per 1000 impressions
    ctr: float = 0.01  # clicks / impressions
    cvr: float = 0.05  # leads / clicks
    ads: bool = True  # rows in the ads export
    boost_posts: bool = False  # paid reach on the network's own posts

    def days(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, self.end, freq="D")


@dataclass(frozen=True)
class NetSpec:
    """How one network of a client behaves."""

    network: str
    followers0: int
    new_rate: float  # daily joins / followers
    lost_rate: float  # daily leaves / followers
    posts_per_week: tuple[int, int]
    reach_frac: float  # post reach / real followers
    like_rate: float  # likes / reach
    comment_ratio: float  # comments / likes
    share_ratio: float  # shares / likes
    save_ratio: float  # saves / likes
    click_rate: float  # link clicks / reach
    post_types: tuple[tuple[str, float, float, bool], ...]  # label, weight, reach factor, is video
    hours: tuple[int, int] = (8, 21)


@dataclass(frozen=True)
class Client:
    slug: str
    seed: int
    yaml: str
    color: str
    tz: str
    weekday: tuple[float, ...]  # Mon..Sun activity factor
    nets: tuple[NetSpec, ...]
    texts: tuple[str, ...]
    emoji: tuple[str, ...]
    contest_text: str
    ad_text: str
    contests: tuple[Contest, ...] = ()
    bought: tuple[Bought, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    crisis: str | None = None
    crisis_networks: tuple[str, ...] = ()
    xss_img: str = ""  # network of the October contest post that carries XSS_IMG
    xss_script: str = ""  # network whose top October post carries XSS_SCRIPT
    notes: tuple[str, ...] = ()


def _types(*items: tuple[str, float, float, bool]) -> tuple[tuple[str, float, float, bool], ...]:
    return tuple(items)


RU_TEXTS = (
    "Новый сезонный напиток: тыквенный латте с корицей. Попробуйте в любой кофейне сети!",
    "Доброе утро! Капучино + круассан = 290 руб. до 11:00, каждый будний день.",
    'Бариста дня — Аня из «Кофе Поинт» на Тверской. Её секрет: "молоко не выше 65 градусов".',
    "Мы открылись на Покровке!\nЖдём вас с 8:00 до 22:00, каждый день.",
    "Опрос: что вы берёте чаще — эспрессо, американо или раф?",
    "Скидка 20% на второй напиток до конца недели; предложение действует по карте лояльности.",
    "Обжарили новую партию: Эфиопия Иргачефф, ноты жасмина, бергамота и персика.",
    "Фото от гостей: ваши утренние чашки. Отмечайте нас, чтобы попасть в подборку!",
    "Работаем в праздники по обычному графику.\nАдреса — в профиле, №1–№14.",
    'Рецепт дня: "айс-латте с лавандой", 3 шага, 5 минут.',
    "Вакансии: ищем бариста в 3 кофейни, обучение за наш счёт. Пишите в личные сообщения.",
    "Как выбрать зерно для дома? Коротко, по пунктам:\n1) обжарка\n2) помол\n3) вода",
    "Пятничный плейлист от наших бариста, ссылка в описании; ставьте лайк, если понравилось.",
    "Новый десерт: чизкейк «Сан-Себастьян». Лимитированная партия, 40 штук в день.",
)
EN_B2B_TEXTS = (
    "Pipeline reviews shouldn't take an hour. Here's how our customers run them in 15 minutes.",
    'New in Nimbus: "Smart follow-ups" remind reps before a deal goes cold.',
    "Webinar on Thursday: forecasting, without the spreadsheets.\nRegister via the link below.",
    "3 metrics every sales leader should track weekly: win rate, cycle length, pipeline coverage.",
    "Customer story: how Acme, Inc. cut onboarding time by 40%.",
    "We're hiring! Senior backend engineers, remote (US/EU).",
    "Release notes, v4.2: faster search, bulk edit, and a new API endpoint for activities.",
    'Our CEO on the "AI SDR" hype: useful, but not magic.',
    "Free template: the 2026 sales-comp plan, in one sheet.",
    "Integrations update: Slack, HubSpot, and Gmail sync now run every 60 seconds.",
    "Q&A recap:\n- pricing per seat\n- SSO on every plan\n- data residency in the EU",
    "Привет, Москва: Nimbus CRM now speaks Russian (interface and support).",
)
EN_FASHION_TEXTS = (
    "The AW26 wool coat, in three colours: camel, ink and forest.",
    'Our "Nord" knit is back in stock, sizes XS to XL.',
    "Made in Porto, finished in Berlin.\nMeet the people behind our denim.",
    "Free shipping on orders over €120 this weekend, EU only.",
    "Style note: a linen shirt under a merino cardigan, for cool mornings.",
    "Care guide: wash wool cold, dry flat, store folded (never on a hanger).",
    "New drop Friday, 10:00 CET. Set a reminder!",
    "Behind the scenes of the autumn shoot, Copenhagen, 6 a.m.",
    "Repair service: send us your worn Atelier Nord pieces, we'll mend them for free.",
    "Sale: up to 40% off summer linen, while sizes last.",
    "Grüße aus Berlin — Привет из Берлина! Our Mitte store turns one.",
    'Customer review: "the best trousers I own", says Lena from Hamburg.',
)

# fmt: off
COFFEE = Client(
    slug="coffee-point",
    seed=101,
    yaml="""\
name: Coffee Point
timezone: Europe/Moscow
currency: RUB
language: ru
monthly_cost: 90000
cost_overrides: {"2026-10": 120000}
aliases: [CoffeePoint, "Кофе Поинт"]
competitors: ["Brew Bros", "Latte Land"]
targets: {er: 28, new_followers: 5500, cpl: 400}
brand: {color: "#6b3fa0", logo: logo.png}
analyst: "Мария Иванова"
""",
    color="#6b3fa0",
    tz="Europe/Moscow",
    weekday=(0.95, 0.95, 1.0, 1.0, 1.05, 1.25, 1.2),
    nets=(
        NetSpec("vk", 24000, 0.0016, 0.0009, (5, 10), 0.17, 0.035, 0.08, 0.10, 0.0, 0.006,
                _types(("photo", 0.6, 1.0, False), ("text", 0.15, 0.8, False), ("clip", 0.25, 1.5, True))),
        NetSpec("telegram", 8200, 0.0014, 0.0010, (5, 10), 0.38, 0.018, 0.05, 0.12, 0.0, 0.004,
                _types(("text", 0.4, 1.0, False), ("photo", 0.45, 1.05, False), ("video", 0.15, 1.1, True))),
        NetSpec("ok", 9500, 0.0011, 0.0008, (3, 5), 0.12, 0.03, 0.06, 0.15, 0.0, 0.003,
                _types(("photo", 0.7, 1.0, False), ("text", 0.2, 0.8, False), ("video", 0.1, 1.3, True))),
        NetSpec("instagram", 31000, 0.0017, 0.0011, (4, 8), 0.24, 0.055, 0.04, 0.03, 0.06, 0.0,
                _types(("IG image", 0.45, 1.0, False), ("IG reel", 0.35, 1.7, True),
                       ("IG carousel", 0.2, 1.15, False))),
    ),
    texts=RU_TEXTS,
    emoji=(" ☕️", " ✨", " 🍂", " 🥐☕️", " 💜"),
    contest_text=(
        'КОНКУРС! Разыгрываем годовой абонемент на кофе. Условия: 1) подписаться, 2) сделать репост, '
        '3) оставить комментарий "хочу кофе".\nИтоги — через неделю.'
    ),
    ad_text="Реклама. Осенний латте в «Кофе Поинт»: второй напиток в подарок до 25 октября.",
    contests=(Contest("vk", "2026-03-14"), Contest("instagram", "2026-08-22"), Contest("vk", "2026-10-05")),
    bought=(Bought("vk", "2026-08-11", 3200),),
    campaigns=(
        Campaign("vk", "Осенний латте — охват", "2026-10-12", "2026-10-25", daily_spend=4200.0, cpm=95.0,
                 ctr=0.009, cvr=0.06, boost_posts=True),
    ),
    crisis="2026-10-20",
    crisis_networks=("vk", "instagram"),
    xss_img="vk",
    xss_script="instagram",
    notes=(
        "`vk_ads.csv` gives the VK campaign its cost and leads (for the `cpl` target).",
        "VK January 2026 posts are in both VK files; the later file has the higher lifetime numbers.",
        "Telegram exports followers only (no joins/leaves) and views without reach.",
    ),
)
# fmt: on

# fmt: off
NIMBUS = Client(
    slug="nimbus-crm",
    seed=202,
    yaml="""\
name: Nimbus CRM
timezone: America/New_York
currency: USD
language: en
monthly_cost: 6000
competitors: ["PipeFlow", "Dealdesk"]
targets: {leads: 120, ctr: 1.2}
brand: {color: "#0f6cbd", logo: logo.png}
""",
    color="#0f6cbd",
    tz="America/New_York",
    weekday=(1.1, 1.15, 1.1, 1.05, 0.95, 0.4, 0.35),
    nets=(
        NetSpec("linkedin", 12000, 0.0013, 0.0, (3, 6), 0.11, 0.018, 0.10, 0.06, 0.0, 0.008,
                _types(("Image", 0.4, 1.0, False), ("Video", 0.2, 1.3, True), ("Article", 0.15, 0.8, False),
                       ("Document", 0.15, 1.2, False), ("Text", 0.1, 0.7, False)), hours=(8, 17)),
        NetSpec("x", 8000, 0.0012, 0.0008, (5, 10), 0.09, 0.012, 0.15, 0.25, 0.03, 0.006,
                _types(("text", 0.5, 1.0, False), ("photo", 0.35, 1.2, False), ("video", 0.15, 1.3, True)),
                hours=(7, 19)),
        NetSpec("facebook", 5200, 0.0010, 0.0006, (3, 5), 0.10, 0.025, 0.10, 0.08, 0.0, 0.01,
                _types(("Photo", 0.45, 1.0, False), ("Link", 0.35, 0.9, False), ("Video", 0.12, 1.3, True),
                       ("Status", 0.08, 0.7, False)), hours=(8, 18)),
    ),
    texts=EN_B2B_TEXTS,
    emoji=(" 🚀", " 📈", " ✅"),
    contest_text="GIVEAWAY: win a ticket to CRM Summit 2026! Repost + follow, winner announced Friday.",
    ad_text="Sponsored: book a 20-minute Nimbus CRM demo and get a free pipeline audit.",
    contests=(Contest("facebook", "2026-08-20"), Contest("x", "2026-10-06")),
    bought=(Bought("facebook", "2026-09-03", 1500),),
    campaigns=(
        Campaign("x", "X - Demo traffic Q4", "2026-10-01", "2026-10-21", daily_spend=150.0, cpm=7.5,
                 ctr=0.008, cvr=0.02),
        Campaign("linkedin", "LinkedIn Lead Gen - Q4 Demo", "2026-09-21", "2026-10-31", daily_spend=260.0,
                 cpm=38.0, ctr=0.007, cvr=0.1, boost_posts=True),
        Campaign("facebook", "FB boosted posts", "2026-09-21", "2026-10-18", ads=False, boost_posts=True),
    ),
    xss_img="facebook",
    xss_script="linkedin",
    notes=(
        "No mentions or inbox export: share of voice and community KPIs are unknown.",
        "LinkedIn and X export no follower totals (LinkedIn: daily new only; X: new and unfollows).",
        "The GA4 2025 file's second table (by `Session source`, no `Date`) repeats the daily table's totals "
        "for 2025-07-01..2025-12-31: never add both.",
        "FB boosted posts have paid reach but no ad rows (their cost is unknown).",
    ),
)
# fmt: on

# fmt: off
ATELIER = Client(
    slug="atelier-nord",
    seed=303,
    yaml="""\
name: Atelier Nord
timezone: Europe/Berlin
currency: EUR
language: en
monthly_cost: 4500
aliases: ["AtelierNord"]
competitors: ["Maison Verte"]
targets: {er: 40, share_of_voice: 30}
brand: {color: "#c2410c", logo: logo.png}
analyst: "Jamie Lee"
""",
    color="#c2410c",
    tz="Europe/Berlin",
    weekday=(0.9, 0.9, 0.95, 1.0, 1.1, 1.2, 1.15),
    nets=(
        NetSpec("instagram", 42000, 0.0016, 0.0010, (5, 9), 0.22, 0.045, 0.04, 0.03, 0.08, 0.0,
                _types(("IG image", 0.4, 1.0, False), ("IG reel", 0.4, 1.8, True),
                       ("IG carousel", 0.2, 1.2, False))),
        NetSpec("facebook", 15000, 0.0009, 0.0007, (3, 6), 0.09, 0.02, 0.08, 0.10, 0.0, 0.012,
                _types(("Photos", 0.55, 1.0, False), ("Reels", 0.2, 1.5, True), ("Links", 0.2, 0.9, False),
                       ("Text", 0.05, 0.7, False))),
        NetSpec("tiktok", 23000, 0.0025, 0.0014, (3, 7), 0.45, 0.07, 0.02, 0.04, 0.05, 0.0,
                _types(("video", 1.0, 1.0, True),), hours=(10, 22)),
        NetSpec("youtube", 3800, 0.0012, 0.0004, (3, 4), 0.6, 0.04, 0.05, 0.02, 0.0, 0.0,
                _types(("Video", 0.4, 1.0, True), ("Short", 0.6, 1.6, True)), hours=(11, 19)),
    ),
    texts=EN_FASHION_TEXTS,
    emoji=(" 🧥", " ✨", " 🌿", " 🤍"),
    contest_text="GIVEAWAY 🎁 Win the AW26 wool coat: follow @ateliernord, like, and tag a friend. Ends Sunday.",
    ad_text="Sponsored: the AW26 collection is here. Sign up for early access and 10% off.",
    contests=(Contest("tiktok", "2026-08-28"), Contest("instagram", "2026-10-08")),
    bought=(Bought("instagram", "2026-08-12", 2500),),
    campaigns=(
        Campaign("instagram", "AW26 Lead Ads", "2026-10-05", "2026-10-25", daily_spend=95.0, cpm=6.5,
                 ctr=0.011, cvr=0.08, boost_posts=True),
        Campaign("facebook", "AW26 Lead Ads", "2026-10-05", "2026-10-25", daily_spend=55.0, cpm=5.0,
                 ctr=0.009, cvr=0.07, boost_posts=True),
    ),
    crisis="2026-10-21",
    crisis_networks=("instagram", "facebook"),
    xss_img="instagram",
    xss_script="facebook",
    notes=(
        "TikTok followers are in `audience.csv` for every day and in both `FollowerHistory.csv` files for "
        "their ranges, with the same values (duplicates that agree).",
        "YouTube `Table data.csv` holds lifetime totals per video; the first row is `Total`.",
    ),
)
# fmt: on

CLIENTS = (COFFEE, NIMBUS, ATELIER)


# --------------------------------------------------------------------------- helpers
def stream(client: Client, name: str) -> np.random.Generator:
    """An independent random stream per client and purpose (stable across edits elsewhere)."""
    return np.random.default_rng([client.seed, zlib.crc32(name.encode())])


def day_index(ts: pd.Series) -> np.ndarray:
    """Index into :data:`DAYS` of each timestamp's day."""
    return ((ts.dt.normalize() - START).dt.days).to_numpy()


def spread_daily(days: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Spread lifetime totals of posts over the days after publishing (:data:`DECAY`)."""
    by_day = np.zeros(N_DAYS)
    np.add.at(by_day, days, values)
    return np.convolve(by_day, DECAY)[:N_DAYS]


def fmt_int(value: float | None, sep: str = "") -> str:
    """``1234 -> '1234'`` or, with ``sep=' '``, ``'1 234'``; missing -> ''."""
    if value is None or pd.isna(value):
        return ""
    return f"{round(value):,}".replace(",", sep)


def fmt_dec(value: float | None, *, decimal: str = ".", sep: str = "", digits: int = 2) -> str:
    if value is None or pd.isna(value):
        return ""
    whole, frac = f"{value:,.{digits}f}".split(".")
    return whole.replace(",", sep) + decimal + frac


def us_date(d: pd.Timestamp, *, pad: bool = True, year: str = "%Y") -> str:
    """``10/01/2026`` (pad) or ``10/1/2026``; ``year='%y'`` gives ``10/01/26``."""
    return d.strftime(f"%m/%d/{year}") if pad else f"{d.month}/{d.day}/{d.strftime(year)}"


def x_date(d: pd.Timestamp) -> str:
    """X account analytics day: ``Tue, Jul 14, 2026``."""
    return f"{d.strftime('%a, %b')} {d.day}, {d.year}"


def excel_serial(d: pd.Timestamp) -> int:
    return (d.normalize() - pd.Timestamp("1899-12-30")).days


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    lineterminator: str = "\n",
    quoting: int = csv.QUOTE_MINIMAL,
    preamble: str = "",
) -> None:
    buf = io.StringIO()
    buf.write(preamble)
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))


def save_xlsx(wb: Workbook, path: Path) -> None:
    """Save a workbook with fixed zip and document timestamps (byte-reproducible)."""
    wb.properties.creator = "LinkedIn"
    wb.properties.created = datetime(2026, 11, 1)
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>" + FIXED_CORE_TIME + rb"\g<3>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def sheet_with_disclaimer(wb: Workbook, title: str, disclaimer: str, header: Sequence[str], rows) -> None:
    ws = wb.create_sheet(title)
    ws.append([disclaimer])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))


# --------------------------------------------------------------------------- logo (hand-made PNG)
def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode an ``(h, w, 4)`` uint8 array as PNG (no metadata, fixed zlib level)."""
    h, w, _ = rgba.shape
    raw = b"".join(b"\x00" + rgba[y].tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def logo(color: str, slug: str, size: int = 96, ss: int = 4) -> bytes:
    """A simple geometric logo in the brand colour, antialiased by supersampling."""
    n = size * ss
    y, x = (np.mgrid[0:n, 0:n] + 0.5) / n  # unit square
    disc = (x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.48**2
    if slug == "coffee-point":  # a cup with a handle
        cup = (x > 0.28) & (x < 0.62) & (y > 0.36) & (y < 0.7)
        ring = np.abs(np.hypot(x - 0.64, y - 0.5) - 0.08) < 0.03
        mark = cup | (ring & (x > 0.6))
    elif slug == "nimbus-crm":  # a cloud
        mark = (
            (np.hypot(x - 0.38, y - 0.55) < 0.14)
            | (np.hypot(x - 0.55, y - 0.45) < 0.17)
            | (np.hypot(x - 0.68, y - 0.58) < 0.11)
            | ((x > 0.38) & (x < 0.68) & (y > 0.55) & (y < 0.69))
        )
    else:  # an N of three bars
        bars = ((x > 0.3) & (x < 0.4)) | ((x > 0.6) & (x < 0.7))
        diag = np.abs((y - 0.28) - (x - 0.3) * (0.44 / 0.4)) < 0.06
        mark = (bars | (diag & (x > 0.3) & (x < 0.7))) & (y > 0.28) & (y < 0.72)
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    img = np.zeros((n, n, 4))
    img[disc, :3] = rgb
    img[disc, 3] = 255
    img[disc & mark, :3] = 255
    small = img.reshape(size, ss, size, ss, 4).mean(axis=(1, 3))
    return png_bytes(np.round(small).astype(np.uint8))


# --------------------------------------------------------------------------- simulation
def contest_days(client: Client, network: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(c.day) for c in client.contests if c.network == network]


def simulate_audience(client: Client, spec: NetSpec) -> pd.DataFrame:
    """Daily followers, joins, leaves, bots, page views of one network.

    ``followers[d] = followers[d-1] + new[d] - lost[d]`` (end-of-day counts).
    """
    rng = stream(client, f"audience/{spec.network}")
    wk = np.array([client.weekday[d.weekday()] for d in DAYS])
    season = 1 + 0.15 * np.sin(2 * np.pi * (DAYS.day_of_year.to_numpy() - 60) / 365.25)
    campaign = np.ones(N_DAYS)
    for c in client.campaigns:
        if c.network == spec.network:
            campaign[DAYS.isin(c.days())] = 1.6
    contest_frac = np.zeros(N_DAYS)
    for day in contest_days(client, spec.network):
        i = DAYS.get_loc(day)
        contest_frac[i : i + 3] += [0.03, 0.015, 0.006]
    bought = np.zeros(N_DAYS, dtype=int)
    for b in client.bought:
        if b.network == spec.network:
            i = DAYS.get_loc(pd.Timestamp(b.day))
            bought[i], bought[i + 1] = round(b.size * 0.62), b.size - round(b.size * 0.62)
    crisis = np.ones(N_DAYS)
    if client.crisis and spec.network in client.crisis_networks:
        i = DAYS.get_loc(pd.Timestamp(client.crisis))
        crisis[i : i + 3] = [2.5, 2.0, 1.4]

    followers = np.zeros(N_DAYS, dtype=int)
    new = np.zeros(N_DAYS, dtype=int)
    lost = np.zeros(N_DAYS, dtype=int)
    wave = np.zeros(N_DAYS + 8)
    f = spec.followers0
    for i in range(N_DAYS):
        contest_new = rng.poisson(f * contest_frac[i]) if contest_frac[i] else 0
        if contest_new:
            wave[i + 4 : i + 7] += contest_new * np.array([0.2, 0.12, 0.08])
        new[i] = rng.poisson(f * spec.new_rate * wk[i] * season[i] * campaign[i]) + contest_new + bought[i]
        lost[i] = rng.poisson(f * spec.lost_rate * crisis[i]) + round(wave[i])
        f += new[i] - lost[i]
        followers[i] = f
    bots = np.cumsum(bought)
    visitors = rng.poisson(followers * 0.012 * wk)
    return pd.DataFrame(
        {
            "date": DAYS,
            "followers": followers,
            "new_followers": new,
            "lost_followers": lost,
            "bots": bots,
            "unique_visitors": visitors,
            "page_views": visitors + rng.poisson(visitors * 0.6),
        }
    )


def pick_text(client: Client, rng: np.random.Generator, *, emoji: bool) -> str:
    text = client.texts[rng.integers(len(client.texts))]
    if emoji and rng.random() < 0.5:
        text += client.emoji[rng.integers(len(client.emoji))]
    return text


def simulate_posts(client: Client, spec: NetSpec, aud: pd.DataFrame, *, emoji: bool) -> pd.DataFrame:
    """Lifetime metrics of every post of one network (generic columns, local naive times)."""
    rng = stream(client, f"posts/{spec.network}")
    weekday_w = np.array(client.weekday)
    contests = set(contest_days(client, spec.network))
    bought_day = min((pd.Timestamp(b.day) for b in client.bought if b.network == spec.network), default=None)
    boosted: set[pd.Timestamp] = set()
    for c in client.campaigns:
        if c.network == spec.network and c.boost_posts:
            boosted |= set(c.days())

    post_days: list[pd.Timestamp] = []
    for _, week in pd.Series(DAYS).groupby(DAYS.to_period("W-SUN")):
        days = list(week)
        k = round(rng.integers(spec.posts_per_week[0], spec.posts_per_week[1] + 1) * len(days) / 7)
        w = weekday_w[[d.weekday() for d in days]]
        chosen = rng.choice(len(days), size=k, replace=k > len(days), p=w / w.sum())
        post_days += [days[j] for j in sorted(chosen)]
    for day in contests:
        if day not in post_days:
            post_days.append(day)
    post_days.sort()

    labels = [t[0] for t in spec.post_types]
    weights = np.array([t[1] for t in spec.post_types])
    rows = []
    contest_done: set[pd.Timestamp] = set()
    for day in post_days:
        i = DAYS.get_loc(day)
        is_contest = day in contests and day not in contest_done
        contest_done.add(day) if is_contest else None
        t = int(rng.choice(len(labels), p=weights / weights.sum()))
        label, _, type_factor, is_video = spec.post_types[t]
        real = aud.followers[i] - aud.bots[i]
        reach = (
            real * spec.reach_frac * type_factor * np.sqrt(weekday_w[day.weekday()]) * rng.lognormal(0, 0.35)
        )
        eng = 0.55 if bought_day is not None and day >= bought_day else 1.0  # bots never engage
        comment_x, share_x = 1.0, 1.0
        if is_contest:
            reach *= 3.5
            comment_x, share_x = 9.0, 5.0
        reach_organic = int(reach)
        paid = day in boosted and (is_contest is False) and rng.random() < 0.6
        reach_paid = int(reach_organic * rng.uniform(0.8, 2.5)) if paid else 0
        reach_total = reach_organic + reach_paid
        impressions = int(reach_total * rng.uniform(1.12, 1.6))
        engaging = reach_organic + 0.3 * reach_paid  # paid audiences engage less
        likes = rng.poisson(engaging * spec.like_rate * eng * rng.lognormal(0, 0.25))
        minute = int(rng.integers(spec.hours[0] * 60, spec.hours[1] * 60))
        rows.append(
            {
                "published_at": day + pd.Timedelta(minutes=minute),
                "post_type": label,
                "is_video": is_video,
                "is_contest": is_contest,
                "paid": paid,
                "text": client.contest_text if is_contest else (client.ad_text if paid else None),
                "impressions": impressions,
                "reach": reach_total,
                "reach_organic": reach_organic,
                "reach_paid": reach_paid,
                "reach_viral": int(reach_organic * rng.uniform(0.02, 0.12)),
                "likes": likes,
                "comments": rng.poisson(likes * spec.comment_ratio * comment_x * rng.lognormal(0, 0.3)),
                "shares": rng.poisson(likes * spec.share_ratio * share_x * rng.lognormal(0, 0.3)),
                "saves": rng.poisson(likes * spec.save_ratio),
                "clicks": rng.poisson(reach_total * spec.click_rate * (3 if is_contest else 1)),
                "video_views": int(reach_total * rng.uniform(0.6, 1.3)) if is_video else 0,
                "complaints": rng.poisson(reach_total * 0.0002),
                "duration_s": int(rng.integers(12, 90)) if is_video else 0,
            }
        )
    posts = pd.DataFrame(rows)
    texts = [pick_text(client, rng, emoji=emoji) if pd.isna(t) else t for t in posts.text]
    posts["text"] = texts
    engaged = (posts.likes + posts.comments + posts.shares + posts.clicks) * rng.uniform(0.7, 0.9, len(posts))
    posts["engaged_users"] = np.minimum(engaged.round().astype(int), posts.reach)
    posts["post_id"] = make_ids(rng, len(posts), spec.network)
    return posts


def make_ids(rng: np.random.Generator, n: int, network: str) -> list[str]:
    """Increasing native-looking post IDs (strings)."""
    steps = rng.integers(1, 9, n).cumsum()
    if network == "vk":
        return [f"-71234567_{4000 + s}" for s in steps]
    if network == "telegram":
        return [str(1200 + s) for s in steps]
    if network == "youtube":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        return ["".join(alphabet[j] for j in rng.integers(0, 64, 11)) for _ in range(n)]
    base = {"ok": 155000000000000, "instagram": 17900000000000000, "facebook": 122100000000000000}
    big = rng.integers(10**6, 10**8, n).cumsum() if network in ("x", "linkedin", "tiktok") else steps
    if network in ("x", "linkedin", "tiktok"):
        start = {"x": 1940000000000000000, "linkedin": 7340000000000000000, "tiktok": 7520000000000000000}
        return [str(start[network] + int(b) * 1000) for b in big]
    return [str(base[network] + int(s) * 37) for s in big]


def place_xss(client: Client, posts: dict[str, pd.DataFrame]) -> None:
    """Put XSS_IMG in one October post and XSS_SCRIPT in another (reports must show them as text)."""
    october = ("2026-10-01", "2026-10-31 23:59")
    img = posts[client.xss_img]
    in_oct = img.published_at.between(*october)
    target = img[in_oct & img.is_contest].index
    target = target if len(target) else img[in_oct].reach.nlargest(1).index
    img.loc[target[0], "text"] = img.loc[target[0], "text"] + " " + XSS_IMG
    scr = posts[client.xss_script]
    cand = scr[scr.published_at.between(*october) & ~scr.is_contest & ~scr.text.str.contains("<img")]
    idx = cand.reach.nlargest(1).index[0]
    scr.loc[idx, "text"] = scr.loc[idx, "text"] + " " + XSS_SCRIPT


def simulate_ads(client: Client) -> pd.DataFrame:
    rng = stream(client, "ads")
    rows = []
    for c in client.campaigns:
        if not c.ads:
            continue
        for d in c.days():
            spend = c.daily_spend * rng.uniform(0.85, 1.15) * client.weekday[d.weekday()]
            impressions = int(spend / c.cpm * 1000)
            clicks = int(rng.binomial(impressions, c.ctr))
            rows.append(
                {
                    "date": d,
                    "network": c.network,
                    "campaign": c.name,
                    "spend": round(spend, 2),
                    "impressions": impressions,
                    "reach": int(impressions / rng.uniform(1.3, 1.9)),
                    "clicks": clicks,
                    "leads": int(rng.binomial(clicks, c.cvr)),
                }
            )
    return pd.DataFrame(rows).sort_values(["date", "network"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- inbox and mentions
def simulate_inbox(client: Client, networks: Sequence[str], *, offsets: str) -> list[list[str]]:
    """3-15 messages a day (crisis day x4), 60 % questions, log-normal reply delay, 8 % unanswered.

    ``offsets``: ``"mixed"`` writes some times with their UTC offset and some without,
    ``"always"`` always writes the offset (for time zones with DST, where a local time
    without offset can be ambiguous).
    """
    rng = stream(client, "inbox")
    tz = ZoneInfo(client.tz)
    crisis = pd.Timestamp(client.crisis) if client.crisis else None
    rows = []
    n = 0
    for d in DAYS:
        count = int(rng.integers(3, 16)) * (4 if d == crisis else 1)
        minutes = np.sort(rng.integers(7 * 60, 23 * 60, count))
        for m in minutes:
            n += 1
            received = (d + pd.Timedelta(minutes=int(m), seconds=int(rng.integers(60)))).tz_localize(tz)
            is_q = rng.random() < 0.6
            delay_h = rng.lognormal(np.log(2.0), 0.9) * (2.5 if d == crisis else 1)
            answered = rng.random() >= 0.08
            reply = received + pd.Timedelta(hours=float(delay_h)) if answered else None
            with_offset = offsets == "always" or rng.random() < 0.5

            def stamp(ts: pd.Timestamp | None, with_offset: bool = with_offset) -> str:
                if ts is None:
                    return ""
                ts = ts.floor("s")
                return ts.isoformat() if with_offset else ts.strftime("%Y-%m-%dT%H:%M:%S")

            network = networks[int(rng.integers(len(networks)))]
            rows.append([network, f"{network[:2]}-{n:06d}", stamp(received), str(is_q).lower(), stamp(reply)])
    return rows


MENTION_TEXTS = {
    "ru": {
        "positive": ("Лучший раф в городе — {b}!", "Утро началось правильно: {b} ☕️", "В {b} очень уютно, рекомендую"),
        "neutral": ("Зашёл в {b} на Тверской", "{b} открывает новую точку", 'Кто-нибудь пробовал "осенний латте" в {b}?'),
        "negative": ("В {b} опять очередь на 20 минут", "Холодный капучино в {b}, обидно", "{b}, почему не работает оплата картой?"),
        "crisis": ("Таракан в стакане в {b}?! 😡", "{b}, это отравление, жду ответа", "Больше ни ногой в {b}, позор"),
    },
    "en": {
        "positive": ("Love my new coat from {b} 🤍", "{b} customer service is top", "Great quality, {b}!"),
        "neutral": ("Just ordered from {b}", "{b} opens a store in Hamburg", "Anyone tried the {b} repair service?"),
        "negative": ("{b}, my parcel is late again", "Sizes at {b} run small", "Returns at {b} are slow"),
        "crisis": ("{b} lost my order, 3 weeks, no reply 😡", "Never again, {b}. Refund please!", "{b} support is ignoring everyone #fail"),
    },
}  # fmt: skip


def simulate_mentions(
    client: Client,
    *,
    own: Sequence[str],
    competitors: Sequence[str],
    unrelated: Sequence[str],
    networks,
    lang,
) -> list[list[str]]:
    """Own mentions (name + aliases, varying case), competitors, unrelated brands; crisis day."""
    rng = stream(client, "mentions")
    texts = MENTION_TEXTS[lang]
    crisis = pd.Timestamp(client.crisis) if client.crisis else None
    contests = {pd.Timestamp(c.day) for c in client.contests}
    rows = []
    authors = ("anna_k", "ivan.petrov", "coffee_lover", "mshk", "lena.h", "tom_b", "j.doe", "style.daily",
               "urban_mama", "d.sokolov", "nina🌸", "marketwatcher")  # fmt: skip
    brands = [(b, 4.0) for b in own[:1]] + [(b, 1.0) for b in own[1:]]
    brands += [(b, 3.0 - k) for k, b in enumerate(competitors)] + [(b, 0.7) for b in unrelated]
    for d in DAYS:
        for brand, lam in brands:
            is_own = brand in own
            count = rng.poisson(lam * client.weekday[d.weekday()])
            if is_own and d in contests:
                count += 12
            sentiments = list(
                rng.choice(["positive", "neutral", "negative"], size=count, p=[0.35, 0.5, 0.15])
            )
            if is_own and d == crisis and brand == own[0]:
                sentiments += ["crisis"] * 60
            for s in sentiments:
                spelling = brand
                if is_own and rng.random() < 0.2:
                    spelling = brand.lower() if rng.random() < 0.5 else brand.upper()
                network = networks[int(rng.integers(len(networks)))]
                minute = int(rng.integers(0, 24 * 60))
                pool = texts[s]
                text = pool[int(rng.integers(len(pool)))].format(b=brand)
                author = authors[int(rng.integers(len(authors)))]
                rows.append(
                    [
                        (d + pd.Timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M:%S"),
                        spelling,
                        network,
                        "negative" if s == "crisis" else s,
                        author,
                        str(int(rng.lognormal(7, 1.3))),
                        text,
                        f"https://example.com/{network}/{d:%Y%m%d}/{len(rows) + 1}",
                    ]
                )
    rows.sort(key=lambda r: r[0])
    return rows


# --------------------------------------------------------------------------- GA4
@dataclass(frozen=True)
class Source:
    source_medium: str
    channel: str
    base: float  # sessions a day at weekday factor 1
    network: str | None = None  # posts of this network drive it (clicks)
    paid: str | None = None  # ad clicks of this network drive it
    conv: float = 0.02  # key events / session
    engaged: float = 0.6  # engaged sessions / session


def ga4_rows(client: Client, sources: Sequence[Source], posts, ads, *, revenue_per_event: float) -> list:
    """Daily rows ``[Date, source / medium, channel, users, new users, sessions, engaged,
    avg engagement time, views, key events, revenue]`` (only rows with sessions > 0)."""
    rng = stream(client, "ga4")
    wk = np.array([client.weekday[d.weekday()] for d in DAYS])
    contest_boost: dict[str, np.ndarray] = {}
    for c in client.contests:
        b = contest_boost.setdefault(c.network, np.zeros(N_DAYS))
        i = DAYS.get_loc(pd.Timestamp(c.day))
        b[i : i + 3] += [1.5, 0.8, 0.3]
    clicks = {net: spread_daily(day_index(p.published_at), p.clicks.to_numpy()) for net, p in posts.items()}
    ad_clicks: dict[str, np.ndarray] = {}
    for net, g in ads.groupby("network") if len(ads) else []:
        arr = np.zeros(N_DAYS)
        arr[day_index(g.date)] = g.clicks.to_numpy()
        ad_clicks[net] = arr
    trend = np.linspace(0.85, 1.15, N_DAYS)
    table = []
    for s in sources:
        mean = s.base * wk * trend
        if s.network:
            mean = mean * (1 + contest_boost.get(s.network, 0)) + 0.6 * clicks.get(s.network, 0)
        if s.paid:
            mean = 0.85 * ad_clicks.get(s.paid, np.zeros(N_DAYS))
        sessions = rng.poisson(mean)
        for i in np.flatnonzero(sessions):
            n = int(sessions[i])
            users = max(1, int(n * rng.uniform(0.78, 0.95)))
            new_users = int(rng.binomial(users, 0.62))
            engaged = int(rng.binomial(n, s.engaged))
            events = int(rng.binomial(n, s.conv))
            table.append(
                [
                    DAYS[i].strftime("%Y%m%d"),
                    s.source_medium,
                    s.channel,
                    users,
                    new_users,
                    n,
                    engaged,
                    f"{rng.lognormal(np.log(55), 0.35) * engaged / n:.6f}",
                    n + int(rng.poisson(n * 1.3)),
                    events,
                    f"{events * revenue_per_event * rng.uniform(0.7, 1.3):.2f}" if revenue_per_event else "0",
                ]
            )
    table.sort(key=lambda r: (r[0], -r[5], r[1]))
    return table


GA4_HEADER = [
    "Date", "Session source / medium", "Session primary channel group (Default Channel Group)", "Users",
    "New users", "Sessions", "Engaged sessions", "Average engagement time per session", "Views",
    "Key events", "Total revenue",
]  # fmt: skip


def ga4_preamble(account: str, prop: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    bar = "# ----------------------------------------"
    return "\n".join(
        [
            bar,
            "# Traffic acquisition: Session source / medium",
            f"# Account: {account}",
            f"# Property: {prop}",
            bar,
            "#",
            f"# Start date: {start:%Y%m%d}",
            f"# End date: {end:%Y%m%d}",
            "",
        ]
    )


def write_ga4(path: Path, rows, *, account: str, prop: str, start=START, end=END, header=GA4_HEADER) -> None:
    write_csv(path, header, rows, preamble=ga4_preamble(account, prop, start, end))


def ga4_source_summary(rows) -> tuple[list[str], list[list[object]]]:
    """A second, date-less table: totals by ``Session source`` (as GA4 appends)."""
    frame = pd.DataFrame(rows, columns=GA4_HEADER)
    frame["Session source"] = frame["Session source / medium"].str.split(" / ").str[0]
    sums = frame.groupby("Session source", sort=False)[["Users", "Sessions", "Key events"]].sum()
    sums = sums.sort_values("Sessions", ascending=False, kind="stable")
    header = ["Session source", "Users", "Sessions", "Key events"]
    return header, [[src, *map(int, vals)] for src, vals in zip(sums.index, sums.to_numpy(), strict=True)]


# --------------------------------------------------------------------------- writers: canonical
POSTS_HEADER = [
    "network", "post_id", "published_at", "post_type", "text", "url", "impressions", "reach", "reach_organic",
    "reach_paid", "reach_viral", "likes", "comments", "shares", "saves", "clicks", "video_views",
    "engaged_users", "complaints",
]  # fmt: skip
AUDIENCE_HEADER = [
    "network",
    "date",
    "followers",
    "new_followers",
    "lost_followers",
    "unique_visitors",
    "page_views",
]
ADS_HEADER = ["date", "network", "campaign", "spend", "impressions", "reach", "clicks", "leads"]


def canonical_post_rows(
    network: str,
    posts: pd.DataFrame,
    *,
    url: Callable[[str], str],
    keep: Sequence[str],
    sep: str = "",
    scale=1.0,
) -> list[list[str]]:
    """Rows of the canonical posts file; columns not in ``keep`` are left empty."""
    rows = []
    for p in posts.itertuples():
        row = [
            network,
            p.post_id,
            p.published_at.strftime("%Y-%m-%d %H:%M"),
            p.post_type,
            p.text,
            url(p.post_id),
        ]
        for col in POSTS_HEADER[6:]:
            value = getattr(p, col) if col in keep else None
            row.append(fmt_int(None if value is None else int(value * scale), sep))
        rows.append(row)
    return rows


def canonical_audience_rows(network: str, aud: pd.DataFrame, *, keep: Sequence[str], sep: str = "") -> list:
    rows = []
    for a in aud.itertuples():
        row = [network, a.date.strftime("%Y-%m-%d")]
        row += [fmt_int(getattr(a, c), sep) if c in keep else "" for c in AUDIENCE_HEADER[2:]]
        rows.append(row)
    return rows


def ads_rows(ads: pd.DataFrame, *, decimal: str = ".", sep: str = "") -> list:
    return [
        [a.date.strftime("%Y-%m-%d"), a.network, a.campaign, fmt_dec(a.spend, decimal=decimal, sep=sep),
         fmt_int(a.impressions, sep), fmt_int(a.reach, sep), fmt_int(a.clicks, sep), fmt_int(a.leads, sep)]
        for a in ads.itertuples()
    ]  # fmt: skip


# --------------------------------------------------------------------------- writers: Meta Business Suite
IG_COLUMNS = {
    "Post ID": lambda p, ctx: p.post_id,
    "Account ID": lambda p, ctx: ctx["account_id"],
    "Account username": lambda p, ctx: ctx["username"],
    "Account name": lambda p, ctx: ctx["name"],
    "Description": lambda p, ctx: p.text,
    "Duration (sec)": lambda p, ctx: str(p.duration_s),
    "Publish time": lambda p, ctx: p.published_at.strftime("%m/%d/%Y %H:%M"),
    "Permalink": lambda p, ctx: (
        f"https://www.instagram.com/{'reel' if p.is_video else 'p'}/{shortcode(p.post_id)}/"
    ),
    "Post type": lambda p, ctx: p.post_type,
    "Data comment": lambda p, ctx: "",
    "Date": lambda p, ctx: "Lifetime",
    "Views": lambda p, ctx: str(p.impressions),
    "Reach": lambda p, ctx: str(p.reach),
    "Likes": lambda p, ctx: str(p.likes),
    "Shares": lambda p, ctx: str(p.shares),
    "Follows": lambda p, ctx: str(p.follows),
    "Comments": lambda p, ctx: str(p.comments),
    "Saves": lambda p, ctx: str(p.saves),
}


def shortcode(post_id: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    n, out = int(post_id), []
    while n:
        n, r = divmod(n, 64)
        out.append(alphabet[r])
    return "C" + "".join(out)[:10]


def write_meta_instagram(path: Path, posts: pd.DataFrame, *, order: Sequence[str], ctx: dict) -> None:
    """Meta Business Suite content export, Instagram: UTF-8 with BOM, comma, columns in ``order``."""
    posts = posts.assign(follows=(posts.reach * 0.0015).round().astype(int))
    rows = [[IG_COLUMNS[c](p, ctx) for c in order] for p in posts.itertuples()]
    write_csv(path, order, rows, encoding="utf-8-sig")


def write_meta_facebook(path: Path, posts: pd.DataFrame, *, page_id: str, page_name: str, rng) -> None:
    header = [
        "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time", "Permalink",
        "Is crosspost", "Is share", "Post type", "Languages", "Custom labels", "Funded content status",
        "Data comment", "Date", "Views", "Reach", "Reactions, comments and shares", "Reactions", "Comments",
        "Shares", "Total clicks", "Link Clicks", "Other Clicks",
        "Matched Audience Targeting Consumption (Photo Click)", "Negative feedback from users: Hide all",
    ]  # fmt: skip
    rows = []
    for p in posts.itertuples():
        other = int(rng.poisson(p.reach * 0.01))
        photo = int(rng.poisson(p.reach * 0.008)) if p.post_type == "Photos" else 0
        rows.append(
            [p.post_id, page_id, page_name, "", p.text, p.duration_s or "", p.published_at.strftime("%m/%d/%Y %H:%M"),
             f"https://www.facebook.com/{page_id}/posts/{p.post_id}", "No", "No", p.post_type, "", "",
             "Boosted" if p.paid else "", "", "Lifetime", p.impressions, p.reach, p.likes + p.comments + p.shares,
             p.likes, p.comments, p.shares, p.clicks + other + photo, p.clicks, other, photo,
             int(rng.poisson(p.reach * 0.0004))]
        )  # fmt: skip
    write_csv(path, header, rows, encoding="utf-8-sig")


# --------------------------------------------------------------------------- writers: LinkedIn
LI_DISCLAIMER = (
    "All posts: Data for the most recent 365 days. Metrics are updated daily and may take up to 48 hours "
    "to reflect recent activity."
)


def write_linkedin_content(path: Path, posts: pd.DataFrame, campaign: Campaign | None, *, old: bool) -> None:
    """LinkedIn page content export. ``old``: Excel serial dates and ``Shares`` instead of ``Reposts``."""
    share = "Shares" if old else "Reposts"

    def day(d: pd.Timestamp) -> object:
        return excel_serial(d) if old else d.strftime("%m/%d/%Y")

    days = day_index(posts.published_at)
    organic = ~posts.paid.to_numpy()
    metric_cols = {}
    for col in ("impressions", "clicks", "likes", "comments", "shares"):
        values = posts[col].to_numpy()
        metric_cols[col] = (
            spread_daily(days, np.where(organic, values, 0)),
            spread_daily(days, np.where(organic, 0, values)),
        )
    wb = Workbook()
    wb.remove(wb.active)
    names = {"impressions": "Impressions", "clicks": "Clicks", "likes": "Reactions", "comments": "Comments",
             "shares": share}  # fmt: skip
    header = ["Date"]
    for col in names:
        header += [f"{names[col]} (organic)", f"{names[col]} (sponsored)", f"{names[col]} (total)"]
    header += ["Engagement rate (organic)", "Engagement rate (sponsored)", "Engagement rate (total)"]
    first, last = posts.published_at.min().normalize(), posts.published_at.max().normalize()
    metric_rows = []
    for i in range(DAYS.get_loc(first), DAYS.get_loc(last) + 1):
        row: list[object] = [day(DAYS[i])]
        parts = {col: (round(o[i]), round(s[i])) for col, (o, s) in metric_cols.items()}
        for col in names:
            o, s = parts[col]
            row += [o, s, o + s]
        rates = []
        for k in (0, 1):
            imp = parts["impressions"][k]
            act = sum(parts[c][k] for c in ("clicks", "likes", "comments", "shares"))
            rates.append(act / imp if imp else 0)
        imp_t = sum(parts["impressions"])
        act_t = sum(sum(parts[c]) for c in ("clicks", "likes", "comments", "shares"))
        metric_rows.append(
            row + [round(rates[0], 6), round(rates[1], 6), round(act_t / imp_t if imp_t else 0, 6)]
        )
    sheet_with_disclaimer(wb, "Metrics", LI_DISCLAIMER.replace("All posts", "Metrics"), header, metric_rows)

    post_header = [
        "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date", "Campaign start date",
        "Campaign end date", "Audience", "Impressions", "Views (excluding off-site video views)", "Off-site views",
        "Clicks", "Click through rate (CTR)", "Likes", "Comments", share, "Follows", "Engagement rate",
        "Content Type",
    ]  # fmt: skip
    authors = ("Maya Chen", "Daniel Ortiz", "Priya Raman")
    rows = []
    for k, p in enumerate(posts.sort_values("published_at", ascending=False).itertuples()):
        sponsored = bool(p.paid) and campaign is not None
        follows = int(p.reach * 0.002)
        eng = (p.clicks + p.likes + p.comments + p.shares + follows) / p.impressions
        rows.append(
            [p.text, f"https://www.linkedin.com/feed/update/urn:li:activity:{p.post_id}",
             "Sponsored" if sponsored else "Organic", campaign.name if sponsored else "", authors[k % 3],
             day(p.published_at), day(pd.Timestamp(campaign.start)) if sponsored else "",
             day(pd.Timestamp(campaign.end)) if sponsored else "",
             "Sales leaders, US, 200-5000 employees" if sponsored else "All followers", p.impressions,
             p.video_views if p.is_video else "", int(p.video_views * 0.1) if p.is_video else "", p.clicks,
             round(p.clicks / p.impressions, 6), p.likes, p.comments, p.shares, follows, round(eng, 6),
             p.post_type]
        )  # fmt: skip
    sheet_with_disclaimer(wb, "All posts", LI_DISCLAIMER, post_header, rows)
    save_xlsx(wb, path)


def write_linkedin_followers(path: Path, aud: pd.DataFrame, campaign: Campaign | None, rng) -> None:
    header = ["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"]
    rows = []
    paid_days = set(campaign.days()) if campaign else set()
    for a in aud.itertuples():
        sponsored = int(rng.binomial(a.new_followers, 0.35)) if a.date in paid_days else 0
        invited = int(rng.binomial(a.new_followers - sponsored, 0.08))
        organic = a.new_followers - sponsored - invited
        rows.append([a.date.strftime("%m/%d/%Y"), sponsored, organic, invited, a.new_followers])
    wb = Workbook()
    wb.remove(wb.active)
    disclaimer = (
        "Followers: Data for the selected date range. Totals may differ from your page's follower count."
    )
    sheet_with_disclaimer(wb, "New followers", disclaimer, header, rows)
    save_xlsx(wb, path)


def write_linkedin_visitors(path: Path, aud: pd.DataFrame, rng) -> None:
    header = [
        "Date", "Overview page views (desktop)", "Overview page views (mobile)", "Overview page views (total)",
        "Overview unique visitors (desktop)", "Overview unique visitors (mobile)",
        "Overview unique visitors (total)", "Total page views (desktop)", "Total page views (mobile)",
        "Total page views (total)", "Total unique visitors (desktop)", "Total unique visitors (mobile)",
        "Total unique visitors (total)",
    ]  # fmt: skip
    rows = []
    for a in aud.itertuples():
        pv_d = int(rng.binomial(a.page_views, 0.64))
        uv_d = int(rng.binomial(a.unique_visitors, 0.6))
        ov_pv = int(a.page_views * 0.55)
        ov_uv = int(a.unique_visitors * 0.7)
        ov_pv_d, ov_uv_d = int(ov_pv * 0.64), int(ov_uv * 0.6)
        rows.append(
            [a.date.strftime("%m/%d/%Y"), ov_pv_d, ov_pv - ov_pv_d, ov_pv, ov_uv_d, ov_uv - ov_uv_d, ov_uv,
             pv_d, a.page_views - pv_d, a.page_views, uv_d, a.unique_visitors - uv_d, a.unique_visitors]
        )  # fmt: skip
    wb = Workbook()
    wb.remove(wb.active)
    sheet_with_disclaimer(wb, "Visitor metrics", "Visitors: Data for the selected date range.", header, rows)
    save_xlsx(wb, path)


# --------------------------------------------------------------------------- writers: X
X_LEGACY_HEADER = [
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements", "engagement rate",
    "retweets", "replies", "likes", "user profile clicks", "url clicks", "hashtag clicks", "detail expands",
    "permalink clicks", "app opens", "app installs", "follows", "email tweet", "dial phone", "media views",
    "media engagements",
]  # fmt: skip
X_PROMOTED = [f"promoted {c}" for c in X_LEGACY_HEADER[4:]]


def x_extras(posts: pd.DataFrame, rng) -> pd.DataFrame:
    n = len(posts)
    return posts.assign(
        profile_clicks=rng.poisson(posts.impressions * 0.004),
        detail_expands=rng.poisson(posts.impressions * 0.01),
        hashtag_clicks=rng.poisson(posts.impressions * 0.0005),
        permalink_clicks=rng.poisson(posts.impressions * 0.0008),
        bookmarks=posts.saves,
        share_via=rng.poisson(posts.shares * 0.3),
        follows=rng.poisson(posts.impressions * 0.0006, n),
        media_views=np.where(posts.post_type != "text", (posts.impressions * 0.4).astype(int), 0),
    )


def write_x_legacy(path: Path, posts: pd.DataFrame, *, handle: str, tz: str) -> None:
    """Legacy tweet activity CSV: all quoted, numbers like ``"1203.0"``, ``time`` in UTC ``+0000``."""
    rows = []
    for p in posts.sort_values("published_at", ascending=False).itertuples():
        media_eng = int(p.media_views * 0.02)
        eng = (p.likes + p.shares + p.comments + p.clicks + p.profile_clicks + p.detail_expands + p.hashtag_clicks
               + p.permalink_clicks + p.follows + media_eng)  # fmt: skip
        utc = p.published_at.tz_localize(tz).tz_convert("UTC")
        nums = [p.impressions, eng]
        row = [
            p.post_id,
            f"https://twitter.com/{handle}/status/{p.post_id}",
            p.text,
            utc.strftime("%Y-%m-%d %H:%M +0000"),
        ]
        row += [f"{float(nums[0])}", f"{float(eng)}", repr(eng / p.impressions)]
        row += [f"{float(v)}" for v in (p.shares, p.comments, p.likes, p.profile_clicks, p.clicks, p.hashtag_clicks,
                                          p.detail_expands, p.permalink_clicks, 0, 0, p.follows, 0, 0,
                                          p.media_views, media_eng)]  # fmt: skip
        rows.append(row + ["-"] * len(X_PROMOTED))
    write_csv(path, X_LEGACY_HEADER + X_PROMOTED, rows, quoting=csv.QUOTE_ALL)


def write_x_content(path: Path, posts: pd.DataFrame, *, handle: str) -> None:
    header = [
        "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares",
        "New follows", "Replies", "Reposts", "Profile visits", "Detail Expands", "URL Clicks", "Hashtag Clicks",
        "Permalink Clicks",
    ]  # fmt: skip
    rows = []
    for p in posts.sort_values("published_at", ascending=False).itertuples():
        eng = (p.likes + p.shares + p.comments + p.clicks + p.profile_clicks + p.detail_expands + p.hashtag_clicks
               + p.permalink_clicks + p.bookmarks + p.share_via)  # fmt: skip
        rows.append(
            [p.post_id, x_date(p.published_at), p.text, f"https://x.com/{handle}/status/{p.post_id}", p.impressions,
             p.likes, eng, p.bookmarks, p.share_via, p.follows, p.comments, p.shares, p.profile_clicks,
             p.detail_expands, p.clicks, p.hashtag_clicks, p.permalink_clicks]
        )  # fmt: skip
    write_csv(path, header, rows)


def write_x_overview(path: Path, posts: pd.DataFrame, aud: pd.DataFrame) -> None:
    header = [
        "Date", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares", "New follows", "Unfollows", "Replies",
        "Reposts", "Profile visits", "Create Post", "Video views", "Media views",
    ]  # fmt: skip
    days = day_index(posts.published_at)
    s = {c: spread_daily(days, posts[c].to_numpy()).round().astype(int)
         for c in ("impressions", "likes", "bookmarks", "share_via", "comments", "shares", "profile_clicks",
                   "video_views", "media_views", "clicks", "detail_expands")}  # fmt: skip
    created = np.bincount(days, minlength=N_DAYS)
    rows = []
    for i in range(N_DAYS - 1, -1, -1):
        eng = sum(int(s[c][i]) for c in ("likes", "shares", "comments", "clicks", "profile_clicks", "detail_expands",
                                          "bookmarks", "share_via"))  # fmt: skip
        rows.append(
            [x_date(DAYS[i]), s["impressions"][i], s["likes"][i], eng, s["bookmarks"][i], s["share_via"][i],
             aud.new_followers[i], aud.lost_followers[i], s["comments"][i], s["shares"][i], s["profile_clicks"][i],
             created[i], s["video_views"][i], s["media_views"][i]]
        )  # fmt: skip
    write_csv(path, header, rows)


# --------------------------------------------------------------------------- writers: Facebook legacy
FB_POST_COLUMNS = [
    # (header, description, value(post, extra))
    ("Post ID", "", lambda p, e: p.post_id),
    ("Permalink", "", lambda p, e: e["url"]),
    ("Post Message", "", lambda p, e: p.text),
    ("Type", "", lambda p, e: p.post_type),
    ("Countries", "", lambda p, e: ""),
    ("Languages", "", lambda p, e: ""),
    ("Posted", "", lambda p, e: f"{p.published_at.month}/{p.published_at.day}/{p.published_at.year} {p.published_at:%H:%M}"),
    ("Audience Targeting", "", lambda p, e: ""),
    ("Lifetime Post Total Reach", "Lifetime: The number of people who had your Page's post enter their screen. (Unique Users)", lambda p, e: p.reach),
    ("Lifetime Post organic reach", "Lifetime: The number of people who had your Page's post enter their screen through unpaid distribution. (Unique Users)", lambda p, e: p.reach_organic),
    ("Lifetime Post Paid Reach", "Lifetime: The number of people who had your Page's post enter their screen through paid distribution. (Unique Users)", lambda p, e: p.reach_paid),
    ("Lifetime Post Total Impressions", "Lifetime: The number of times your Page's post entered a person's screen. (Total Count)", lambda p, e: p.impressions),
    ("Lifetime Post Organic Impressions", "Lifetime: The number of times your Page's post entered a person's screen through unpaid distribution. (Total Count)", lambda p, e: e["imp_org"]),
    ("Lifetime Post Paid Impressions", "Lifetime: The number of times your Page's post entered a person's screen through paid distribution. (Total Count)", lambda p, e: p.impressions - e["imp_org"]),
    ("Lifetime Engaged Users", "Lifetime: The number of unique people who engaged in certain ways with your Page post, for example by commenting on, liking, sharing, or clicking upon particular elements of the post. (Unique Users)", lambda p, e: p.engaged_users),
    ("Lifetime Post Consumers", "Lifetime: The number of people who clicked anywhere in your post. (Unique Users)", lambda p, e: e["consumers"]),
    ("Lifetime Post Consumptions", "Lifetime: The number of clicks anywhere in your post. (Total Count)", lambda p, e: p.clicks + e["other"] + e["photo"]),
    ("Lifetime Talking About This (Post) by action type - comment", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users)", lambda p, e: int(p.comments * 0.85)),
    ("Lifetime Talking About This (Post) by action type - like", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users)", lambda p, e: int(p.likes * 0.98)),
    ("Lifetime Talking About This (Post) by action type - share", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users)", lambda p, e: int(p.shares * 0.95)),
    ("Lifetime Post Stories by action type - comment", "Lifetime: The number of stories created about your Page post, by action type. (Total Count)", lambda p, e: p.comments),
    ("Lifetime Post Stories by action type - like", "Lifetime: The number of stories created about your Page post, by action type. (Total Count)", lambda p, e: p.likes),
    ("Lifetime Post Stories by action type - share", "Lifetime: The number of stories created about your Page post, by action type. (Total Count)", lambda p, e: p.shares),
    ("Lifetime Post Consumers by type", "Lifetime: The number of people who clicked anywhere in your post, by type. (Unique Users) - link clicks", lambda p, e: int(p.clicks * 0.9)),
    ("Lifetime Post Consumers by type", "Lifetime: The number of people who clicked anywhere in your post, by type. (Unique Users) - other clicks", lambda p, e: int(e["other"] * 0.8)),
    ("Lifetime Post Consumptions by type - link clicks", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count)", lambda p, e: p.clicks),
    ("Lifetime Post Consumptions by type - other clicks", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count)", lambda p, e: e["other"]),
    ("Lifetime Post Consumptions by type - photo view", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count)", lambda p, e: e["photo"]),
    ("Lifetime Negative Feedback from Users by type", "Lifetime: The number of people who have given negative feedback to your post, by type. (Unique Users) - hide_clicks", lambda p, e: e["hide"]),
    ("Lifetime Negative Feedback from Users by type", "Lifetime: The number of people who have given negative feedback to your post, by type. (Unique Users) - hide_all_clicks", lambda p, e: e["hide_all"]),
]  # fmt: skip


def write_fb_legacy_posts(path: Path, posts: pd.DataFrame, *, page_id: str, rng) -> None:
    rows = []
    for p in posts.sort_values("published_at", ascending=False).itertuples():
        other = int(rng.poisson(p.reach * 0.012))
        photo = int(rng.poisson(p.reach * 0.01)) if p.post_type == "Photo" else 0
        extra = {
            "url": f"https://www.facebook.com/{p.post_id.replace('_', '/posts/')}",
            "imp_org": int(p.impressions * p.reach_organic / p.reach) if p.reach else 0,
            "other": other,
            "photo": photo,
            "consumers": int((p.clicks + other + photo) * 0.8),
            "hide": int(rng.poisson(p.reach * 0.0005)),
            "hide_all": int(rng.poisson(p.reach * 0.0001)),
        }
        rows.append([fn(p, extra) for _, _, fn in FB_POST_COLUMNS])
    header = [h for h, _, _ in FB_POST_COLUMNS]
    descriptions = [d for _, d, _ in FB_POST_COLUMNS]
    write_csv(path, header, [descriptions, *rows])


FB_PAGE_COLUMNS = [
    ("Lifetime Total Likes", "Lifetime: The total number of people who have liked your Page. (Unique Users)"),
    ("Daily New Likes", "Daily: The number of new people who have liked your Page. (Unique Users)"),
    ("Daily Unlikes", "Daily: The number of Unlikes of your Page (Total Count)"),
    ("Daily Page Engaged Users", "Daily: The number of people who engaged with your Page. (Unique Users)"),
    ("Weekly Page Engaged Users", "Weekly: The number of people who engaged with your Page. (Unique Users)"),
    ("28 Days Page Engaged Users", "28 Days: The number of people who engaged with your Page. (Unique Users)"),
    ("Daily Like Sources - On Your Page", "Daily: The number of people who liked your Page while on your Page. (Unique Users)"),
    ("Daily Total Reach", "Daily: The number of people who had any content from your Page or about your Page enter their screen. (Unique Users)"),
    ("Weekly Total Reach", "Weekly: The number of people who had any content from your Page enter their screen. (Unique Users)"),
    ("28 Days Total Reach", "28 Days: The number of people who had any content from your Page enter their screen. (Unique Users)"),
    ("Daily Organic Reach", "Daily: The number of people who saw your posts through unpaid distribution. (Unique Users)"),
    ("Daily Paid Reach", "Daily: The number of people who saw your posts through paid distribution. (Unique Users)"),
    ("Daily Viral Reach", "Daily: The number of people who saw your Page or one of its posts from a story shared by a friend. (Unique Users)"),
    ("Daily Total Impressions", "Daily: The number of impressions seen of any content associated with your Page. (Total Count)"),
    ("Weekly Total Impressions", "Weekly: The number of impressions seen of any content associated with your Page. (Total Count)"),
    ("Daily Organic impressions", "Daily: The number of times your posts were seen through unpaid distribution. (Total Count)"),
    ("Daily Paid Impressions", "Daily: The number of times your posts were seen through paid distribution. (Total Count)"),
    ("Daily Viral impressions", "Daily: The number of impressions of a story published by a friend about your Page. (Total Count)"),
    ("Daily Logged-in Page Views", "Daily: Page views from users logged into Facebook. (Total Count)"),
    ("Daily Total Consumers", "Daily: The number of people who clicked on any of your content. (Unique Users)"),
    ("Daily Page Consumptions", "Daily: The number of clicks on any of your content. (Total Count)"),
    ("Daily Negative Feedback", "Daily: The number of times people have given negative feedback to your Page. (Total Count)"),
]  # fmt: skip


def fb_page_rows(posts: pd.DataFrame, aud: pd.DataFrame, rng) -> list[list[int]]:
    """Daily page-level metrics (without the date) for every day of :data:`DAYS`."""
    days = day_index(posts.published_at)
    s = {c: spread_daily(days, posts[c].to_numpy()) for c in ("reach_organic", "reach_paid", "reach_viral",
                                                              "impressions", "engaged_users", "clicks")}  # fmt: skip
    base = aud.followers.to_numpy() * 0.02  # page reach without posts (profile visits, search)
    org = (s["reach_organic"] * 0.7 + base).round().astype(int)
    paid = (s["reach_paid"] * 0.8).round().astype(int)
    viral = (s["reach_viral"] * 0.8).round().astype(int)
    reach = org + paid
    imp = (s["impressions"] * 0.8 + base * 1.3).round().astype(int)
    imp_paid = np.minimum((paid * 1.4).round().astype(int), imp)
    engaged = (s["engaged_users"] * 0.85).round().astype(int)

    def weekly(a: np.ndarray, w: int) -> np.ndarray:
        """People over ``w`` days: at least the day's count, less than the sum."""
        rolled = pd.Series(a).rolling(w, min_periods=1).sum().mul(0.8).round().astype(int).to_numpy()
        return np.maximum(rolled, a)

    consumers = (s["clicks"] * 1.4).round().astype(int)
    out = []
    for i in range(N_DAYS):
        out.append(
            [aud.followers[i], aud.new_followers[i], aud.lost_followers[i], engaged[i], weekly(engaged, 7)[i],
             weekly(engaged, 28)[i], int(aud.new_followers[i] * 0.4), reach[i], weekly(reach, 7)[i],
             weekly(reach, 28)[i], org[i], paid[i], viral[i], imp[i], weekly(imp, 7)[i], imp[i] - imp_paid[i],
             imp_paid[i], int(viral[i] * 1.2), aud.page_views[i], consumers[i], int(consumers[i] * 1.3),
             int(rng.poisson(3))]
        )  # fmt: skip
    return out


def write_fb_legacy_page(
    path: Path, dates: pd.DatetimeIndex, rows, *, date_fmt: Callable[[pd.Timestamp], str]
):
    header = ["Date", *(h for h, _ in FB_PAGE_COLUMNS)]
    descriptions = ["", *(d for _, d in FB_PAGE_COLUMNS)]
    data = [[date_fmt(d), *rows[DAYS.get_loc(d)]] for d in dates]
    write_csv(path, header, [descriptions, *data])


# --------------------------------------------------------------------------- writers: TikTok, YouTube
def tiktok_day(d: pd.Timestamp) -> str:
    return f"{d:%B} {d.day}"


def write_tiktok_followers(path: Path, aud: pd.DataFrame, start: str, end: str) -> None:
    rows = []
    for i in range(DAYS.get_loc(pd.Timestamp(start)), DAYS.get_loc(pd.Timestamp(end)) + 1):
        rows.append([tiktok_day(DAYS[i]), aud.followers[i], aud.followers[i] - aud.followers[i - 1]])
    write_csv(path, ["Date", "Followers", "Difference in followers from previous day"], rows)


def write_tiktok_overview(path: Path, posts: pd.DataFrame, aud: pd.DataFrame, start: str, end: str) -> None:
    days = day_index(posts.published_at)
    s = {c: spread_daily(days, posts[c].to_numpy()).round().astype(int)
         for c in ("video_views", "likes", "comments", "shares")}  # fmt: skip
    rows = []
    for i in range(DAYS.get_loc(pd.Timestamp(start)), DAYS.get_loc(pd.Timestamp(end)) + 1):
        rows.append([tiktok_day(DAYS[i]), s["video_views"][i], aud.page_views[i], s["likes"][i], s["comments"][i],
                     s["shares"][i]])  # fmt: skip
    write_csv(path, ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"], rows)


def write_youtube(path: Path, posts: pd.DataFrame, rng) -> None:
    """YouTube Studio ``Table data.csv``: a ``Total`` row first; some IDs with a leading space."""
    header = ["Content", "Video title", "Video publish time", "Duration", "Views", "Watch time (hours)",
              "Subscribers", "Impressions", "Impressions click-through rate (%)"]  # fmt: skip
    rows = []
    for p in posts.sort_values("video_views", ascending=False, kind="stable").itertuples():
        duration = p.duration_s if p.post_type == "Short" else int(rng.integers(240, 900))
        watch = p.video_views * duration * rng.uniform(0.3, 0.6) / 3600
        clicks_share = rng.uniform(0.03, 0.09)
        impressions = int(p.video_views / clicks_share * 0.6)
        rows.append(
            [(" " if rng.random() < 0.3 else "") + p.post_id, p.text.split("\n")[0], f"{p.published_at:%b} "
             f"{p.published_at.day}, {p.published_at.year}", duration, p.video_views, round(watch, 4),
             int(p.video_views * 0.004), impressions, round(p.video_views * 0.6 / impressions * 100, 2)]
        )  # fmt: skip
    views = sum(r[4] for r in rows)
    impressions = sum(r[7] for r in rows)
    total = ["Total", "", "", "", views, round(sum(r[5] for r in rows), 4), sum(r[6] for r in rows), impressions,
             round(views * 0.6 / impressions * 100, 2)]  # fmt: skip
    write_csv(path, header, [total, *rows])


# --------------------------------------------------------------------------- per-client assembly
def simulate(client: Client) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], pd.DataFrame]:
    emoji_ok = {"instagram", "x", "linkedin", "facebook", "tiktok", "youtube"}  # not the Windows-1251 files
    audiences = {s.network: simulate_audience(client, s) for s in client.nets}
    posts = {s.network: simulate_posts(client, s, audiences[s.network], emoji=s.network in emoji_ok)
             for s in client.nets}  # fmt: skip
    place_xss(client, posts)
    return audiences, posts, simulate_ads(client)


def build_coffee(client: Client, out: Path) -> dict[str, str]:
    aud, posts, ads = simulate(client)
    ex = out / "exports"
    files: dict[str, str] = {}
    cp = {"encoding": "cp1251", "delimiter": ";", "lineterminator": "\r\n"}

    vk = posts["vk"]
    vk_keep = ["impressions", "reach", "reach_organic", "reach_paid", "reach_viral", "likes", "comments", "shares",
               "clicks", "video_views", "complaints"]  # fmt: skip
    vk_url = lambda pid: f"https://vk.com/wall{pid}"  # noqa: E731
    old = vk[vk.published_at < "2026-02-01"]
    jan = old.published_at >= "2026-01-01"
    rows = canonical_post_rows("vk", old[~jan], url=vk_url, keep=vk_keep)
    rows += canonical_post_rows(
        "vk", old[jan], url=vk_url, keep=vk_keep, scale=0.93
    )  # exported early February
    write_csv(ex / "vk" / "vk_posts_2025.csv", POSTS_HEADER, rows, **cp)
    new = vk[vk.published_at >= "2026-01-01"]
    write_csv(ex / "vk" / "vk_posts_2026.csv", POSTS_HEADER,
              canonical_post_rows("vk", new, url=vk_url, keep=vk_keep, sep=" "), **cp)  # fmt: skip
    files["exports/vk/vk_posts_2025.csv"] = (
        "smmkit canonical posts, Windows-1251, `;`, CRLF (2025-07-01..2026-01-31)"
    )
    files["exports/vk/vk_posts_2026.csv"] = (
        "smmkit canonical posts, Windows-1251, `;`, `1 234` thousands (2026-01-01..2026-10-31; January overlaps "
        "the 2025 file with higher lifetime numbers)"
    )

    tg_keep = ["impressions", "likes", "comments", "shares", "video_views"]
    write_csv(ex / "telegram_posts.csv", POSTS_HEADER,
              canonical_post_rows("telegram", posts["telegram"], url=lambda pid: f"https://t.me/coffeepoint_msk/{pid}",
                                  keep=tg_keep), **cp)  # fmt: skip
    files["exports/telegram_posts.csv"] = (
        "smmkit canonical posts, Windows-1251, `;` (views as impressions, no reach)"
    )
    ok_keep = ["impressions", "reach", "likes", "comments", "shares", "clicks", "video_views"]
    write_csv(ex / "ok_posts.csv", POSTS_HEADER,
              canonical_post_rows("ok", posts["ok"], url=lambda pid: f"https://ok.ru/coffeepoint/topic/{pid}",
                                  keep=ok_keep, sep="\xa0"), **cp)  # fmt: skip
    files["exports/ok_posts.csv"] = "smmkit canonical posts, Windows-1251, `;`, no-break-space thousands"

    full = ["followers", "new_followers", "lost_followers", "unique_visitors", "page_views"]
    rows = canonical_audience_rows("vk", aud["vk"], keep=full, sep=" ")
    rows += canonical_audience_rows("ok", aud["ok"], keep=full)
    rows += canonical_audience_rows("telegram", aud["telegram"], keep=["followers"])
    write_csv(ex / "audience_vk_ok_telegram.csv", AUDIENCE_HEADER, rows, **cp)
    files["exports/audience_vk_ok_telegram.csv"] = (
        "smmkit canonical audience, Windows-1251, `;` (Telegram: followers only)"
    )
    write_csv(ex / "instagram_audience.csv", AUDIENCE_HEADER,
              canonical_audience_rows("instagram", aud["instagram"], keep=full))  # fmt: skip
    files["exports/instagram_audience.csv"] = "smmkit canonical audience, UTF-8"

    order = ["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
             "Publish time", "Permalink", "Post type", "Data comment", "Date", "Reach", "Likes", "Views", "Comments",
             "Shares", "Saves", "Follows"]  # fmt: skip
    write_meta_instagram(ex / "instagram" / "Jul-01-2025_Oct-31-2026_1482.csv", posts["instagram"], order=order,
                         ctx={"account_id": "17841400012345678", "username": "coffeepoint.msk",
                              "name": "Coffee Point"})  # fmt: skip
    files["exports/instagram/Jul-01-2025_Oct-31-2026_1482.csv"] = (
        "Meta Business Suite content export, Instagram"
    )

    write_csv(ex / "vk_ads.csv", ADS_HEADER, ads_rows(ads, decimal=",", sep=" "), **cp)
    files["exports/vk_ads.csv"] = "smmkit canonical ads, Windows-1251, `;`, decimal comma (`4 512,75`)"

    sources = [
        Source("vk.com / referral", "Organic Social", 9, network="vk", conv=0.03, engaged=0.5),
        Source("away.vk.com / referral", "Organic Social", 5, network="vk", conv=0.03, engaged=0.5),
        Source("vk / cpc", "Paid Social", 0, paid="vk", conv=0.04, engaged=0.45),
        Source("t.me / referral", "Organic Social", 4, network="telegram", conv=0.03, engaged=0.55),
        Source("ok.ru / referral", "Organic Social", 2, network="ok", conv=0.02, engaged=0.45),
        Source(
            "l.instagram.com / referral", "Organic Social", 6, network="instagram", conv=0.03, engaged=0.5
        ),
        Source("ig / social", "Organic Social", 1.5, conv=0.02, engaged=0.5),
        Source("yandex / organic", "Organic Search", 40, conv=0.04, engaged=0.65),
        Source("google / organic", "Organic Search", 22, conv=0.04, engaged=0.65),
        Source("(direct) / (none)", "Direct", 30, conv=0.05, engaged=0.7),
        Source("newsletter / email", "Email", 3, conv=0.06, engaged=0.7),
    ]
    write_ga4(ex / "ga4_traffic_acquisition.csv", ga4_rows(client, sources, posts, ads, revenue_per_event=650),
              account="Coffee Point", prop="coffeepoint.ru - GA4")  # fmt: skip
    files["exports/ga4_traffic_acquisition.csv"] = "GA4 traffic acquisition CSV (daily, source / medium)"

    inbox = simulate_inbox(client, ["vk", "telegram", "instagram"], offsets="mixed")
    write_csv(
        ex / "inbox.csv", ["network", "message_id", "received_at", "is_question", "first_reply_at"], inbox
    )
    files["exports/inbox.csv"] = "smmkit canonical inbox, UTF-8 (times with `+03:00` or without offset)"
    mentions = simulate_mentions(client, own=["Coffee Point", "CoffeePoint", "Кофе Поинт"],
                                 competitors=["Brew Bros", "Latte Land"], unrelated=["Cofix", "Шоколадница"],
                                 networks=["vk", "vk", "telegram", "instagram", "web", "news"], lang="ru")  # fmt: skip
    write_csv(ex / "mentions.csv", ["published_at", "brand", "network", "sentiment", "author", "reach", "text", "url"],
              mentions)  # fmt: skip
    files["exports/mentions.csv"] = (
        "smmkit canonical mentions, UTF-8 (Cofix/Шоколадница rows: unrelated, ignored)"
    )
    return files


def build_nimbus(client: Client, out: Path) -> dict[str, str]:
    aud, posts, ads = simulate(client)
    ex = out / "exports"
    files: dict[str, str] = {}
    rng = stream(client, "writers")
    li_campaign = next(c for c in client.campaigns if c.network == "linkedin")

    li = posts["linkedin"]
    write_linkedin_content(ex / "linkedin" / "nimbus-crm_content_1719792000000.xlsx",
                           li[li.published_at < "2026-01-01"], li_campaign, old=True)  # fmt: skip
    write_linkedin_content(ex / "linkedin" / "nimbus-crm_content_1793491200000.xlsx",
                           li[li.published_at >= "2026-01-01"], li_campaign, old=False)  # fmt: skip
    files["exports/linkedin/nimbus-crm_content_1719792000000.xlsx"] = (
        "LinkedIn page content export, 2025-07..2025-12 (older: Excel serial dates, `Shares`)"
    )
    files["exports/linkedin/nimbus-crm_content_1793491200000.xlsx"] = (
        "LinkedIn page content export, 2026-01..2026-10 (`MM/DD/YYYY` strings, `Reposts`)"
    )
    write_linkedin_followers(ex / "linkedin" / "nimbus-crm_followers_1793491200000.xlsx", aud["linkedin"],
                             li_campaign, rng)  # fmt: skip
    files["exports/linkedin/nimbus-crm_followers_1793491200000.xlsx"] = (
        "LinkedIn followers export (daily new only)"
    )
    write_linkedin_visitors(ex / "linkedin" / "nimbus-crm_visitors_1793491200000.xlsx", aud["linkedin"], rng)
    files["exports/linkedin/nimbus-crm_visitors_1793491200000.xlsx"] = "LinkedIn visitors export"

    x = x_extras(posts["x"], rng)
    write_x_legacy(ex / "x" / "tweet_activity_metrics_nimbuscrm_20250701_20251231_en.csv",
                   x[x.published_at < "2026-01-01"], handle="nimbuscrm", tz=client.tz)  # fmt: skip
    files["exports/x/tweet_activity_metrics_nimbuscrm_20250701_20251231_en.csv"] = (
        "X legacy tweet activity (2025-07..2025-12; UTC `+0000`, numbers as `1203.0`)"
    )
    write_x_content(ex / "x" / "account_analytics_content_2026-01-01_2026-10-31.csv",
                    x[x.published_at >= "2026-01-01"], handle="nimbuscrm")  # fmt: skip
    files["exports/x/account_analytics_content_2026-01-01_2026-10-31.csv"] = (
        "X account analytics content, 2024+ format (2026-01..2026-10, newest first)"
    )
    write_x_overview(ex / "x" / "account_overview_analytics.csv", x, aud["x"])
    files["exports/x/account_overview_analytics.csv"] = (
        "X account overview, 2024+ format (whole range, newest first)"
    )

    fb = posts["facebook"].assign(post_id=lambda f: "104812345678901_" + f.post_id.str[-15:])
    write_fb_legacy_posts(ex / "facebook" / "Facebook Insights Data Export (Post Level) - Nimbus CRM.csv", fb,
                          page_id="104812345678901", rng=rng)  # fmt: skip
    files["exports/facebook/Facebook Insights Data Export (Post Level) - Nimbus CRM.csv"] = (
        "Facebook Page Insights legacy, post level (description row 2, repeated column names)"
    )
    page_rows = fb_page_rows(fb, aud["facebook"], rng)
    write_fb_legacy_page(ex / "facebook" / "Facebook Insights Data Export - Nimbus CRM - 2025.csv",
                         DAYS[DAYS < "2026-01-01"], page_rows, date_fmt=lambda d: d.strftime("%Y-%m-%d"))  # fmt: skip
    write_fb_legacy_page(ex / "facebook" / "Facebook Insights Data Export - Nimbus CRM - 2026.csv",
                         DAYS[DAYS >= "2026-01-01"], page_rows, date_fmt=lambda d: us_date(d, pad=False))  # fmt: skip
    files["exports/facebook/Facebook Insights Data Export - Nimbus CRM - 2025.csv"] = (
        "Facebook Page Insights legacy, page level (2025-07..2025-12, `Date` as `2025-07-01`)"
    )
    files["exports/facebook/Facebook Insights Data Export - Nimbus CRM - 2026.csv"] = (
        "Facebook Page Insights legacy, page level (2026-01..2026-10, `Date` as `10/1/2026`)"
    )

    write_csv(ex / "ads.csv", ADS_HEADER, ads_rows(ads))
    files["exports/ads.csv"] = "smmkit canonical ads (LinkedIn lead gen, X campaign)"

    sources = [
        Source("lnkd.in / referral", "Organic Social", 6, network="linkedin", conv=0.04, engaged=0.6),
        Source("linkedin.com / referral", "Organic Social", 4, network="linkedin", conv=0.04, engaged=0.6),
        Source("linkedin / paid", "Paid Social", 0, paid="linkedin", conv=0.06, engaged=0.55),
        Source("t.co / referral", "Organic Social", 5, network="x", conv=0.02, engaged=0.45),
        Source("x / paid", "Paid Social", 0, paid="x", conv=0.02, engaged=0.4),
        Source("m.facebook.com / referral", "Organic Social", 3, network="facebook", conv=0.02, engaged=0.45),
        Source("google / organic", "Organic Search", 80, conv=0.03, engaged=0.65),
        Source("bing / organic", "Organic Search", 9, conv=0.03, engaged=0.65),
        Source("(direct) / (none)", "Direct", 55, conv=0.04, engaged=0.7),
        Source("newsletter / email", "Email", 7, conv=0.05, engaged=0.75),
        Source("g2.com / referral", "Referral", 4, conv=0.05, engaged=0.7),
    ]
    rows = ga4_rows(client, sources, posts, ads, revenue_per_event=0)
    old_rows = [r for r in rows if r[0] < "20260101"]
    old_header = [
        *GA4_HEADER[:2],
        "Session default channel group",
        *GA4_HEADER[3:9],
        "Conversions",
        GA4_HEADER[10],
    ]
    path = ex / "ga4" / "Traffic_acquisition_Session_source_medium_2025.csv"
    write_ga4(path, old_rows, account="Nimbus CRM", prop="app.nimbuscrm.com - GA4", end=pd.Timestamp("2025-12-31"),
              header=old_header)  # fmt: skip
    header2, rows2 = ga4_source_summary(old_rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header2, *rows2])
    path.write_bytes(path.read_bytes() + b"\n" + buf.getvalue().encode())
    files["exports/ga4/Traffic_acquisition_Session_source_medium_2025.csv"] = (
        "GA4 CSV, older names (`Session default channel group`, `Conversions`), 2025-07..2025-12; a second "
        "date-less table by `Session source` after a blank line (totals of the same range)"
    )
    write_ga4(ex / "ga4" / "Traffic_acquisition_Session_source_medium_2026.csv",
              [r for r in rows if r[0] >= "20260101"], account="Nimbus CRM", prop="app.nimbuscrm.com - GA4",
              start=pd.Timestamp("2026-01-01"))  # fmt: skip
    files["exports/ga4/Traffic_acquisition_Session_source_medium_2026.csv"] = (
        "GA4 CSV, current names, 2026-01..2026-10"
    )
    return files


def build_atelier(client: Client, out: Path) -> dict[str, str]:
    aud, posts, ads = simulate(client)
    ex = out / "exports"
    files: dict[str, str] = {}
    rng = stream(client, "writers")

    order = ["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
             "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes", "Shares",
             "Follows", "Comments", "Saves"]  # fmt: skip
    write_meta_instagram(ex / "meta" / "Jul-01-2025_Oct-31-2026_2213.csv", posts["instagram"], order=order,
                         ctx={"account_id": "17841400098765432", "username": "ateliernord",
                              "name": "Atelier Nord"})  # fmt: skip
    files["exports/meta/Jul-01-2025_Oct-31-2026_2213.csv"] = "Meta Business Suite content export, Instagram"
    write_meta_facebook(ex / "meta" / "Jul-01-2025_Oct-31-2026_2214.csv", posts["facebook"],
                        page_id="100064812345678", page_name="Atelier Nord", rng=rng)  # fmt: skip
    files["exports/meta/Jul-01-2025_Oct-31-2026_2214.csv"] = "Meta Business Suite content export, Facebook"

    full = ["followers", "new_followers", "lost_followers", "unique_visitors", "page_views"]
    rows = []
    for net in ("instagram", "facebook", "tiktok", "youtube"):
        rows += canonical_audience_rows(net, aud[net], keep=full)
    write_csv(ex / "audience.csv", AUDIENCE_HEADER, rows)
    files["exports/audience.csv"] = "smmkit canonical audience, UTF-8 (instagram, facebook, tiktok, youtube)"

    write_tiktok_followers(ex / "tiktok" / "FollowerHistory.csv", aud["tiktok"], "2026-09-02", "2026-10-31")
    write_tiktok_followers(ex / "tiktok" / "2026-01-20" / "FollowerHistory.csv", aud["tiktok"], "2025-11-15",
                           "2026-01-20")  # fmt: skip
    write_tiktok_overview(
        ex / "tiktok" / "Overview.csv", posts["tiktok"], aud["tiktok"], "2026-09-02", "2026-10-31"
    )
    files["exports/tiktok/FollowerHistory.csv"] = (
        "TikTok Studio FollowerHistory.csv (2026-09-02..2026-10-31, no year)"
    )
    files["exports/tiktok/2026-01-20/FollowerHistory.csv"] = (
        "TikTok Studio FollowerHistory.csv (2025-11-15..2026-01-20, no year, crosses New Year)"
    )
    files["exports/tiktok/Overview.csv"] = "TikTok Studio Overview.csv (2026-09-02..2026-10-31, no year)"
    tt_keep = ["impressions", "reach", "likes", "comments", "shares", "saves", "video_views"]
    tt = posts["tiktok"].assign(video_views=lambda f: f.impressions)  # TikTok "views" are plays
    write_csv(ex / "tiktok" / "tiktok_posts.csv", POSTS_HEADER,
              canonical_post_rows("tiktok", tt, url=lambda pid: f"https://www.tiktok.com/@ateliernord/video/{pid}",
                                  keep=tt_keep))  # fmt: skip
    files["exports/tiktok/tiktok_posts.csv"] = "smmkit canonical posts, UTF-8 (TikTok videos)"

    write_youtube(ex / "youtube" / "Table data.csv", posts["youtube"], rng)
    files["exports/youtube/Table data.csv"] = "YouTube Studio content `Table data.csv` (`Total` row first)"

    write_csv(ex / "ads.csv", ADS_HEADER, ads_rows(ads))
    files["exports/ads.csv"] = "smmkit canonical ads (Instagram + Facebook lead ads)"

    inbox = simulate_inbox(client, ["instagram", "facebook", "tiktok"], offsets="always")
    write_csv(
        ex / "inbox.csv", ["network", "message_id", "received_at", "is_question", "first_reply_at"], inbox
    )
    files["exports/inbox.csv"] = "smmkit canonical inbox, UTF-8 (times with `+01:00`/`+02:00`)"
    mentions = simulate_mentions(client, own=["Atelier Nord", "AtelierNord"], competitors=["Maison Verte"],
                                 unrelated=["Zara", "COS"],
                                 networks=["instagram", "instagram", "facebook", "tiktok", "youtube", "web", "news"],
                                 lang="en")  # fmt: skip
    write_csv(ex / "mentions.csv", ["published_at", "brand", "network", "sentiment", "author", "reach", "text", "url"],
              mentions)  # fmt: skip
    files["exports/mentions.csv"] = "smmkit canonical mentions, UTF-8 (Zara/COS rows: unrelated, ignored)"

    sources = [
        Source(
            "l.instagram.com / referral", "Organic Social", 25, network="instagram", conv=0.015, engaged=0.5
        ),
        Source("instagram / paid", "Paid Social", 0, paid="instagram", conv=0.02, engaged=0.45),
        Source("ig / social", "Organic Social", 4, conv=0.012, engaged=0.5),
        Source(
            "m.facebook.com / referral", "Organic Social", 8, network="facebook", conv=0.012, engaged=0.45
        ),
        Source("facebook / paid", "Paid Social", 0, paid="facebook", conv=0.02, engaged=0.45),
        Source("tiktok.com / referral", "Organic Social", 6, network="tiktok", conv=0.008, engaged=0.4),
        Source("youtube.com / referral", "Organic Video", 3, network="youtube", conv=0.012, engaged=0.6),
        Source("google / organic", "Organic Search", 120, conv=0.02, engaged=0.65),
        Source("(direct) / (none)", "Direct", 70, conv=0.025, engaged=0.7),
        Source("newsletter / email", "Email", 12, conv=0.04, engaged=0.75),
        Source("google / cpc", "Paid Search", 30, conv=0.025, engaged=0.6),
    ]
    write_ga4(ex / "ga4_traffic_acquisition.csv", ga4_rows(client, sources, posts, ads, revenue_per_event=140),
              account="Atelier Nord", prop="ateliernord.de - GA4")  # fmt: skip
    files["exports/ga4_traffic_acquisition.csv"] = "GA4 traffic acquisition CSV (daily, source / medium)"
    return files


BUILDERS = {"coffee-point": build_coffee, "nimbus-crm": build_nimbus, "atelier-nord": build_atelier}


# --------------------------------------------------------------------------- README
def events_md(client: Client) -> list[str]:
    out = []
    for c in client.contests:
        d = pd.Timestamp(c.day)
        out.append(
            f"- contest on {c.network}: {c.day} (joins jump {c.day}..{d + pd.Timedelta(days=2):%Y-%m-%d}; "
            f"unfollow wave {d + pd.Timedelta(days=4):%Y-%m-%d}..{d + pd.Timedelta(days=8):%Y-%m-%d}, "
            "40 % of the contest joins)"
        )
    for b in client.bought:
        out.append(f"- bought followers on {b.network}: {b.day} and the next day (+{b.size}); engagement per post "
                   "falls from then on")  # fmt: skip
    for c in client.campaigns:
        what = []
        if c.ads:
            what.append("ads rows")
        if c.boost_posts:
            what.append("paid reach on posts")
        out.append(f'- paid campaign on {c.network}: "{c.name}" {c.start}..{c.end} ({", ".join(what)})')
    if client.crisis:
        out.append(f"- crisis: {client.crisis}: 60 extra negative mentions, 4x inbox messages, slower replies, "
                   f"unfollows on {', '.join(client.crisis_networks)}")  # fmt: skip
    out.append(f"- `{XSS_IMG}` in the text of one October 2026 {client.xss_img} post, "
               f"`{XSS_SCRIPT}` in one October 2026 {client.xss_script} post")  # fmt: skip
    return out


def readme(built: dict[str, dict[str, str]]) -> str:
    lines = [
        "# Demo clients",
        "",
        "Generated by `scripts/make_demo_data.py` (deterministic: re-running it writes the same bytes;",
        "do not edit these files by hand). Daily data runs 2025-07-01..2026-10-31. Each export is in its",
        "native format as `../shared/data-contract.md` section 2 describes it.",
        "",
        "Consistency: where a file exports followers, joins and leaves,",
        "`followers(d) = followers(d-1) + new(d) - lost(d)`; post `impressions >= reach`.",
    ]
    for client in CLIENTS:
        lines += ["", f"## {client.slug}", "", "Files:"]
        lines += [f"- `{name}`: {fmt}" for name, fmt in built[client.slug].items()]
        lines += ["", "Scenario:", *events_md(client)]
        if client.notes:
            lines += ["", "Notes:", *(f"- {note}" for note in client.notes)]
    return "\n".join(lines) + "\n"


AGENCY_YAML = """\
# The agency's brand on every report page and on the index (smmkit.config.load_agency_config).
name: Northwind Social
logo: agency-logo.png
footer: "hello@northwind.example · +44 20 7946 0000"
language: en
color: "#0e7490"
"""


# The analyst's notes of October 2026 (notes/<YYYY-MM>.md, shown on the overview under client.yaml's
# `analyst`): what the numbers alone do not say.
NOTES: dict[str, dict[str, str]] = {
    "coffee-point": {
        "2026-10": """\
**Октябрь: осенняя кампания во ВКонтакте.** Публикации с платным продвижением (12, 24 и 25 октября) дали основной рост охвата;
всплеск подписок 6–7 октября совпал с розыгрышем, после него пошла волна отписок — в ноябре розыгрыши
только с условием активности.

- Цель по CPL не выполнена: лиды из рекламы дорожают, пересобираем аудитории.
- Подробности кампании: [бриф](https://example.com/coffee-point/brief-october)
"""
    },
    "atelier-nord": {
        "2026-10": """\
**October: the autumn collection launch.** Instagram carried the reach growth (the launch reels);
the giveaway of Oct 11 brought followers who left within days, so the next contest will require a comment.

- Share of voice well above target after the press coverage.
- Campaign brief: [link](https://example.com/atelier-nord/brief-october)
"""
    },
}


def build(out: Path) -> None:
    """Write every demo client into ``out/<slug>/`` and ``out/README.md``."""
    out.mkdir(parents=True, exist_ok=True)
    built: dict[str, dict[str, str]] = {}
    for client in CLIENTS:
        folder = out / client.slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "client.yaml").write_bytes(client.yaml.encode("utf-8"))
        (folder / "logo.png").write_bytes(logo(client.color, client.slug))
        files = {"client.yaml": "client configuration", "logo.png": "brand logo (96x96 PNG)"}
        files |= BUILDERS[client.slug](client, folder)
        for month, text in NOTES.get(client.slug, {}).items():
            (folder / "notes").mkdir(exist_ok=True)
            (folder / "notes" / f"{month}.md").write_bytes(text.encode("utf-8"))
            files[f"notes/{month}.md"] = f"the analyst's notes for {month} (Markdown)"
        built[client.slug] = files
    (out / "README.md").write_bytes(readme(built).encode("utf-8"))
    # The demo agency: its brand on every page and on the index (smmkit.yaml, see README).
    (out / "smmkit.yaml").write_bytes(AGENCY_YAML.encode("utf-8"))
    (out / "agency-logo.png").write_bytes(logo("#0e7490", "northwind-social"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"target folder (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    build(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
