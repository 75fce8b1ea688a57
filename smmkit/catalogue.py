"""The KPI catalogue: one record per key of metrics.md, and everything derived from it.

A record says what a KPI is (key, family, unit, which direction is good news, its
name and formula in every report language), how a network's value is computed
from other values (``ratio``, ``terms`` or a registered ``function``) and how
``total`` gets it from the networks (:data:`TOTAL_RULES`). The KPI engine, the
JSON schema, the report's labels and formulas, the page key lists and
docs/kpis.md all read these records, so adding a plain ratio KPI is one record
here (and its metrics.md entry)::

    KPI(key="saves_rate", family="feedback", unit="percent", better="higher",
        names=("Save rate", "Доля сохранений"),
        formulas=("saves / followers × 100", "сохранения / подписчики × 100"),
        total="ratio", ratio=("saves", "followers_end"), scale=100),

Only a KPI that is no plain ratio needs a metric function of its own as well,
registered by name in :mod:`smmkit.kpi.metrics` (``@kpi_function``).

This module is pure data (no pandas, no other smmkit module): it sits at the
bottom of the layers, so that ``config`` can check target keys and every layer
above can read labels, units and key lists from one place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CATALOGUE",
    "CHANGE_KPIS",
    "DERIVED",
    "FAMILIES",
    "INPUTS",
    "KPI",
    "KPI_GROUPS",
    "KPI_KEYS",
    "LANGUAGES",
    "LOWER_IS_BETTER",
    "PAGE_KPIS",
    "PERIOD_VALUES",
    "POST_TYPES",
    "POST_TYPE_ALIASES",
    "SIGNAL_THRESHOLDS",
    "TOTAL_RULES",
    "UNITS",
    "Input",
    "Quantity",
    "SignalThreshold",
    "kpi",
    "page_keys",
    "post_type_key",
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

#: The KPI lists of the report pages that show one (in catalogue order): the values of a
#: record's ``pages``. Not the report's page sections (:data:`smmkit.report.blocks.PAGES`).
PAGE_KPIS: tuple[str, ...] = (
    "headline",
    "monthly",
    "audience",
    "reach",
    "feedback",
    "cost",
    "inbox",
    "index",
)

#: Values of the period itself (the same for every network and for ``total``) that a formula may read.
PERIOD_VALUES: tuple[str, ...] = ("days",)


@dataclass(frozen=True)
class SignalThreshold:
    """When a day's signal is strong enough to be told to a client in the findings.

    ``z``: the smallest robust z-score of the day (metrics.md's spikes: trailing 28-day
    median and MAD); ``excess``: the smallest size of the day above the typical day (the
    day's value minus that median), in the signal's own unit (mentions, complaints, people).
    Both must hold.
    """

    z: float
    excess: float


#: The findings' thresholds per signal (:mod:`smmkit.kpi.findings`). metrics.md marks a spike
#: from z = 3.5 (Iglewicz and Hoaglin's outlier cut-off): right for an analyst's daily scan
#: (``smmkit alerts``, the spike tables), too weak for a sentence a client reads. Daily counts of
#: followers and mentions are over-dispersed, so ordinary busy days of the demo clients reach
#: z = 3.7-4.9 (a 36-follower bump on a page that gains 19 a day is z = 3.8); z = 5 keeps them
#: out while the largest day of every campaign, giveaway, unfollow wave and negative-mention crisis
#: of the demo clients scores z = 18-146 (the first days after the peak fade through 5). The size
#: floor keeps out days that are far in z only because the history is flat: a page with no
#: negative mention for a month scores z = 5 on a day with five. Ten negative mentions or
#: complaints above a typical day is a thread a client should hear about; fifty people is the
#: smallest follower jump or unfollow wave that moves a page's audience or its ER per post
#: visibly (under 1 % of the demo's smallest page, nimbus-crm's 7,763 followers).
SIGNAL_THRESHOLDS: dict[str, SignalThreshold] = {
    "mentions_negative": SignalThreshold(z=5.0, excess=10.0),
    "complaints": SignalThreshold(z=5.0, excess=10.0),
    "audience_quality": SignalThreshold(z=5.0, excess=50.0),
    "contest_unfollows": SignalThreshold(z=5.0, excess=50.0),
}


@dataclass(frozen=True, kw_only=True)
class Quantity:
    """A value of every network and of ``total``: a KPI or a hidden input of one.

    How a network's value is computed, at most one of:

    ``ratio=(numerator, denominator)``
        a plain ratio, ``numerator / denominator x scale`` (NaN on a zero or
        unknown denominator); the generic :func:`smmkit.kpi.metrics.evaluate`
        computes it, per network and for ``total`` alike.
    ``terms=(a, b, ...)``
        a sum of other values where an unknown term counts as 0 while one is known.
    ``inputs=(...)`` (with ``function``, default: the key)
        the metric function registered under that name in :mod:`smmkit.kpi.metrics`
        takes the inputs in that order (an irregular KPI).

    Neither: the value is counted from the tables (a sum, a mean, a mention count).
    ``inputs`` of a ratio or a sum are its operands.
    """

    key: str
    total: str  # a key of TOTAL_RULES
    ratio: tuple[str, str] | None = None
    scale: float = 1.0
    terms: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    function: str | None = None

    def __post_init__(self) -> None:
        if self.total not in TOTAL_RULES:
            raise ValueError(
                f"KPI {self.key!r}: `total` must be one of {', '.join(TOTAL_RULES)}; got {self.total!r}"
            )
        ways = [
            w for w, v in (("ratio", self.ratio), ("terms", self.terms), ("function", self.function)) if v
        ]
        if len(ways) > 1:
            raise ValueError(
                f"KPI {self.key!r}: give one of ratio, terms and function; got {', '.join(ways)}"
            )
        if self.ratio is not None and len(self.ratio) != 2:
            raise ValueError(
                f"KPI {self.key!r}: `ratio` must be (numerator, denominator); got {self.ratio!r}"
            )
        operands = self.ratio or self.terms
        if operands:
            if self.inputs not in ((), tuple(operands)):
                raise ValueError(f"KPI {self.key!r}: `inputs` are the operands of its ratio or terms")
            object.__setattr__(self, "inputs", tuple(operands))

    @property
    def derived(self) -> bool:
        """Whether a network's value is computed from other values (not counted from the tables)."""
        return bool(self.inputs)

    @property
    def function_name(self) -> str:
        """The name of the registered metric function of an irregular KPI (the key, unless said)."""
        return self.function or self.key


@dataclass(frozen=True, kw_only=True)
class KPI(Quantity):
    """One KPI of metrics.md (see :class:`Quantity` for how its value is computed)."""

    family: str
    unit: str
    better: str  # "higher" | "lower": which direction of change is good news
    names: tuple[str, str]  # in LANGUAGES order
    formulas: tuple[str, str]
    pages: tuple[str, ...] = ()
    #: The KPI is itself a change against the previous period (``response_time_change``): the
    #: report shows no change of it (no arrow, no colour; metrics.md, "How the report shows them").
    is_change: bool = False

    def __post_init__(self) -> None:
        for value, allowed, what in (
            (self.family, FAMILIES, "family"),
            (self.unit, UNITS, "unit"),
            (self.better, ("higher", "lower"), "better"),
        ):
            if value not in allowed:
                raise ValueError(
                    f"KPI {self.key!r}: `{what}` must be one of {', '.join(allowed)}; got {value!r}"
                )
        super().__post_init__()
        for page in self.pages:
            if page not in PAGE_KPIS:
                raise ValueError(
                    f"KPI {self.key!r}: unknown page {page!r}; expected one of {', '.join(PAGE_KPIS)}"
                )
        if len(self.names) != len(LANGUAGES) or len(self.formulas) != len(LANGUAGES):
            raise ValueError(f"KPI {self.key!r}: names and formulas need one text per language {LANGUAGES}")

    def name(self, lang: str = "en") -> str:
        """The KPI's name in ``lang``."""
        return self.names[LANGUAGES.index(lang)]

    def formula(self, lang: str = "en") -> str:
        """The KPI's formula in ``lang``."""
        return self.formulas[LANGUAGES.index(lang)]


@dataclass(frozen=True, kw_only=True)
class Input(Quantity):
    """A value that is no KPI of its own but an input of one (rates, the funnel)."""


CATALOGUE: tuple[KPI, ...] = (
    KPI(
        key="followers_start",
        family="audience",
        unit="count",
        better="higher",
        names=("Followers at start", "Подписчики на начало"),
        formulas=(
            "followers at the end of the day before the period",
            "подписчики на конец дня перед началом периода",
        ),
        total="sum",
        pages=("monthly", "audience"),
    ),
    KPI(
        key="followers_end",
        family="audience",
        unit="count",
        better="higher",
        names=("Followers", "Подписчики"),
        formulas=("followers at the end of the report date", "подписчики на конец последнего дня периода"),
        total="sum",
        pages=("headline", "monthly", "audience", "index"),
    ),
    KPI(
        key="new_followers",
        family="audience",
        unit="count",
        better="higher",
        names=("New followers", "Новые подписчики"),
        formulas=("sum of daily joins", "сумма ежедневных подписок"),
        total="sum",
        pages=("monthly", "audience"),
    ),
    KPI(
        key="lost_followers",
        family="audience",
        unit="count",
        better="lower",
        names=("Unfollows", "Отписки"),
        formulas=("sum of daily leaves", "сумма ежедневных отписок"),
        total="sum",
        pages=("monthly", "audience"),
    ),
    KPI(
        key="net_follower_growth",
        family="audience",
        unit="count",
        better="higher",
        names=("Follower growth", "Прирост подписчиков"),
        formulas=(
            "new followers − unfollows (or end − start where joins are not exported)",
            "новые − отписки (или конец − начало, если подписки не выгружаются)",
        ),
        total="sum",
        pages=("headline", "monthly", "audience"),
    ),
    KPI(
        key="follower_growth_rate",
        family="audience",
        unit="percent",
        better="higher",
        names=("Follower growth rate", "Темп прироста"),
        formulas=("follower growth / followers at start × 100", "прирост / подписчики на начало × 100"),
        total="ratio",
        ratio=("net_follower_growth", "followers_start"),
        scale=100,
        pages=("headline", "monthly", "audience"),
    ),
    KPI(
        key="unique_visitors",
        family="audience",
        unit="count",
        better="higher",
        names=("Unique visitors", "Уникальные посетители"),
        formulas=(
            "sum of daily unique visitors of the page (not people)",
            "сумма ежедневных уникальных посетителей (не люди)",
        ),
        total="sum",
        pages=("headline", "monthly", "audience"),
    ),
    KPI(
        key="cost_per_follower",
        family="audience",
        unit="currency",
        better="lower",
        names=("Cost per follower", "Цена подписчика"),
        formulas=("total cost / new followers", "общие затраты / новые подписчики"),
        total="cost_ratio",
        ratio=("total_cost", "new_followers"),
        pages=("cost",),
    ),
    KPI(
        key="posts",
        family="content",
        unit="count",
        better="higher",
        names=("Posts", "Публикации"),
        formulas=("posts published in the period", "публикации за период"),
        total="sum",
        pages=("headline", "monthly"),
    ),
    KPI(
        key="posts_per_week",
        family="content",
        unit="ratio",
        better="higher",
        names=("Posts per week", "Публикаций в неделю"),
        formulas=("posts / days × 7", "публикации / дни × 7"),
        total="per_week",
        ratio=("posts", "days"),
        scale=7,
        pages=("headline", "monthly"),
    ),
    KPI(
        key="impressions",
        family="content",
        unit="count",
        better="higher",
        names=("Impressions", "Показы"),
        formulas=("sum of post impressions (views)", "сумма показов (просмотров) публикаций"),
        total="sum",
        pages=("headline", "monthly", "reach"),
    ),
    KPI(
        key="reach",
        family="content",
        unit="count",
        better="higher",
        names=("Total post reach", "Суммарный охват"),
        formulas=(
            "sum of post reach (a person counts once per post)",
            "сумма охвата публикаций (человек считается в каждой публикации)",
        ),
        total="sum",
        pages=("headline", "monthly", "reach", "index"),
    ),
    KPI(
        key="reach_organic",
        family="content",
        unit="count",
        better="higher",
        names=("Organic reach", "Органический охват"),
        formulas=("sum of organic post reach", "сумма органического охвата"),
        total="sum",
        pages=("reach",),
    ),
    KPI(
        key="reach_paid",
        family="content",
        unit="count",
        better="higher",
        names=("Paid reach", "Платный охват"),
        formulas=("sum of paid post reach", "сумма платного охвата"),
        total="sum",
        pages=("reach",),
    ),
    KPI(
        key="reach_viral",
        family="content",
        unit="count",
        better="higher",
        names=("Viral reach", "Виральный охват"),
        formulas=("sum of viral post reach", "сумма вирального охвата"),
        total="sum",
        pages=("reach",),
    ),
    KPI(
        key="reach_per_post",
        family="content",
        unit="ratio",
        better="higher",
        names=("Reach per post", "Охват на публикацию"),
        formulas=("reach / posts", "охват / публикации"),
        total="ratio",
        ratio=("reach", "posts"),
        pages=("reach",),
    ),
    KPI(
        key="reach_rate",
        family="content",
        unit="percent",
        better="higher",
        names=("Reach rate", "Доля охвата"),
        formulas=("reach per post / followers × 100", "охват на публикацию / подписчики × 100"),
        total="ratio",
        inputs=("reach", "posts", "followers_end"),
        pages=("reach",),
    ),
    KPI(
        key="video_views",
        family="content",
        unit="count",
        better="higher",
        names=("Video views", "Просмотры видео"),
        formulas=("sum of video plays", "сумма просмотров видео"),
        total="sum",
        pages=("reach",),
    ),
    KPI(
        key="likes",
        family="feedback",
        unit="count",
        better="higher",
        names=("Likes", "Лайки"),
        formulas=("sum of likes and reactions", "сумма лайков и реакций"),
        total="sum",
        pages=("feedback",),
    ),
    KPI(
        key="comments",
        family="feedback",
        unit="count",
        better="higher",
        names=("Comments", "Комментарии"),
        formulas=("sum of comments", "сумма комментариев"),
        total="sum",
        pages=("feedback",),
    ),
    KPI(
        key="shares",
        family="feedback",
        unit="count",
        better="higher",
        names=("Shares", "Репосты"),
        formulas=("sum of shares and reposts", "сумма репостов"),
        total="sum",
        pages=("feedback",),
    ),
    KPI(
        key="saves",
        family="feedback",
        unit="count",
        better="higher",
        names=("Saves", "Сохранения"),
        formulas=("sum of saves", "сумма сохранений"),
        total="sum",
    ),
    KPI(
        key="clicks",
        family="feedback",
        unit="count",
        better="higher",
        names=("Link clicks", "Переходы"),
        formulas=("sum of link clicks to the site", "сумма переходов на сайт"),
        total="sum",
        pages=("monthly",),
    ),
    KPI(
        key="engagements",
        family="feedback",
        unit="count",
        better="higher",
        names=("Engagements", "Вовлечения"),
        formulas=("likes + comments + shares", "лайки + комментарии + репосты"),
        total="sum",
        pages=("monthly", "feedback"),
    ),
    KPI(
        key="love_rate",
        family="feedback",
        unit="percent",
        better="higher",
        names=("Love rate", "Love rate"),
        formulas=("likes / followers × 100", "лайки / подписчики × 100"),
        total="ratio",
        ratio=("likes", "followers_end"),
        scale=100,
        pages=("feedback",),
    ),
    KPI(
        key="talk_rate",
        family="feedback",
        unit="percent",
        better="higher",
        names=("Talk rate", "Talk rate"),
        formulas=("comments / followers × 100", "комментарии / подписчики × 100"),
        total="ratio",
        ratio=("comments", "followers_end"),
        scale=100,
        pages=("feedback",),
    ),
    KPI(
        key="amplification_rate",
        family="feedback",
        unit="percent",
        better="higher",
        names=("Amplification rate", "Коэффициент виральности"),
        formulas=("shares / posts × 100", "репосты / публикации × 100"),
        total="ratio",
        ratio=("shares", "posts"),
        scale=100,
        pages=("feedback",),
    ),
    KPI(
        key="er",
        family="feedback",
        unit="percent",
        better="higher",
        names=("ER for the period", "ER за период"),
        formulas=("engagements / followers × 100", "вовлечения / подписчики × 100"),
        total="ratio",
        ratio=("engagements", "followers_end"),
        scale=100,
        pages=("monthly", "feedback"),
    ),
    KPI(
        key="err",
        family="feedback",
        unit="percent",
        better="higher",
        names=("ERR", "ERR"),
        formulas=("engagements / reach × 100", "вовлечения / охват × 100"),
        total="ratio",
        ratio=("engagements", "reach"),
        scale=100,
        pages=("monthly", "feedback"),
    ),
    KPI(
        key="er_day",
        family="feedback",
        unit="percent",
        better="higher",
        names=("ER per day", "ER за день"),
        formulas=(
            "mean over days of engagements that day / followers that day × 100",
            "среднее по дням: вовлечения за день / подписчики в тот день × 100",
        ),
        total="day_mean",
        pages=("feedback",),
    ),
    KPI(
        key="er_post",
        family="feedback",
        unit="percent",
        better="higher",
        names=("ER per post", "ER публикации"),
        formulas=(
            "mean over posts of post engagements / followers on the publish day × 100",
            "среднее по публикациям: вовлечения / подписчики в день публикации × 100",
        ),
        total="post_mean",
        pages=("headline", "monthly", "feedback", "index"),
    ),
    KPI(
        key="er_view",
        family="feedback",
        unit="percent",
        better="higher",
        names=("ER by views", "ER по просмотрам"),
        formulas=(
            "mean over posts of post engagements / post impressions × 100",
            "среднее по публикациям: вовлечения / показы × 100",
        ),
        total="post_mean",
        pages=("feedback",),
    ),
    KPI(
        key="engagements_per_post",
        family="feedback",
        unit="ratio",
        better="higher",
        names=("Engagements per post", "Вовлечения на публикацию"),
        formulas=("engagements / posts", "вовлечения / публикации"),
        total="ratio",
        ratio=("engagements", "posts"),
    ),
    KPI(
        key="engagements_per_follower",
        family="feedback",
        unit="ratio",
        better="higher",
        names=("Engagements per follower", "Вовлечения на подписчика"),
        formulas=(
            "engagements / posts / followers (a fraction)",
            "вовлечения / публикации / подписчики (доля)",
        ),
        total="ratio",
        inputs=("engagements", "posts", "followers_end"),
    ),
    KPI(
        key="clicks_per_post",
        family="feedback",
        unit="ratio",
        better="higher",
        names=("Clicks per post", "Переходы на публикацию"),
        formulas=("clicks / posts", "переходы / публикации"),
        total="ratio",
        ratio=("clicks", "posts"),
    ),
    KPI(
        key="ctr",
        family="feedback",
        unit="percent",
        better="higher",
        names=("CTR", "CTR"),
        formulas=("clicks / impressions × 100", "переходы / показы × 100"),
        total="ratio",
        ratio=("clicks", "impressions"),
        scale=100,
    ),
    KPI(
        key="er_unique",
        family="feedback",
        unit="percent",
        better="higher",
        names=("ER, unique", "ER уникальный"),
        formulas=("engaged users / followers × 100", "вовлечённые пользователи / подписчики × 100"),
        total="ratio",
        ratio=("engaged_users", "followers_end"),
        scale=100,
    ),
    KPI(
        key="questions",
        family="community",
        unit="count",
        better="higher",
        names=("Questions", "Вопросы"),
        formulas=("inbound questions received in the period", "входящие вопросы за период"),
        total="sum",
        pages=("inbox",),
    ),
    KPI(
        key="answered",
        family="community",
        unit="count",
        better="higher",
        names=("Answered", "Отвечено"),
        formulas=("questions that got a reply", "вопросы, получившие ответ"),
        total="sum",
        pages=("inbox",),
    ),
    KPI(
        key="response_rate",
        family="community",
        unit="percent",
        better="higher",
        names=("Response rate", "Доля ответов"),
        formulas=("answered / questions × 100", "отвечено / вопросы × 100"),
        total="ratio",
        ratio=("answered", "questions"),
        scale=100,
        pages=("inbox",),
    ),
    KPI(
        key="avg_response_time_h",
        family="community",
        unit="hours",
        better="lower",
        names=("Mean response time", "Среднее время ответа"),
        formulas=(
            "mean hours from a question to its first reply",
            "среднее число часов от вопроса до первого ответа",
        ),
        total="pooled_response",
        pages=("inbox",),
    ),
    KPI(
        key="median_response_time_h",
        family="community",
        unit="hours",
        better="lower",
        names=("Median response time", "Медианное время ответа"),
        formulas=(
            "median hours from a question to its first reply",
            "медиана часов от вопроса до первого ответа",
        ),
        total="pooled_response",
        pages=("inbox",),
    ),
    KPI(
        key="response_time_change",
        family="community",
        unit="percent",
        better="higher",
        names=("Response speed change", "Изменение скорости ответа"),
        formulas=(
            "(previous mean time / mean time − 1) × 100; positive = faster",
            "(прошлое среднее время / среднее время − 1) × 100; плюс = быстрее",
        ),
        total="previous_change",
        inputs=("avg_response_time_h",),
        pages=("inbox",),
        is_change=True,
    ),
    KPI(
        key="complaints",
        family="community",
        unit="count",
        better="lower",
        names=("Complaints", "Жалобы"),
        formulas=("hides, reports and complaints on posts", "скрытия и жалобы на публикации"),
        total="sum",
    ),
    KPI(
        key="social_sessions",
        family="traffic",
        unit="count",
        better="higher",
        names=("Social sessions", "Сессии из соцсетей"),
        formulas=("site sessions from social sources", "сессии сайта из социальных источников"),
        total="sum",
        pages=("monthly",),
    ),
    KPI(
        key="social_new_users_pct",
        family="traffic",
        unit="percent",
        better="higher",
        names=("New users, social", "Новые пользователи, соцсети"),
        formulas=("new users / users × 100", "новые пользователи / пользователи × 100"),
        total="ratio",
        ratio=("social_new_users", "social_users"),
        scale=100,
    ),
    KPI(
        key="social_bounce_rate",
        family="traffic",
        unit="percent",
        better="lower",
        names=("Bounce rate, social", "Отказы, соцсети"),
        formulas=("100 − engaged sessions / sessions × 100", "100 − вовлечённые сессии / сессии × 100"),
        total="ratio",
        inputs=("social_engaged_sessions", "social_sessions"),
        function="bounce_rate",
    ),
    KPI(
        key="social_pages_per_session",
        family="traffic",
        unit="ratio",
        better="higher",
        names=("Pages per session, social", "Страниц за сессию, соцсети"),
        formulas=("views / sessions", "просмотры / сессии"),
        total="ratio",
        ratio=("social_views", "social_sessions"),
    ),
    KPI(
        key="social_avg_session_s",
        family="traffic",
        unit="seconds",
        better="higher",
        names=("Session duration, social", "Длительность сессии, соцсети"),
        formulas=("engagement time / sessions", "время вовлечения / сессии"),
        total="ratio",
        ratio=("social_engagement_time_s", "social_sessions"),
    ),
    KPI(
        key="site_new_users_pct",
        family="traffic",
        unit="percent",
        better="higher",
        names=("New users, site", "Новые пользователи, сайт"),
        formulas=("new users / users × 100", "новые пользователи / пользователи × 100"),
        total="site",
        ratio=("site_new_users", "site_users"),
        scale=100,
    ),
    KPI(
        key="site_bounce_rate",
        family="traffic",
        unit="percent",
        better="lower",
        names=("Bounce rate, site", "Отказы, сайт"),
        formulas=("100 − engaged sessions / sessions × 100", "100 − вовлечённые сессии / сессии × 100"),
        total="site",
        inputs=("site_engaged_sessions", "site_sessions"),
        function="bounce_rate",
    ),
    KPI(
        key="site_pages_per_session",
        family="traffic",
        unit="ratio",
        better="higher",
        names=("Pages per session, site", "Страниц за сессию, сайт"),
        formulas=("views / sessions", "просмотры / сессии"),
        total="site",
        ratio=("site_views", "site_sessions"),
    ),
    KPI(
        key="site_avg_session_s",
        family="traffic",
        unit="seconds",
        better="higher",
        names=("Session duration, site", "Длительность сессии, сайт"),
        formulas=("engagement time / sessions", "время вовлечения / сессии"),
        total="site",
        ratio=("site_engagement_time_s", "site_sessions"),
    ),
    KPI(
        key="conversions",
        family="traffic",
        unit="count",
        better="higher",
        names=("Conversions", "Конверсии"),
        formulas=("key events of social sessions", "целевые действия из сессий соцсетей"),
        total="sum",
        pages=("cost",),
    ),
    KPI(
        key="conversion_rate",
        family="traffic",
        unit="percent",
        better="higher",
        names=("Conversion rate", "Конверсия"),
        formulas=("conversions / social sessions × 100", "конверсии / сессии из соцсетей × 100"),
        total="ratio",
        ratio=("conversions", "social_sessions"),
        scale=100,
        pages=("cost",),
    ),
    KPI(
        key="ad_spend",
        family="traffic",
        unit="currency",
        better="lower",
        names=("Ad spend", "Рекламный бюджет"),
        formulas=("sum of ad spend", "сумма расходов на рекламу"),
        total="sum",
        pages=("cost",),
    ),
    KPI(
        key="ad_impressions",
        family="traffic",
        unit="count",
        better="higher",
        names=("Ad impressions", "Рекламные показы"),
        formulas=("sum of ad impressions", "сумма рекламных показов"),
        total="sum",
        pages=("cost",),
    ),
    KPI(
        key="ad_clicks",
        family="traffic",
        unit="count",
        better="higher",
        names=("Ad clicks", "Клики по рекламе"),
        formulas=("sum of ad clicks", "сумма кликов по рекламе"),
        total="sum",
        pages=("cost",),
    ),
    KPI(
        key="ad_leads",
        family="traffic",
        unit="count",
        better="higher",
        names=("Ad leads", "Лиды из рекламы"),
        formulas=("sum of ad leads", "сумма лидов из рекламы"),
        total="sum",
        pages=("cost",),
    ),
    KPI(
        key="ad_ctr",
        family="traffic",
        unit="percent",
        better="higher",
        names=("Ad CTR", "CTR рекламы"),
        formulas=("ad clicks / ad impressions × 100", "клики по рекламе / рекламные показы × 100"),
        total="ratio",
        ratio=("ad_clicks", "ad_impressions"),
        scale=100,
        pages=("cost",),
    ),
    KPI(
        key="total_cost",
        family="traffic",
        unit="currency",
        better="lower",
        names=("Total cost", "Общие затраты"),
        formulas=(
            "ad spend + fixed monthly costs of the period's days",
            "реклама + постоянные затраты за дни периода",
        ),
        total="cost",
        inputs=("ad_spend",),
        pages=("monthly", "cost"),
    ),
    KPI(
        key="leads",
        family="traffic",
        unit="count",
        better="higher",
        names=("Leads", "Лиды"),
        formulas=("ad leads + site leads from social sources", "лиды из рекламы + лиды сайта из соцсетей"),
        total="sum",
        terms=("ad_leads", "web_leads"),
        pages=("headline", "monthly", "cost", "index"),
    ),
    KPI(
        key="cpc",
        family="traffic",
        unit="currency",
        better="lower",
        names=("CPC", "CPC"),
        formulas=("total cost / (link clicks + ad clicks)", "общие затраты / (переходы + клики по рекламе)"),
        total="cost_ratio",
        ratio=("total_cost", "all_clicks"),
        pages=("cost",),
    ),
    KPI(
        key="cpl",
        family="traffic",
        unit="currency",
        better="lower",
        names=("CPL", "CPL"),
        formulas=("total cost / leads", "общие затраты / лиды"),
        total="cost_ratio",
        ratio=("total_cost", "leads"),
        pages=("headline", "monthly", "cost"),
    ),
    KPI(
        key="mentions",
        family="listening",
        unit="count",
        better="higher",
        names=("Mentions", "Упоминания"),
        formulas=("brand mentions in the period", "упоминания бренда за период"),
        total="mentions",
    ),
    KPI(
        key="mentions_positive",
        family="listening",
        unit="count",
        better="higher",
        names=("Positive mentions", "Позитивные упоминания"),
        formulas=("mentions with positive sentiment", "упоминания с позитивной тональностью"),
        total="mentions",
    ),
    KPI(
        key="mentions_negative",
        family="listening",
        unit="count",
        better="lower",
        names=("Negative mentions", "Негативные упоминания"),
        formulas=("mentions with negative sentiment", "упоминания с негативной тональностью"),
        total="mentions",
    ),
    KPI(
        key="share_of_voice",
        family="listening",
        unit="percent",
        better="higher",
        names=("Share of voice", "Доля голоса"),
        formulas=(
            "own mentions / (own + competitors') × 100",
            "свои упоминания / (свои + конкурентов) × 100",
        ),
        total="mentions",
    ),
)

#: Values that are no KPI of their own but inputs of one (rates, the funnel), by key.
INPUTS: dict[str, Input] = {
    i.key: i
    for i in (
        Input(key="engaged_users", total="sum"),
        Input(key="social_users", total="sum"),
        Input(key="social_new_users", total="sum"),
        Input(key="social_engaged_sessions", total="sum"),
        Input(key="social_views", total="sum"),
        Input(key="social_engagement_time_s", total="sum"),
        Input(key="web_leads", total="sum"),
        Input(key="all_clicks", total="sum", terms=("clicks", "ad_clicks")),
        *(
            Input(key=f"site_{c}", total="site")
            for c in ("users", "new_users", "sessions", "engaged_sessions", "views", "engagement_time_s")
        ),
    )
}

_BY_KEY: dict[str, KPI] = {k.key: k for k in CATALOGUE}


def _derived_order(records: tuple[Quantity, ...]) -> tuple[Quantity, ...]:
    """The derived records, each after the derived records it reads (else in the given order)."""
    pending = [r for r in records if r.derived]
    waiting = {r.key for r in pending}
    out: list[Quantity] = []
    while pending:
        ready = [r for r in pending if not waiting.intersection(r.inputs)]
        if not ready:
            raise ValueError(f"KPI records read each other in a cycle: {', '.join(r.key for r in pending)}")
        out += ready
        waiting -= {r.key for r in ready}
        pending = [r for r in pending if r.key in waiting]
    return tuple(out)


#: Every record computed from other values (``ratio``, ``terms``, ``function``), hidden inputs
#: first, each after the ones it reads: the order in which a network's values and ``total`` get them.
DERIVED: tuple[Quantity, ...] = _derived_order((*INPUTS.values(), *CATALOGUE))

#: Every KPI key of metrics.md, in report order: the keys of each block of ``smmkit kpis``.
KPI_KEYS: tuple[str, ...] = tuple(_BY_KEY)

#: Family -> its keys, in report order.
KPI_GROUPS: dict[str, tuple[str, ...]] = {
    f: tuple(k.key for k in CATALOGUE if k.family == f) for f in FAMILIES
}

#: KPIs for which a fall is good news (the report colours their change arrows so).
LOWER_IS_BETTER: frozenset[str] = frozenset(k.key for k in CATALOGUE if k.better == "lower")

#: KPIs that are themselves a change against the previous period: no change of their own is shown.
CHANGE_KPIS: frozenset[str] = frozenset(k.key for k in CATALOGUE if k.is_change)


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
    if page not in PAGE_KPIS:
        raise KeyError(f"unknown page {page!r}; expected one of {', '.join(PAGE_KPIS)}")
    return tuple(k.key for k in CATALOGUE if page in k.pages)


# --------------------------------------------------------------------------- post types
#: The post types of the report: key -> (en, ru) name. The readers of every network give their
#: own words ("IG reel", "Reels", "Photos", "SharedVideo", "Status"...); the io layer maps each to
#: one of these keys at load (:func:`post_type_key`), so the KPI tables group by them and the
#: pages name them in the client's language.
POST_TYPES: dict[str, tuple[str, str]] = {
    "text": ("Text", "Текст"),
    "photo": ("Photo", "Фото"),
    "video": ("Video", "Видео"),
    "reel": ("Reel / short", "Короткое видео"),
    "carousel": ("Carousel", "Карусель"),
    "link": ("Link", "Ссылка"),
    "story": ("Story", "История"),
    "live": ("Live", "Прямой эфир"),
    "poll": ("Poll", "Опрос"),
    "other": ("Other", "Другое"),
}

#: What the exports call each post type (lower-case, words separated by one space, without a
#: leading network name such as ``IG``/``FB``) -> its key of :data:`POST_TYPES`. Anything else is ``other``.
POST_TYPE_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        (
            "text",
            "status",
            "post",
            "text post",
            "article",
            "note",
            "texto",
            "texte",
            "текст",
            "запись",
            "пост",
        ),
        "text",
    ),
    **dict.fromkeys(
        (
            "photo",
            "image",
            "picture",
            "foto",
            "imagen",
            "imagem",
            "bild",
            "immagine",
            "фото",
            "фотография",
            "изображение",
            "картинка",
        ),
        "photo",
    ),
    **dict.fromkeys(
        (
            "video",
            "shared video",
            "sharedvideo",
            "native video",
            "igtv",
            "vídeo",
            "vidéo",
            "видео",
            "відео",
            "видеозапись",
        ),
        "video",
    ),
    **dict.fromkeys(("reel", "short", "clip", "reels", "shorts", "клип", "рилс", "короткое видео"), "reel"),
    **dict.fromkeys(
        (
            "carousel",
            "carousel album",
            "album",
            "multi photo",
            "document",
            "carrusel",
            "carrossel",
            "karussell",
            "carosello",
            "карусель",
            "альбом",
        ),
        "carousel",
    ),
    **dict.fromkeys(("link", "shared link", "ссылка"), "link"),
    **dict.fromkeys(("story", "stories", "история", "истории", "сторис"), "story"),
    **dict.fromkeys(
        ("live", "live video", "livestream", "live stream", "эфир", "прямой эфир", "трансляция"), "live"
    ),
    **dict.fromkeys(("poll", "опрос"), "poll"),
    **{key: key for key in POST_TYPES},
}

_NETWORK_PREFIXES: tuple[str, ...] = ("ig ", "fb ", "instagram ", "facebook ", "yt ", "youtube ")
_NETWORK_SUFFIXES: tuple[str, ...] = tuple(
    f" {word} {net}"
    for word in ("de", "do", "da", "di", "del", "du", "von")
    for net in ("instagram", "facebook")
)


def post_type_key(raw: str | None) -> str | None:
    """The :data:`POST_TYPES` key of a post type as an export writes it; None for no type.

    ``"IG reel"``, ``"Reels"`` and ``"clip"`` are ``reel``; ``"Photos"`` and ``"IG image"``
    ``photo``; ``"SharedVideo"`` ``video``; a word the catalogue does not know is ``other``.
    """
    if raw is None:
        return None
    text = " ".join(str(raw).replace("_", " ").replace("-", " ").casefold().split())
    if not text:
        return None
    for prefix in _NETWORK_PREFIXES:
        if text.startswith(prefix) and text != prefix.strip():
            text = text[len(prefix) :]
            break
    for suffix in _NETWORK_SUFFIXES:  # Meta in other interface languages: "Reel do Instagram"
        if text.endswith(suffix) and text != suffix.strip():
            text = text[: -len(suffix)]
            break
    for form in (text, text.removesuffix("s"), text.replace(" ", "")):
        if form in POST_TYPE_ALIASES:
            return POST_TYPE_ALIASES[form]
    return "other"
