"""Coffee Point: a Moscow coffee chain (RUB, Russian) on VK, Telegram, OK and Instagram."""

from __future__ import annotations

from pathlib import Path

from ..scenario import Bought, Campaign, Client, Contest, NetSpec, post_types
from ..simulation import ByNetwork, Source, ga4_rows, simulate, simulate_inbox, simulate_mentions
from ..writers.ads import ADS_HEADER, ads_rows
from ..writers.base import write_csv
from ..writers.canonical import (
    AUDIENCE_HEADER,
    CP1251,
    FULL_AUDIENCE,
    INBOX_HEADER,
    MENTIONS_HEADER,
    POSTS_HEADER,
    canonical_audience_rows,
    canonical_post_rows,
)
from ..writers.google import write_ga4
from ..writers.meta import write_meta_instagram
from ..writers.vk import write_vk_posts

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

# fmt: off
CLIENT = Client(
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
                post_types(("photo", 0.6, 1.0, False), ("text", 0.15, 0.8, False), ("clip", 0.25, 1.5, True))),
        NetSpec("telegram", 8200, 0.0014, 0.0010, (5, 10), 0.38, 0.018, 0.05, 0.12, 0.0, 0.004,
                post_types(("text", 0.4, 1.0, False), ("photo", 0.45, 1.05, False), ("video", 0.15, 1.1, True))),
        NetSpec("ok", 9500, 0.0011, 0.0008, (3, 5), 0.12, 0.03, 0.06, 0.15, 0.0, 0.003,
                post_types(("photo", 0.7, 1.0, False), ("text", 0.2, 0.8, False), ("video", 0.1, 1.3, True))),
        NetSpec("instagram", 31000, 0.0017, 0.0011, (4, 8), 0.24, 0.055, 0.04, 0.03, 0.06, 0.0,
                post_types(("IG image", 0.45, 1.0, False), ("IG reel", 0.35, 1.7, True),
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

SOURCES = [
    Source("vk.com / referral", "Organic Social", 9, network="vk", conv=0.03, engaged=0.5),
    Source("away.vk.com / referral", "Organic Social", 5, network="vk", conv=0.03, engaged=0.5),
    Source("vk / cpc", "Paid Social", 0, paid="vk", conv=0.04, engaged=0.45),
    Source("t.me / referral", "Organic Social", 4, network="telegram", conv=0.03, engaged=0.55),
    Source("ok.ru / referral", "Organic Social", 2, network="ok", conv=0.02, engaged=0.45),
    Source("l.instagram.com / referral", "Organic Social", 6, network="instagram", conv=0.03, engaged=0.5),
    Source("ig / social", "Organic Social", 1.5, conv=0.02, engaged=0.5),
    Source("yandex / organic", "Organic Search", 40, conv=0.04, engaged=0.65),
    Source("google / organic", "Organic Search", 22, conv=0.04, engaged=0.65),
    Source("(direct) / (none)", "Direct", 30, conv=0.05, engaged=0.7),
    Source("newsletter / email", "Email", 3, conv=0.06, engaged=0.7),
]

#: The analyst's notes by month (notes/<YYYY-MM>.md): what the numbers alone do not say.
NOTES = {
    "2026-10": """\
**Октябрь: осенняя кампания во ВКонтакте.** Публикации с платным продвижением (12, 24 и 25 октября) дали основной рост охвата;
всплеск подписок 6–7 октября совпал с розыгрышем, после него пошла волна отписок — в ноябре розыгрыши
только с условием активности.

- Цель по CPL не выполнена: лиды из рекламы дорожают, пересобираем аудитории.
- Подробности кампании: [бриф](https://example.com/coffee-point/brief-october)
"""
}

IG_ORDER = ["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
            "Publish time", "Permalink", "Post type", "Data comment", "Date", "Reach", "Likes", "Views", "Comments",
            "Shares", "Saves", "Follows"]  # fmt: skip


def write_posts(ex: Path, posts: ByNetwork) -> dict[str, str]:
    """VK (two yearly files), Telegram and OK posts in canonical Windows-1251 files; Instagram from Meta."""
    write_vk_posts(ex / "vk", posts["vk"])
    files = {
        "exports/vk/vk_posts_2025.csv": "smmkit canonical posts, Windows-1251, `;`, CRLF (2025-07-01..2026-01-31)",
        "exports/vk/vk_posts_2026.csv": (
            "smmkit canonical posts, Windows-1251, `;`, `1 234` thousands (2026-01-01..2026-10-31; January "
            "overlaps the 2025 file with higher lifetime numbers)"
        ),
    }
    tg_keep = ["impressions", "likes", "comments", "shares", "video_views"]
    write_csv(ex / "telegram_posts.csv", POSTS_HEADER,
              canonical_post_rows("telegram", posts["telegram"], url=lambda pid: f"https://t.me/coffeepoint_msk/{pid}",
                                  keep=tg_keep), **CP1251)  # fmt: skip
    files["exports/telegram_posts.csv"] = (
        "smmkit canonical posts, Windows-1251, `;` (views as impressions, no reach)"
    )
    ok_keep = ["impressions", "reach", "likes", "comments", "shares", "clicks", "video_views"]
    write_csv(ex / "ok_posts.csv", POSTS_HEADER,
              canonical_post_rows("ok", posts["ok"], url=lambda pid: f"https://ok.ru/coffeepoint/topic/{pid}",
                                  keep=ok_keep, sep="\xa0"), **CP1251)  # fmt: skip
    files["exports/ok_posts.csv"] = "smmkit canonical posts, Windows-1251, `;`, no-break-space thousands"
    return files


def write_audience(ex: Path, aud: ByNetwork) -> dict[str, str]:
    """VK, OK and Telegram followers in one canonical Windows-1251 file; Instagram in a UTF-8 one."""
    rows = canonical_audience_rows("vk", aud["vk"], keep=FULL_AUDIENCE, sep=" ")
    rows += canonical_audience_rows("ok", aud["ok"], keep=FULL_AUDIENCE)
    rows += canonical_audience_rows("telegram", aud["telegram"], keep=["followers"])
    write_csv(ex / "audience_vk_ok_telegram.csv", AUDIENCE_HEADER, rows, **CP1251)
    write_csv(ex / "instagram_audience.csv", AUDIENCE_HEADER,
              canonical_audience_rows("instagram", aud["instagram"], keep=FULL_AUDIENCE))  # fmt: skip
    return {
        "exports/audience_vk_ok_telegram.csv": "smmkit canonical audience, Windows-1251, `;` (Telegram: followers only)",
        "exports/instagram_audience.csv": "smmkit canonical audience, UTF-8",
    }  # fmt: skip


def build(client: Client, out: Path) -> dict[str, str]:
    """Write the client's exports under ``out/exports``; return their README descriptions by path."""
    aud, posts, ads = simulate(client)
    ex = out / "exports"
    files = write_posts(ex, posts) | write_audience(ex, aud)
    write_meta_instagram(ex / "instagram" / "Jul-01-2025_Oct-31-2026_1482.csv", posts["instagram"], order=IG_ORDER,
                         ctx={"account_id": "17841400012345678", "username": "coffeepoint.msk",
                              "name": "Coffee Point"})  # fmt: skip
    files["exports/instagram/Jul-01-2025_Oct-31-2026_1482.csv"] = (
        "Meta Business Suite content export, Instagram"
    )
    write_csv(ex / "vk_ads.csv", ADS_HEADER, ads_rows(ads, decimal=",", sep=" "), **CP1251)
    files["exports/vk_ads.csv"] = "smmkit canonical ads, Windows-1251, `;`, decimal comma (`4 512,75`)"
    write_ga4(ex / "ga4_traffic_acquisition.csv", ga4_rows(client, SOURCES, posts, ads, revenue_per_event=650),
              account="Coffee Point", prop="coffeepoint.ru - GA4")  # fmt: skip
    files["exports/ga4_traffic_acquisition.csv"] = "GA4 traffic acquisition CSV (daily, source / medium)"
    inbox = simulate_inbox(client, ["vk", "telegram", "instagram"], offsets="mixed")
    write_csv(ex / "inbox.csv", INBOX_HEADER, inbox)
    files["exports/inbox.csv"] = "smmkit canonical inbox, UTF-8 (times with `+03:00` or without offset)"
    mentions = simulate_mentions(client, own=["Coffee Point", "CoffeePoint", "Кофе Поинт"],
                                 competitors=["Brew Bros", "Latte Land"], unrelated=["Cofix", "Шоколадница"],
                                 networks=["vk", "vk", "telegram", "instagram", "web", "news"], lang="ru")  # fmt: skip
    write_csv(ex / "mentions.csv", MENTIONS_HEADER, mentions)
    files["exports/mentions.csv"] = (
        "smmkit canonical mentions, UTF-8 (Cofix/Шоколадница rows: unrelated, ignored)"
    )
    return files
