"""VK (vk.com) community statistics. VK Ads is in :mod:`smmkit.io.formats.ads`.

The community "Статистика" export, one row per day. Column names follow the statistics page and
the API's stats.get fields (visitors.views, visitors.visitors, activity.subscribed/unsubscribed);
no public sample file was found, so the known spellings are all aliases.
"""

from __future__ import annotations

from smmkit.io.formats.base import Col, declare
from smmkit.io.readers import RawFile, RawTable

C = Col.of

VK_STATS_SPEC = {
    "date": C("day", "Дата", "День", required=True),
    "followers": C("int", "Подписчики", "Всего подписчиков", "Участники", "Всего участников"),
    "new_followers": C("int", "Подписавшиеся", "Новые подписчики", "Вступившие", "Вступившие участники"),
    "lost_followers": C("int", "Отписавшиеся", "Отписались", "Вышедшие", "Вышедшие участники"),
    "unique_visitors": C("int", "Посетители", "Уникальные посетители"),
    "page_views": C("int", "Просмотры"),
}


def _vk_stats_table(raw: RawFile) -> RawTable | None:
    for t in raw.tables:
        if (
            t.index("Дата", "День") is not None
            and t.index(*VK_STATS_SPEC["new_followers"].names) is not None
            and t.index(*VK_STATS_SPEC["lost_followers"].names) is not None
        ):
            return t
    return None


declare(
    "vk_community_stats", "VK community statistics export", "vk",
    ("Дата", "Подписавшиеся", "Отписавшиеся", "Посетители", "Просмотры"),
    table="audience", spec=VK_STATS_SPEC, reads="VK community statistics", find=_vk_stats_table,
)  # fmt: skip
