"""The KPI catalogue: one record per key of metrics.md, and everything derived from it.

A record says what a KPI is (key, family, unit, which direction is good news, its
name and formula in every report language) and how ``total`` gets it from the
networks (:data:`TOTAL_RULES`). The metric function, the total's recomputation,
the JSON schema, the report's labels and formulas, the page key lists and
docs/kpis.md all read these records, so adding a KPI is one record here plus
its metric function in :mod:`smmkit.kpi.metrics`::

    KPI("saves_rate", "feedback", "percent", "higher", ("Save rate", "Доля сохранений"),
        ("saves / followers × 100", "сохранения / подписчики × 100"), "ratio",
        inputs=("saves", "followers_end")),

    def saves_rate(saves: Number, followers_end: Number) -> Number:
        return pct(saves, followers_end)

This module is pure data (no pandas, no other smmkit module): it sits at the
bottom of the layers, so that ``config`` can check target keys and every layer
above can read labels, units and key lists from one place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CATALOGUE",
    "FAMILIES",
    "INPUTS",
    "KPI",
    "KPI_GROUPS",
    "KPI_KEYS",
    "LANGUAGES",
    "LOWER_IS_BETTER",
    "PAGES",
    "TOTAL_RULES",
    "UNITS",
    "kpi",
    "page_keys",
]

#: Report languages; a record's names and formulas come in this order.
LANGUAGES: tuple[str, ...] = ("en", "ru")

#: KPI families, in report order (metrics.md's sections).
FAMILIES: tuple[str, ...] = ("audience", "content", "feedback", "community", "traffic", "listening")

#: Units: how a value is formatted (:func:`smmkit.report.i18n.format_number` kinds).
UNITS: tuple[str, ...] = ("count", "ratio", "percent", "currency", "hours", "seconds")

#: How ``total`` gets a KPI from the networks' values (metrics.md, "Known, unknown and totals").
TOTAL_RULES: dict[str, str] = {
    "sum": "sum over the networks where it is known; null if none",
    "ratio": "the formula applied to its inputs summed over the networks where every input is known",
    "cost_ratio": "total_cost (ad spend + fixed costs) / the denominator summed over the networks where known",
    "site": "all site sessions, whatever their source: the same value in every block",
    "per_week": "total posts / days × 7",
    "cost": "all ad spend + the fixed costs of the period's days",
    "post_mean": "mean over the posts of the networks where the per-post value is defined",
    "day_mean": "mean over days of the summed engagements / summed followers of the networks where defined",
    "pooled_response": "over every answered question of the period, whatever its network",
    "previous_change": "the formula applied to the total's own values of both periods",
    "mentions": "every own mention (and competitors' for share of voice), networks without posts included",
}

#: Report pages that show a list of KPIs (in catalogue order).
PAGES: tuple[str, ...] = ("headline", "monthly", "audience", "reach", "feedback", "cost", "inbox", "index")


@dataclass(frozen=True)
class KPI:
    """One KPI of metrics.md.

    ``inputs`` and ``function`` are for the KPIs a metric function computes from
    other values (rates, means): the function of :mod:`smmkit.kpi.metrics` named
    ``function`` (default: the key) takes the ``inputs`` in that order.
    """

    key: str
    family: str
    unit: str
    better: str  # "higher" | "lower": which direction of change is good news
    names: tuple[str, str]  # in LANGUAGES order
    formulas: tuple[str, str]
    total: str  # a key of TOTAL_RULES
    inputs: tuple[str, ...] = ()
    function: str | None = None
    pages: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for value, allowed, what in (
            (self.family, FAMILIES, "family"),
            (self.unit, UNITS, "unit"),
            (self.better, ("higher", "lower"), "better"),
            (self.total, tuple(TOTAL_RULES), "total"),
        ):
            if value not in allowed:
                raise ValueError(
                    f"KPI {self.key!r}: `{what}` must be one of {', '.join(allowed)}; got {value!r}"
                )
        for page in self.pages:
            if page not in PAGES:
                raise ValueError(
                    f"KPI {self.key!r}: unknown page {page!r}; expected one of {', '.join(PAGES)}"
                )
        if len(self.names) != len(LANGUAGES) or len(self.formulas) != len(LANGUAGES):
            raise ValueError(f"KPI {self.key!r}: names and formulas need one text per language {LANGUAGES}")

    @property
    def function_name(self) -> str:
        return self.function or self.key

    def name(self, lang: str = "en") -> str:
        return self.names[LANGUAGES.index(lang)]

    def formula(self, lang: str = "en") -> str:
        return self.formulas[LANGUAGES.index(lang)]


# fmt: off
CATALOGUE: tuple[KPI, ...] = (
    KPI("followers_start", "audience", "count", "higher", ("Followers at start", "Подписчики на начало"), ("followers at the end of the day before the period", "подписчики на конец дня перед началом периода"), "sum", pages=("monthly", "audience")),
    KPI("followers_end", "audience", "count", "higher", ("Followers", "Подписчики"), ("followers at the end of the report date", "подписчики на конец последнего дня периода"), "sum", pages=("headline", "monthly", "audience", "index")),
    KPI("new_followers", "audience", "count", "higher", ("New followers", "Новые подписчики"), ("sum of daily joins", "сумма ежедневных подписок"), "sum", pages=("monthly", "audience")),
    KPI("lost_followers", "audience", "count", "lower", ("Unfollows", "Отписки"), ("sum of daily leaves", "сумма ежедневных отписок"), "sum", pages=("monthly", "audience")),
    KPI("net_follower_growth", "audience", "count", "higher", ("Follower growth", "Прирост подписчиков"), ("new followers − unfollows (or end − start where joins are not exported)", "новые − отписки (или конец − начало, если подписки не выгружаются)"), "sum", pages=("headline", "monthly", "audience")),
    KPI("follower_growth_rate", "audience", "percent", "higher", ("Follower growth rate", "Темп прироста"), ("follower growth / followers at start × 100", "прирост / подписчики на начало × 100"), "ratio", inputs=("net_follower_growth", "followers_start"), pages=("headline", "monthly", "audience")),
    KPI("unique_visitors", "audience", "count", "higher", ("Unique visitors", "Уникальные посетители"), ("sum of daily unique visitors of the page (not people)", "сумма ежедневных уникальных посетителей (не люди)"), "sum", pages=("headline", "monthly", "audience")),
    KPI("cost_per_follower", "audience", "currency", "lower", ("Cost per follower", "Цена подписчика"), ("total cost / new followers", "общие затраты / новые подписчики"), "cost_ratio", inputs=("total_cost", "new_followers"), pages=("cost",)),
    KPI("posts", "content", "count", "higher", ("Posts", "Публикации"), ("posts published in the period", "публикации за период"), "sum", pages=("headline", "monthly")),
    KPI("posts_per_week", "content", "ratio", "higher", ("Posts per week", "Публикаций в неделю"), ("posts / days × 7", "публикации / дни × 7"), "per_week", inputs=("posts",), pages=("headline", "monthly")),
    KPI("impressions", "content", "count", "higher", ("Impressions", "Показы"), ("sum of post impressions (views)", "сумма показов (просмотров) публикаций"), "sum", pages=("headline", "monthly", "reach")),
    KPI("reach", "content", "count", "higher", ("Total post reach", "Суммарный охват"), ("sum of post reach (a person counts once per post)", "сумма охвата публикаций (человек считается в каждой публикации)"), "sum", pages=("headline", "monthly", "reach", "index")),
    KPI("reach_organic", "content", "count", "higher", ("Organic reach", "Органический охват"), ("sum of organic post reach", "сумма органического охвата"), "sum", pages=("reach",)),
    KPI("reach_paid", "content", "count", "higher", ("Paid reach", "Платный охват"), ("sum of paid post reach", "сумма платного охвата"), "sum", pages=("reach",)),
    KPI("reach_viral", "content", "count", "higher", ("Viral reach", "Виральный охват"), ("sum of viral post reach", "сумма вирального охвата"), "sum", pages=("reach",)),
    KPI("reach_per_post", "content", "ratio", "higher", ("Reach per post", "Охват на публикацию"), ("reach / posts", "охват / публикации"), "ratio", inputs=("reach", "posts"), pages=("reach",)),
    KPI("reach_rate", "content", "percent", "higher", ("Reach rate", "Доля охвата"), ("reach per post / followers × 100", "охват на публикацию / подписчики × 100"), "ratio", inputs=("reach", "posts", "followers_end"), pages=("reach",)),
    KPI("video_views", "content", "count", "higher", ("Video views", "Просмотры видео"), ("sum of video plays", "сумма просмотров видео"), "sum", pages=("reach",)),
    KPI("likes", "feedback", "count", "higher", ("Likes", "Лайки"), ("sum of likes and reactions", "сумма лайков и реакций"), "sum", pages=("feedback",)),
    KPI("comments", "feedback", "count", "higher", ("Comments", "Комментарии"), ("sum of comments", "сумма комментариев"), "sum", pages=("feedback",)),
    KPI("shares", "feedback", "count", "higher", ("Shares", "Репосты"), ("sum of shares and reposts", "сумма репостов"), "sum", pages=("feedback",)),
    KPI("saves", "feedback", "count", "higher", ("Saves", "Сохранения"), ("sum of saves", "сумма сохранений"), "sum"),
    KPI("clicks", "feedback", "count", "higher", ("Link clicks", "Переходы"), ("sum of link clicks to the site", "сумма переходов на сайт"), "sum", pages=("monthly",)),
    KPI("engagements", "feedback", "count", "higher", ("Engagements", "Вовлечения"), ("likes + comments + shares", "лайки + комментарии + репосты"), "sum", pages=("monthly", "feedback")),
    KPI("love_rate", "feedback", "percent", "higher", ("Love rate", "Love rate"), ("likes / followers × 100", "лайки / подписчики × 100"), "ratio", inputs=("likes", "followers_end"), pages=("feedback",)),
    KPI("talk_rate", "feedback", "percent", "higher", ("Talk rate", "Talk rate"), ("comments / followers × 100", "комментарии / подписчики × 100"), "ratio", inputs=("comments", "followers_end"), pages=("feedback",)),
    KPI("amplification_rate", "feedback", "percent", "higher", ("Amplification rate", "Коэффициент виральности"), ("shares / posts × 100", "репосты / публикации × 100"), "ratio", inputs=("shares", "posts"), pages=("feedback",)),
    KPI("er", "feedback", "percent", "higher", ("ER", "ER"), ("engagements / followers × 100", "вовлечения / подписчики × 100"), "ratio", inputs=("engagements", "followers_end"), pages=("headline", "monthly", "feedback", "index")),
    KPI("err", "feedback", "percent", "higher", ("ERR", "ERR"), ("engagements / reach × 100", "вовлечения / охват × 100"), "ratio", inputs=("engagements", "reach"), pages=("monthly", "feedback")),
    KPI("er_day", "feedback", "percent", "higher", ("ER per day", "ER за день"), ("mean over days of engagements that day / followers that day × 100", "среднее по дням: вовлечения за день / подписчики в тот день × 100"), "day_mean", pages=("feedback",)),
    KPI("er_post", "feedback", "percent", "higher", ("ER per post", "ER публикации"), ("mean over posts of post engagements / followers on the publish day × 100", "среднее по публикациям: вовлечения / подписчики в день публикации × 100"), "post_mean", pages=("feedback",)),
    KPI("er_view", "feedback", "percent", "higher", ("ER by views", "ER по просмотрам"), ("mean over posts of post engagements / post impressions × 100", "среднее по публикациям: вовлечения / показы × 100"), "post_mean", pages=("feedback",)),
    KPI("engagements_per_post", "feedback", "ratio", "higher", ("Engagements per post", "Вовлечения на публикацию"), ("engagements / posts", "вовлечения / публикации"), "ratio", inputs=("engagements", "posts")),
    KPI("engagements_per_follower", "feedback", "ratio", "higher", ("Engagements per follower", "Вовлечения на подписчика"), ("engagements / posts / followers (a fraction)", "вовлечения / публикации / подписчики (доля)"), "ratio", inputs=("engagements", "posts", "followers_end")),
    KPI("clicks_per_post", "feedback", "ratio", "higher", ("Clicks per post", "Переходы на публикацию"), ("clicks / posts", "переходы / публикации"), "ratio", inputs=("clicks", "posts")),
    KPI("ctr", "feedback", "percent", "higher", ("CTR", "CTR"), ("clicks / impressions × 100", "переходы / показы × 100"), "ratio", inputs=("clicks", "impressions")),
    KPI("er_unique", "feedback", "percent", "higher", ("ER, unique", "ER уникальный"), ("engaged users / followers × 100", "вовлечённые пользователи / подписчики × 100"), "ratio", inputs=("engaged_users", "followers_end")),
    KPI("questions", "community", "count", "higher", ("Questions", "Вопросы"), ("inbound questions received in the period", "входящие вопросы за период"), "sum", pages=("inbox",)),
    KPI("answered", "community", "count", "higher", ("Answered", "Отвечено"), ("questions that got a reply", "вопросы, получившие ответ"), "sum", pages=("inbox",)),
    KPI("response_rate", "community", "percent", "higher", ("Response rate", "Доля ответов"), ("answered / questions × 100", "отвечено / вопросы × 100"), "ratio", inputs=("answered", "questions"), pages=("inbox",)),
    KPI("avg_response_time_h", "community", "hours", "lower", ("Mean response time", "Среднее время ответа"), ("mean hours from a question to its first reply", "среднее число часов от вопроса до первого ответа"), "pooled_response", pages=("inbox",)),
    KPI("median_response_time_h", "community", "hours", "lower", ("Median response time", "Медианное время ответа"), ("median hours from a question to its first reply", "медиана часов от вопроса до первого ответа"), "pooled_response", pages=("inbox",)),
    KPI("response_time_change", "community", "percent", "higher", ("Response speed change", "Изменение скорости ответа"), ("(previous mean time / mean time − 1) × 100; positive = faster", "(прошлое среднее время / среднее время − 1) × 100; плюс = быстрее"), "previous_change", inputs=("avg_response_time_h",), pages=("inbox",)),
    KPI("complaints", "community", "count", "lower", ("Complaints", "Жалобы"), ("hides, reports and complaints on posts", "скрытия и жалобы на публикации"), "sum"),
    KPI("social_sessions", "traffic", "count", "higher", ("Social sessions", "Сессии из соцсетей"), ("site sessions from social sources", "сессии сайта из социальных источников"), "sum", pages=("monthly",)),
    KPI("social_new_users_pct", "traffic", "percent", "higher", ("New users, social", "Новые пользователи, соцсети"), ("new users / users × 100", "новые пользователи / пользователи × 100"), "ratio", inputs=("social_new_users", "social_users"), function="new_users_pct"),
    KPI("social_bounce_rate", "traffic", "percent", "lower", ("Bounce rate, social", "Отказы, соцсети"), ("100 − engaged sessions / sessions × 100", "100 − вовлечённые сессии / сессии × 100"), "ratio", inputs=("social_engaged_sessions", "social_sessions"), function="bounce_rate"),
    KPI("social_pages_per_session", "traffic", "ratio", "higher", ("Pages per session, social", "Страниц за сессию, соцсети"), ("views / sessions", "просмотры / сессии"), "ratio", inputs=("social_views", "social_sessions"), function="pages_per_session"),
    KPI("social_avg_session_s", "traffic", "seconds", "higher", ("Session duration, social", "Длительность сессии, соцсети"), ("engagement time / sessions", "время вовлечения / сессии"), "ratio", inputs=("social_engagement_time_s", "social_sessions"), function="avg_session_s"),
    KPI("site_new_users_pct", "traffic", "percent", "higher", ("New users, site", "Новые пользователи, сайт"), ("new users / users × 100", "новые пользователи / пользователи × 100"), "site", inputs=("site_new_users", "site_users"), function="new_users_pct"),
    KPI("site_bounce_rate", "traffic", "percent", "lower", ("Bounce rate, site", "Отказы, сайт"), ("100 − engaged sessions / sessions × 100", "100 − вовлечённые сессии / сессии × 100"), "site", inputs=("site_engaged_sessions", "site_sessions"), function="bounce_rate"),
    KPI("site_pages_per_session", "traffic", "ratio", "higher", ("Pages per session, site", "Страниц за сессию, сайт"), ("views / sessions", "просмотры / сессии"), "site", inputs=("site_views", "site_sessions"), function="pages_per_session"),
    KPI("site_avg_session_s", "traffic", "seconds", "higher", ("Session duration, site", "Длительность сессии, сайт"), ("engagement time / sessions", "время вовлечения / сессии"), "site", inputs=("site_engagement_time_s", "site_sessions"), function="avg_session_s"),
    KPI("conversions", "traffic", "count", "higher", ("Conversions", "Конверсии"), ("key events of social sessions", "целевые действия из сессий соцсетей"), "sum", pages=("cost",)),
    KPI("conversion_rate", "traffic", "percent", "higher", ("Conversion rate", "Конверсия"), ("conversions / social sessions × 100", "конверсии / сессии из соцсетей × 100"), "ratio", inputs=("conversions", "social_sessions"), pages=("cost",)),
    KPI("ad_spend", "traffic", "currency", "lower", ("Ad spend", "Рекламный бюджет"), ("sum of ad spend", "сумма расходов на рекламу"), "sum", pages=("cost",)),
    KPI("ad_impressions", "traffic", "count", "higher", ("Ad impressions", "Рекламные показы"), ("sum of ad impressions", "сумма рекламных показов"), "sum", pages=("cost",)),
    KPI("ad_clicks", "traffic", "count", "higher", ("Ad clicks", "Клики по рекламе"), ("sum of ad clicks", "сумма кликов по рекламе"), "sum", pages=("cost",)),
    KPI("ad_leads", "traffic", "count", "higher", ("Ad leads", "Лиды из рекламы"), ("sum of ad leads", "сумма лидов из рекламы"), "sum", pages=("cost",)),
    KPI("ad_ctr", "traffic", "percent", "higher", ("Ad CTR", "CTR рекламы"), ("ad clicks / ad impressions × 100", "клики по рекламе / рекламные показы × 100"), "ratio", inputs=("ad_clicks", "ad_impressions"), pages=("cost",)),
    KPI("total_cost", "traffic", "currency", "lower", ("Total cost", "Общие затраты"), ("ad spend + fixed monthly costs of the period's days", "реклама + постоянные затраты за дни периода"), "cost", inputs=("ad_spend",), pages=("monthly", "cost")),
    KPI("leads", "traffic", "count", "higher", ("Leads", "Лиды"), ("ad leads + site leads from social sources", "лиды из рекламы + лиды сайта из соцсетей"), "sum", pages=("headline", "monthly", "cost", "index")),
    KPI("cpc", "traffic", "currency", "lower", ("CPC", "CPC"), ("total cost / (link clicks + ad clicks)", "общие затраты / (переходы + клики по рекламе)"), "cost_ratio", inputs=("total_cost", "all_clicks"), pages=("cost",)),
    KPI("cpl", "traffic", "currency", "lower", ("CPL", "CPL"), ("total cost / leads", "общие затраты / лиды"), "cost_ratio", inputs=("total_cost", "leads"), pages=("headline", "monthly", "cost")),
    KPI("mentions", "listening", "count", "higher", ("Mentions", "Упоминания"), ("brand mentions in the period", "упоминания бренда за период"), "mentions"),
    KPI("mentions_positive", "listening", "count", "higher", ("Positive mentions", "Позитивные упоминания"), ("mentions with positive sentiment", "упоминания с позитивной тональностью"), "mentions"),
    KPI("mentions_negative", "listening", "count", "lower", ("Negative mentions", "Негативные упоминания"), ("mentions with negative sentiment", "упоминания с негативной тональностью"), "mentions"),
    KPI("share_of_voice", "listening", "percent", "higher", ("Share of voice", "Доля голоса"), ("own mentions / (own + competitors') × 100", "свои упоминания / (свои + конкурентов) × 100"), "mentions"),
)
# fmt: on

#: Sums that are no KPI of their own but inputs of one (rates, the funnel): key -> total rule.
INPUTS: dict[str, str] = {
    "engaged_users": "sum",
    "social_users": "sum",
    "social_new_users": "sum",
    "social_engaged_sessions": "sum",
    "social_views": "sum",
    "social_engagement_time_s": "sum",
    "web_leads": "sum",
    "all_clicks": "sum",
    **{f"site_{c}": "site" for c in ("users", "new_users", "sessions", "engaged_sessions", "views",
                                     "engagement_time_s")},
}  # fmt: skip

_BY_KEY: dict[str, KPI] = {k.key: k for k in CATALOGUE}

#: Every KPI key of metrics.md, in report order: the keys of each block of ``smmkit kpis``.
KPI_KEYS: tuple[str, ...] = tuple(_BY_KEY)

#: Family -> its keys, in report order.
KPI_GROUPS: dict[str, tuple[str, ...]] = {
    f: tuple(k.key for k in CATALOGUE if k.family == f) for f in FAMILIES
}

#: KPIs for which a fall is good news (the report colours their change arrows so).
LOWER_IS_BETTER: frozenset[str] = frozenset(k.key for k in CATALOGUE if k.better == "lower")


def kpi(key: str) -> KPI:
    """The record of ``key``; a KeyError that names the keys otherwise."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(
            f"unknown KPI key {key!r}; expected one of metrics.md's keys (smmkit.catalogue.KPI_KEYS)"
        ) from None


def page_keys(page: str) -> tuple[str, ...]:
    """The KPIs a report page lists, in catalogue order."""
    if page not in PAGES:
        raise KeyError(f"unknown page {page!r}; expected one of {', '.join(PAGES)}")
    return tuple(k.key for k in CATALOGUE if page in k.pages)
