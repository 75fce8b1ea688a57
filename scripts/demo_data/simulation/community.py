"""Inbox messages and brand mentions: they follow the crisis and contest days."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from ..scenario import Client, stream
from ..timeline import DAYS


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
                """The time to the second, with or without its UTC offset."""
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
    networks: Sequence[str],
    lang: str,
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
