"""Report language: the en/ru label catalogue and locale number, date and currency formatting.

Every string a reader sees in a report (KPI names, units, formulas, section
titles, narrative) comes from :data:`LABELS`, looked up with :func:`t` or a
:class:`Labels` object bound to the client's language (``client.yaml:
language``). Numbers follow the locale:

- ``en``: ``1,234``; ``2.5``; ``12.3%``; ``$1,234``;
- ``ru``: ``1 234``; ``2,5`` (a no-break space, U+00A0, between thousands and a
  decimal comma); ``12,3 %``; ``1 234 ₽``.

Numbers are rounded as people write them (:func:`_default_decimals`); a change against the
previous period is shown by :func:`kpi_change` (percentage points for a percent KPI, ``new``
from 0, none for a KPI that is itself a change), one rule for cards, tables, findings and the index.

Unknown values (NaN, None) print as ``n/a`` / ``н/д``, never as ``nan`` or 0.

>>> format_number(1234.5, "ru", kind="count")
'1\\xa0234'
>>> format_number(2.45, "ru", kind="ratio")
'2,5'
>>> format_number(12.345, "en", kind="percent")
'12.3%'
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from smmkit.catalogue import CATALOGUE as KPI_CATALOGUE
from smmkit.catalogue import CHANGE_KPIS, LANGUAGES, LOWER_IS_BETTER, POST_TYPES, post_type_key
from smmkit.catalogue import UNITS as CATALOGUE_UNITS
from smmkit.catalogue import kpi as catalogue_kpi
from smmkit.errors import UsageError
from smmkit.kpi.periods import parse_day
from smmkit.kpi.result import ARROWS, change_direction, signed

__all__ = [
    "NO_CHANGE",
    "KINDS",
    "LABELS",
    "LANGUAGES",
    "NBSP",
    "Change",
    "Labels",
    "as_labels",
    "change_class",
    "format_change",
    "format_date",
    "format_difference",
    "format_kpi",
    "format_month",
    "format_number",
    "format_period",
    "format_ticks",
    "is_change_kpi",
    "is_missing",
    "kpi_change",
    "kpi_kind",
    "t",
]

NBSP = "\u00a0"
KINDS: tuple[str, ...] = CATALOGUE_UNITS

_MISSING = {"en": "n/a", "ru": "н/д"}
#: What a change from 0 to above 0 reads (metrics.md: "new", not n/a).
_NEW = {"en": "new", "ru": "впервые"}
#: Percentage points: the unit of the change of a percent KPI.
_PP = {"en": " pp", "ru": f"{NBSP}п.{NBSP}п."}
#: The change of a KPI that is itself a change: none.
NO_CHANGE = "—"
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "RUB": "₽"}

# Section titles, narrative and chart words: key -> (en, ru). ``{name}`` fields are filled by ``t(..., **fields)``.
_TEXT: dict[str, tuple[str, str]] = {
    # pages
    "page.overview": ("Overview", "Обзор"),
    "page.networks": ("Networks", "Соцсети"),
    "page.funnel": ("Funnel and cost", "Воронка и затраты"),
    "page.content": ("Content", "Контент"),
    "page.community": ("Community and listening", "Сообщество и мониторинг"),
    "page.explore": ("Explore", "Исследование"),
    "toc": ("On this page", "На этой странице"),
    # common
    "period": ("Period", "Период"),
    "previous_period": ("previous period", "прошлый период"),
    "period_line": ("{period}; compared with the previous period {previous}.",
                    "{period}; сравнение с прошлым периодом {previous}."),
    "days": ("{n} days", "{n} {days_word}"),
    "no_data": ("No {what} data for this client in the period.", "Нет данных: {what} (за этот период у клиента)."),
    "source": ("Source", "Источник"),
    # pages that adapt to what the client's exports hold (issue 23)
    "unknown_kpis": ("Not in this client's exports for the period: {names}.",
                     "Нет в выгрузках клиента за этот период: {names}."),
    "empty_page": ("Nothing to show on this page: the client's exports hold no {what} data for the period.",
                   "Показать нечего: в выгрузках клиента нет данных за период ({what})."),
    "what.by_network": ("by-network", "по соцсетям (одна соцсеть)"),
    "what.page.overview": ("audience or post", "аудитория и публикации"),
    "what.page.networks": ("audience or post", "аудитория и публикации"),
    "what.page.funnel": ("post, ad or web analytics", "публикации, реклама и веб-аналитика"),
    "what.page.content": ("post", "публикации"),
    "what.page.community": ("inbox, listening or audience", "входящие, мониторинг и аудитория"),
    "ranked_by": ("Posts of the period by {kpi} (ties: more engagements first, then earlier): "
                  "no post of the period has a known {missing}.",
                  "Публикации периода по показателю «{kpi}» (при равенстве — больше вовлечений, затем раньше): "
                  "ни у одной публикации периода нет данных «{missing}»."),
    "ov.top.impressions": ("Top 5 posts by impressions", "Топ-5 публикаций по показам"),
    "ov.top.engagements": ("Top 5 posts by engagements", "Топ-5 публикаций по вовлечённости"),
    "ct.ranking.er_view": ("ER by views ranking", "Рейтинг публикаций по ER по просмотрам"),
    "ct.ranking.intro.er_view": (
        "The posts of the period by ER by views: post engagements / post impressions × 100 "
        "(no follower count is exported, so ER per post is unknown).",
        "Публикации периода по ER по просмотрам: вовлечения / показы × 100 "
        "(число подписчиков не выгружается, ER публикации неизвестен)."),
    "ct.heatmap.intro.er_view": (
        "Mean ER by views by weekday and hour of publishing (client's time zone), over the last {n} periods; "
        "empty cells had no posts (no follower count is exported, so ER per post is unknown).",
        "Средний ER по просмотрам по дню недели и часу публикации (часовой пояс клиента) за последние {n} "
        "периодов; пустые ячейки — без публикаций (число подписчиков не выгружается)."),
    "ct.frequency.intro.er_view": (
        "Each point is one week of one network: posts that week against the mean ER by views of those posts.",
        "Каждая точка — неделя одной соцсети: число публикаций за неделю и средний ER по просмотрам."),
    "coverage_line": ("Not covered by the exports: {items}.", "Не покрыто выгрузками: {items}."),
    "formula": ("Formula", "Формула"),
    "total": ("Total", "Итого"),
    "network": ("Network", "Соцсеть"),
    "value": ("Value", "Значение"),
    "change": ("Change", "Изменение"),
    "target": ("Target", "Цель"),
    "attainment": ("Attainment", "Выполнение"),
    "of_target": ("{pct} of target {target}", "{pct} от цели {target}"),
    "vs_previous": ("vs previous period", "к прошлому периоду"),
    "kpi": ("KPI", "Показатель"),
    "date": ("Date", "Дата"),
    "day": ("Day", "День"),
    "week": ("Week", "Неделя"),
    "hour": ("Hour of day", "Час дня"),
    "weekday": ("Weekday", "День недели"),
    "text": ("Text", "Текст"),
    "post_type": ("Post type", "Тип публикации"),
    "published": ("Published", "Опубликовано"),
    "link": ("Link", "Ссылка"),
    "open": ("open", "открыть"),
    "brand": ("Brand", "Бренд"),
    "stage": ("Stage", "Этап"),
    "rate_prev": ("From previous stage", "От прошлого этапа"),
    "rate_top": ("From the path's first stage", "От первого этапа"),
    "flagged": ("above 100 %: more than the stage before counts (sessions from untagged links or shares); shown as is",
                "выше 100 %: больше, чем насчитал прошлый этап (сессии из неразмеченных ссылок или репостов); "
                "показано как есть"),
    "no_rate": ("—: no rate, the stage it is taken from is 0 or not known",
                "—: доли нет, этап, от которого она считается, равен 0 или неизвестен"),
    "social": ("Social visitors", "Посетители из соцсетей"),
    "site": ("Site average", "В среднем по сайту"),
    "count": ("Count", "Количество"),
    "per_post": ("per post", "на публикацию"),
    "spike": ("Spike", "Всплеск"),
    "z": ("z-score", "z-оценка"),
    "median": ("Typical day (median)", "Обычный день (медиана)"),
    "top_source": ("Top source", "Главный источник"),
    "reach_note": ("Reach is total post reach: the sum over posts, so a person who saw two posts counts twice.",
                   "Охват — суммарный охват публикаций: человек, увидевший две публикации, учтён дважды."),
    "trend_note": ("Trends show the last {n} periods of {days} days ending on {end}.",
                   "Динамика за последние {n} периодов по {days} дн., последний заканчивается {end}."),
    "trend_partial": ("hollow: partly covered by the exports", "полые точки: период покрыт выгрузками не полностью"),
    "notes": ("Notes on the data", "Замечания о данных"),
    # sentiment
    "positive": ("positive", "позитивные"),
    "neutral": ("neutral", "нейтральные"),
    "negative": ("negative", "негативные"),
    # funnel stages
    "stage.impressions": ("Post impressions", "Показы публикаций"),
    "stage.engagements": ("Engagements", "Вовлечения"),
    "stage.clicks": ("Link clicks", "Переходы по ссылкам"),
    "stage.ad_impressions": ("Ad impressions", "Показы рекламы"),
    "stage.ad_clicks": ("Ad clicks", "Клики по рекламе"),
    "stage.sessions": ("Social sessions", "Сессии из соцсетей"),
    "stage.conversions": ("Conversions", "Конверсии"),
    # data sources
    "src.posts": ("post exports of the networks", "выгрузки публикаций из соцсетей"),
    "src.audience": ("daily audience exports of the networks", "ежедневные выгрузки аудитории"),
    "src.web": ("web analytics (Google Analytics or the site's own statistics)",
                "веб-аналитика (Google Analytics или статистика сайта)"),
    "src.ads": ("ad account exports", "выгрузки рекламных кабинетов"),
    "src.inbox": ("inbox export (messages and comments)", "выгрузка входящих сообщений"),
    "src.mentions": ("listening (mentions) export", "выгрузка мониторинга упоминаний"),
    "src.config": ("the agreed costs and targets", "согласованные затраты и цели"),
    # what (no-data lines)
    "what.audience": ("audience", "аудитория"),
    "what.posts": ("post", "публикации"),
    "what.web": ("web analytics", "веб-аналитика"),
    "what.cost": ("cost", "затраты"),
    "what.ads": ("ad", "реклама"),
    "what.inbox": ("inbox", "входящие сообщения"),
    "what.mentions": ("mentions", "упоминания"),
    "what.targets": ("target", "цели"),
    "what.competitors": ("competitor", "конкуренты"),
    "what.post_type": ("post type", "типы публикаций"),
    "what.signals": ("signal", "сигналы"),
    "what.complaints": ("complaints", "жалобы"),
    # overview
    "ov.headline": ("Headline KPIs", "Главные показатели"),
    "ov.headline.intro": (
        "Each card shows the KPI for the period, its change against the previous period of the same length "
        "(the arrow is coloured by whether the change is good for that KPI) and, where a target is agreed, "
        "the target attainment.",
        "Каждая карточка показывает значение за период, изменение к прошлому периоду той же длины (цвет "
        "стрелки — хорошо ли это изменение для показателя) и, если согласована цель, её выполнение."),
    "ov.targets": ("Targets", "Цели"),
    "ov.targets.intro": (
        "Attainment = actual / target × 100 (target / actual × 100 for KPIs where lower is better).",
        "Выполнение = факт / цель × 100 (цель / факт × 100 для показателей, где меньше — лучше)."),
    "ov.networks": ("By network", "По соцсетям"),
    "ov.networks.intro": (
        "The monthly report per network and in total. Totals sum counts over the networks where they are known "
        "and recompute rates from those sums; they never average network rates.",
        "Отчёт по каждой соцсети и в сумме. Итог складывает счётчики по соцсетям, где они известны, и "
        "пересчитывает коэффициенты из сумм, а не усредняет их."),
    "ov.top": ("Top 5 posts by reach", "Топ-5 публикаций по охвату"),
    "ov.top.intro": (
        "Posts of the period with known reach, by reach (ties: more engagements first, then earlier).",
        "Публикации периода с известным охватом, по охвату (при равенстве — больше вовлечений, затем раньше)."),
    "ov.mix": ("Reach and followers by network", "Охват и подписчики по соцсетям"),
    "ov.mix.intro": ("Where the audience is and where the posts are seen.", "Где аудитория и где видят публикации."),
    # networks
    "nw.audience": ("Audience dynamics", "Динамика аудитории"),
    "nw.audience.intro": (
        "Followers at the start and end of the period, joins and leaves, and the growth they add up to.",
        "Подписчики на начало и конец периода, подписки и отписки, и итоговый прирост."),
    "nw.reach": ("Reach and impressions", "Охват и показы"),
    "nw.reach.intro": (
        "Post reach and impressions, split into organic and paid where the network exports it.",
        "Охват и показы публикаций, с делением на органический и платный, где соцсеть его выгружает."),
    "nw.feedback": ("Audience feedback", "Обратная связь аудитории"),
    "nw.feedback.intro": (
        "Likes, comments and shares, and the rates built from them. ER per post is the mean over posts of "
        "engagements / followers; ER for the period divides all the period's engagements by followers, ERR by "
        "reach; ER per day and by views are means, as their formulas say.",
        "Лайки, комментарии и репосты и коэффициенты на их основе. ER публикации — среднее по публикациям "
        "(вовлечения / подписчики); ER за период делит все вовлечения периода на подписчиков, ERR — на охват; "
        "ER за день и по просмотрам — средние, как указано в формулах."),
    "nw.trend": ("Trend", "Динамика"),
    # funnel
    "fn.funnel": ("Funnel", "Воронка"),
    "fn.funnel.intro": (
        "Organic posts (post impressions → engagements → link clicks) and ads (ad impressions → ad clicks) are "
        "separate rows; both lead to the website (social sessions → conversions), whose sessions are compared with "
        "the link and ad clicks together. Each stage shows its rate from the previous stage and from its row's "
        "first stage; there is no rate from a stage that is 0, and a rate above 100 % is shown as is and flagged.",
        "Органические публикации (показы публикаций → вовлечения → переходы по ссылкам) и реклама (показы рекламы → "
        "клики по рекламе) — отдельные строки; обе ведут на сайт (сессии из соцсетей → конверсии), и сессии "
        "сравниваются с переходами и кликами по рекламе вместе. Для каждого этапа — доля от прошлого этапа и от "
        "первого этапа строки; от этапа, равного 0, доля не считается, доля выше 100 % показана как есть и "
        "отмечена."),
    "path.organic": ("Organic posts", "Органические публикации"),
    "path.paid": ("Ads", "Реклама"),
    "path.web": ("Website (sessions from link and ad clicks)", "Сайт (сессии из переходов и кликов по рекламе)"),
    "fn.visitors": ("Social visitors against the site average", "Посетители из соцсетей и сайт в среднем"),
    "fn.visitors.intro": (
        "On-site behaviour of visitors from social networks beside the same figure over all site sessions: "
        "social visitors should be no worse than the site average.",
        "Поведение посетителей из соцсетей рядом с тем же показателем по всем сессиям сайта: посетители из "
        "соцсетей должны быть не хуже среднего."),
    "fn.cost": ("Cost", "Затраты"),
    "fn.cost.intro": (
        "Total cost is all ad spend plus the agreed fixed monthly costs spread over the period's days; "
        "a network's cost is its own ad spend.",
        "Общие затраты — вся реклама плюс согласованные постоянные затраты, распределённые по дням периода; "
        "затраты соцсети — её рекламный бюджет."),
    # content
    "ct.top": ("Top posts", "Лучшие публикации"),
    "ct.ranking": ("ER per post ranking", "Рейтинг публикаций по ER"),
    "ct.ranking.intro": (
        "The posts of the period by ER per post: post engagements / followers on the publish day × 100.",
        "Публикации периода по ER публикации: вовлечения / подписчики в день публикации × 100."),
    "ct.types": ("Performance by post type", "Результаты по типам публикаций"),
    "ct.types.intro": (
        "Posts of the period grouped by type (photo, video, short video...); means over the posts of each type.",
        "Публикации периода по типам (фото, видео, короткое видео...); средние по публикациям каждого типа."),
    "ct.heatmap": ("Best time to post", "Лучшее время для публикаций"),
    "ct.heatmap.intro": (
        "Mean ER per post by weekday and hour of publishing (client's time zone), over the last {n} periods; "
        "empty cells had no posts.",
        "Средний ER публикации по дню недели и часу публикации (часовой пояс клиента) за последние {n} "
        "периодов; пустые клетки — без публикаций."),
    "ct.posts": ("All posts of the period", "Все публикации периода"),
    "ct.posts.intro": (
        "Every post published in the period, newest first, with its counts and ER per post.",
        "Все публикации периода, сначала новые, с их показателями и ER публикации."),
    "ct.posts.capped": ("Showing the {shown} newest of {n} posts.", "Показаны {shown} новых из {n} публикаций."),
    "ct.posts.workbook": ("Every post, with all its counts, is in the Excel workbook.",
                          "Все публикации со всеми показателями — в таблице Excel."),
    "downloads": ("Download", "Скачать"),
    "download.xlsx": ("Excel workbook: KPIs and every post", "Таблица Excel: показатели и все публикации"),
    "download.pdf": ("The whole report as PDF", "Весь отчёт в PDF"),
    "pdf.title": ("Social media report", "Отчёт по социальным сетям"),
    "pdf.contents": ("Contents", "Содержание"),
    "ct.frequency": ("Posting frequency and engagement", "Частота публикаций и вовлечённость"),
    "ct.frequency.intro": (
        "Each point is one week of one network: posts that week against the mean ER per post of those posts.",
        "Каждая точка — неделя одной соцсети: число публикаций за неделю и средний ER этих публикаций."),
    # community
    "cm.inbox": ("Questions and response", "Вопросы и ответы"),
    "cm.inbox.intro": (
        "Questions received in the period, the share answered and how fast: the mean and the median hours "
        "to the first reply (the median shows whether one slow thread drives the mean).",
        "Вопросы за период, доля отвеченных и скорость: среднее и медиана часов до первого ответа (медиана "
        "показывает, не тянет ли среднее одна долгая переписка)."),
    "cm.complaints": ("Complaints", "Жалобы"),
    "cm.mentions": ("Mentions per day", "Упоминания по дням"),
    "cm.mentions.intro": (
        "Brand mentions per day; marked days are spikes: robust z-score over a trailing 28-day median above 3.5.",
        "Упоминания бренда по дням; отмечены всплески: робастная z-оценка по медиане 28 предыдущих дней выше 3,5."),
    "cm.sentiment": ("Sentiment over time", "Тональность по времени"),
    "cm.sentiment.intro": ("Own brand mentions per week by sentiment.",
                           "Упоминания бренда по неделям и тональности."),
    "cm.sov": ("Share of voice", "Доля голоса"),
    "cm.sov.intro": (
        "Mentions of the brand against the competitors agreed for the report; share of voice = own mentions / "
        "(own + competitors') × 100.",
        "Упоминания бренда и согласованных конкурентов; доля голоса = свои упоминания / (свои + конкурентов) × 100."),
    "cm.signals": ("Signals", "Сигналы"),
    "cm.signals.intro": (
        "Audience quality: a jump in new followers after which ER per post fell; worth checking where they came "
        "from (a giveaway, an ad, a mention). Post-contest: a jump in joins followed by a jump in leaves.",
        "Качество аудитории: скачок подписок, после которого ER публикаций снизился; стоит проверить, откуда пришли "
        "подписчики (розыгрыш, реклама, упоминание). После конкурса: скачок подписок, за которым следует скачок "
        "отписок."),
    "cm.signals.none": ("No audience-quality or post-contest signal in the period.",
                        "За период нет сигналов о качестве аудитории или отписках после конкурса."),
    "cm.spikes": ("Spikes", "Всплески"),
    "cm.signals.quality": ("Audience quality", "Качество аудитории"),
    "cm.signals.contest": ("Unfollows after a jump", "Отписки после скачка"),
    "cm.signals.after": ("after the jump of", "после скачка"),
    "ct.top.intro": ("The five posts of the period with the highest reach.", "Пять публикаций периода с наибольшим охватом."),
    "cm.complaints.intro": ("Hides, reports and complaints on posts, where the network exports them (VK).",
                            "Скрытия и жалобы на публикации, где соцсеть их выгружает (ВКонтакте)."),
    # explore
    "ex.intro": ("Load a client and compute its KPIs.", "Загрузка клиента и расчёт показателей."),
    # page chrome: navigation bar, footer (smmkit.batch.render)
    "nav.overview": ("Overview", "Обзор"),
    "nav.networks": ("Networks", "Соцсети"),
    "nav.funnel": ("Funnel", "Воронка"),
    "nav.content": ("Content", "Контент"),
    "nav.community": ("Community", "Сообщество"),
    "nav.index": ("All clients", "Все клиенты"),
    "nav.label": ("Report pages", "Страницы отчёта"),
    "chrome.report": ("Social media report", "Отчёт по соцсетям"),
    "chrome.prepared_by": ("Prepared by {agency}", "Подготовлено: {agency}"),
    "chrome.credit": ("Made with smmkit {version}", "Сделано в smmkit {version}"),
    "chrome.generated": ("Generated {date}", "Сформировано {date}"),
    "chrome.print": ("Print or save as PDF from the browser (Ctrl+P).",
                     "Печать или PDF — из браузера (Ctrl+P)."),
    # the index page of one period (smmkit.batch.render.render_index)
    "index.title": ("Client reports", "Отчёты клиентов"),
    "index.summary": ("{n} clients: {ok} ok, {failed} failed", "Клиентов: {n}; готово: {ok}, с ошибкой: {failed}"),
    "index.status.ok": ("Ready", "Готов"),
    "index.status.failed": ("Failed", "Ошибка"),
    "index.open": ("Open report", "Открыть отчёт"),
    "index.pages": ("Pages", "Страницы"),
    "index.error": ("What failed", "Что не так"),
    "index.file": ("File", "Файл"),
    "index.cell": ("{notebook}, cell {cell}", "{notebook}, ячейка {cell}"),
    "index.failed_notebook": ("Open the failed notebook", "Открыть блокнот с ошибкой"),
    "index.fix": ("Fix the file and run smmkit run again; the other clients are not affected.",
                  "Исправьте файл и запустите smmkit run снова; другие клиенты не затронуты."),
    "index.duration": ("rendered in {seconds}", "построен за {seconds}"),
    "index.no_kpis": ("No KPIs: the client's data could not be read.",
                      "Показателей нет: данные клиента не прочитаны."),
}  # fmt: skip

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ru": ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"),
}
_MONTHS_SHORT = {  # stand-alone abbreviated (CLDR): a month on its own, a chart's tick
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек."),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
}  # fmt: skip
_NETWORK_NAMES = {
    "facebook": ("Facebook", "Facebook"),
    "instagram": ("Instagram", "Instagram"),
    "x": ("X", "X"),
    "vk": ("VK", "ВКонтакте"),
    "ok": ("OK", "Одноклассники"),
    "telegram": ("Telegram", "Telegram"),
    "linkedin": ("LinkedIn", "LinkedIn"),
    "youtube": ("YouTube", "YouTube"),
    "tiktok": ("TikTok", "TikTok"),
    "pinterest": ("Pinterest", "Pinterest"),
    "other": ("Other social", "Другие соцсети"),
    "total": ("Total", "Итого"),
}
_UNIT_WORDS = {
    "percent": ("%", "%"),
    "hours": ("hours", "часы"),
    "seconds": ("seconds", "секунды"),
    "count": ("count", "количество"),
    "ratio": ("", ""),
}


# --------------------------------------------------------------------------- findings, forecast, notes (#12)
# Sentence templates of smmkit.report.findings (one per smmkit.kpi.findings rule) and the labels of the
# key-findings, forecast and analyst-notes blocks: key -> (en, ru).
_FINDINGS_TEXT: dict[str, tuple[str, str]] = {
    "finding.spike.mentions_negative": ("Negative mentions spiked on {day}: {value} in one day, {typical}{source}; "
                                        "{period_total} in the period{versus}.",
                                        "Всплеск негативных упоминаний {day}: {value} за день, {typical}{source}; "
                                        "{period_total} за период{versus}."),
    "finding.spike.complaints": ("Complaints spiked on the posts of {day}: {value} in one day, {typical}; "
                                 "{period_total} in the period{versus}.",
                                 "Всплеск жалоб на публикации {day}: {value} за день, {typical}; {period_total} за "
                                 "период{versus}."),
    "finding.part.typical": ("about {ratio}x a typical day", "примерно в {ratio} {ratio_word} больше обычного дня"),
    "finding.part.typical.none": ("where a typical day has none", "когда в обычный день их нет"),
    "finding.part.source": ("; most from {source}", "; больше всего от {source}"),
    "finding.part.versus": (", {change} against the previous period ({previous})",
                            ", {change} к прошлому периоду ({previous})"),
    "finding.part.noted": (" The analyst's notes explain this day.", " Этот день объяснён в заметках аналитика."),
    "finding.part.noted.days": (" The analyst's notes explain these days.",
                                " Эти дни объяснены в заметках аналитика."),
    "finding.change": ("{kpi}: {value}, {change} against the previous period ({previous}).",
                       "{kpi}: {value}, {change} к прошлому периоду ({previous})."),
    "finding.driver": ("{kpi}: most of the change came from {network}, {value} (from {previous}).",
                       "{kpi}: главный вклад — {network}, {value} (было {previous})."),
    "finding.driver.change": ("{kpi}: most of the change came from {network}, {value} ({change} on its own, from "
                              "{previous}).",
                              "{kpi}: главный вклад — {network}, {value} ({change} к своему прошлому периоду, было "
                              "{previous})."),
    "finding.driver.post": ("{kpi}: most of the change came from {network}, {value} (from {previous}); its top post "
                            "({day}) reached {post_reach}.",
                            "{kpi}: главный вклад — {network}, {value} (было {previous}); самая охватная публикация "
                            "({day}) — {post_reach}."),
    "finding.driver.change.post": ("{kpi}: most of the change came from {network}, {value} ({change} on its own, "
                                   "from {previous}); its top post ({day}) reached {post_reach}.",
                                   "{kpi}: главный вклад — {network}, {value} ({change} к своему прошлому периоду, "
                                   "было {previous}); самая охватная публикация ({day}) — {post_reach}."),
    "finding.target.met": ("Target met for {kpi}: {value} against {target} ({attainment} of target).",
                           "Цель по показателю «{kpi}» выполнена: {value} при цели {target} ({attainment} от цели)."),
    "finding.target.missed": ("Target missed for {kpi} by {change}: {value} against {target} ({attainment} of "
                              "target).",
                              "Цель по показателю «{kpi}» не выполнена, не хватает {change}: {value} при цели "
                              "{target} ({attainment} от цели)."),
    "finding.target.met.lower": ("Target met for {kpi}: {value} against a ceiling of {target} "
                                 "({attainment} attainment).",
                                 "Цель по показателю «{kpi}» выполнена: {value} при цели не выше {target} "
                                 "(выполнение {attainment})."),
    "finding.target.missed.lower": ("Target missed for {kpi} by {change}: {value} against a ceiling of {target} "
                                    "({attainment} attainment).",
                                    "Цель по показателю «{kpi}» не выполнена, превышение на {change}: {value} при "
                                    "цели не выше {target} (выполнение {attainment})."),
    "finding.signal.quality": ("{network}: check the source of the {day} spike (+{value} {value_word}, {typical}); "
                               "ER per post then fell from {er_post_before} to {er_post_after}.",
                               "{network}: проверьте источник всплеска подписок {day} (+{value} {value_word}, "
                               "{typical}); ER публикаций после него снизился с {er_post_before} до "
                               "{er_post_after}."),
    "finding.signal.quality.noted": ("{network}: new followers jumped on {day} (+{value}, {typical}), a day the "
                                     "analyst's notes explain; ER per post then fell from {er_post_before} to "
                                     "{er_post_after}.",
                                     "{network}: всплеск подписок {day} (+{value}, {typical}) объяснён в заметках "
                                     "аналитика; ER публикаций после него снизился с {er_post_before} до "
                                     "{er_post_after}."),
    "finding.signal.contest": ("{network}: an unfollow wave after the follower jump of {jump_day}: {value} "
                               "{value_word} on {day}, {days_after} later ({typical}).",
                               "{network}: волна отписок после всплеска подписок {jump_day}: {value} {value_word} "
                               "за {day}, через {days_after} ({typical})."),
    "finding.response": ("The team answered {answered} of {questions} {questions_word} ({value}).",
                         "Команда ответила на {answered} из {questions} {questions_word} ({value})."),
    "finding.response.median": ("The team answered {answered} of {questions} {questions_word} ({value}); median "
                                "reply time {median_response_time_h}.",
                                "Команда ответила на {answered} из {questions} {questions_word} ({value}); медианное "
                                "время ответа {median_response_time_h}."),
    "finding.response.median.faster": ("The team answered {answered} of {questions} {questions_word} ({value}); "
                                       "median reply time {median_response_time_h}, mean reply time "
                                       "{response_time_change} faster than before.",
                                       "Команда ответила на {answered} из {questions} {questions_word} ({value}); "
                                       "медианное время ответа {median_response_time_h}, в среднем на "
                                       "{response_time_change} быстрее, чем раньше."),
    "finding.response.median.slower": ("The team answered {answered} of {questions} {questions_word} ({value}); "
                                       "median reply time {median_response_time_h}, mean reply time "
                                       "{response_time_change} slower than before.",
                                       "Команда ответила на {answered} из {questions} {questions_word} ({value}); "
                                       "медианное время ответа {median_response_time_h}, в среднем на "
                                       "{response_time_change} медленнее, чем раньше."),
    "finding.response.faster": ("The team answered {answered} of {questions} {questions_word} ({value}); mean reply "
                                "time {response_time_change} faster than before.",
                                "Команда ответила на {answered} из {questions} {questions_word} ({value}); в среднем "
                                "на {response_time_change} быстрее, чем раньше."),
    "finding.response.slower": ("The team answered {answered} of {questions} {questions_word} ({value}); mean reply "
                                "time {response_time_change} slower than before.",
                                "Команда ответила на {answered} из {questions} {questions_word} ({value}); в среднем "
                                "на {response_time_change} медленнее, чем раньше."),
    "finding.best_post": ("Best post by ER per post: {network}, {day}, {value}, {change} above the period's "
                          "median post ({basis}).",
                          "Лучшая публикация по ER: {network}, {day}, {value} — на {change} выше медианной "
                          "публикации периода ({basis})."),
    "findings.page": ("Findings for this page", "Выводы по этой странице"),
    "findings.more": ("details", "подробнее"),
    "findings.none": ("Nothing stands out in this period: no notable change, and not enough data for more.",
                      "Ничего заметного за период: заметных изменений нет, а для большего не хватает данных."),
    "nw.forecast": ("Forecast for the next period", "Прогноз на следующий период"),
    "nw.forecast.intro": ("Followers: random walk with drift over the last 8 periods' days; reach: exponential "
                       "smoothing over the last 8 period sums. The band is an 80 % interval sized on the "
                       "forecast's own past errors: about 4 in 5 outcomes fall inside it.",
                       "Подписчики: случайное блуждание с дрейфом по дням последних 8 периодов; охват: "
                       "экспоненциальное сглаживание по суммам 8 периодов. Полоса — 80-процентный интервал "
                       "по прошлым ошибкам самого прогноза: в неё попадают примерно 4 исхода из 5."),
    "forecast.none": ("No forecast: fewer than 8 periods of history.",
                      "Прогноза нет: истории меньше 8 периодов."),
    "forecast.low": ("Low (80 %)", "Нижняя граница (80 %)"),
    "forecast.high": ("High (80 %)", "Верхняя граница (80 %)"),
    "forecast.no_band": ("not enough history for the 80 % band", "недостаточно истории для 80-процентного интервала"),
    "forecast.value": ("Forecast", "Прогноз"),
    "forecast.until": ("Forecast for the period ending", "Прогноз на период до"),
    "forecast.history": ("history", "история"),
    "ov.findings": ("Key findings", "Главное за период"),
    "ov.findings.intro": ("What changed most in the period and what needs attention, most important first; each "
                          "link opens the section with the numbers behind it.",
                          "Что сильнее всего изменилось за период и что требует внимания, важное первым; ссылка "
                          "ведёт к разделу с цифрами."),
    "notes.title": ("Analyst's notes", "Заметки аналитика"),
    "notes.by": ("by {analyst}", "автор: {analyst}"),
}  # fmt: skip


def _build_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for kpi in KPI_CATALOGUE:  # names and formulas: one record per KPI (smmkit.catalogue)
        labels[f"kpi.{kpi.key}"] = {lang: kpi.name(lang) for lang in LANGUAGES}
        labels[f"formula.{kpi.key}"] = {lang: kpi.formula(lang) for lang in LANGUAGES}
    for key, names in POST_TYPES.items():  # post types: the catalogue's names (smmkit.catalogue)
        labels[f"ptype.{key}"] = dict(zip(LANGUAGES, names, strict=True))
    for prefix, texts in (
        ("", _TEXT),
        ("", _FINDINGS_TEXT),
        ("net.", _NETWORK_NAMES),
        ("unit.", _UNIT_WORDS),
    ):
        for key, words in texts.items():
            labels[prefix + key] = dict(zip(LANGUAGES, words, strict=True))
    return labels


#: Every label: key -> {"en": ..., "ru": ...}. KPI names are ``kpi.<key>``, formulas ``formula.<key>``,
#: networks ``net.<network>``, post types ``ptype.<type>``; other keys name sections (``ov.top``), narrative (``ov.top.intro``) and
#: the findings' sentences (``finding.<rule>``).
LABELS: dict[str, dict[str, str]] = _build_labels()


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise UsageError(f"`lang` must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    return lang


def _plural_ru(n: int, one: str, few: str, many: str) -> str:
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def t(key: str, lang: str = "en", /, **fields: Any) -> str:
    """The label ``key`` in ``lang``, with ``{field}`` placeholders filled from ``fields``.

    Raises
    ------
    UsageError
        For an unknown language or key (the message names the key).
    """
    _check_lang(lang)
    try:
        text = LABELS[key][lang]
    except KeyError:
        if key.startswith("net."):  # a network the catalogue does not know: show its key
            return key[4:]
        raise UsageError(f"no label {key!r} in the smmkit.report.i18n catalogue") from None
    if key == "days" and "n" in fields:
        fields = {"days_word": _plural_ru(int(fields["n"]), "день", "дня", "дней"), **fields}
        if lang == "en" and abs(int(fields["n"])) == 1:
            text = "{n} day"
    return text.format(**fields) if fields else text


def is_missing(value: Any) -> bool:
    """Whether a number is unknown: None, ``pd.NA``, ``pd.NaT``, NaN or ±inf.

    Anything that converts to a finite float is known (``0`` included: 0 means
    "nothing happened", not "unknown"); an object that is not a number at all
    (e.g. a text) is not missing either. The reports print a missing value as
    ``n/a`` / ``н/д``.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _group(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "ru":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def format_number(
    value: Any,
    lang: str = "en",
    *,
    kind: str = "count",
    currency: str | None = None,
    decimals: int | None = None,
) -> str:
    """Format a number for a report in the locale of ``lang``.

    Parameters
    ----------
    value
        The number; None/NaN/NA prints as ``n/a`` (en) or ``н/д`` (ru).
    kind
        ``"count"`` (whole numbers with thousands separators, e.g. ``1,234``);
        ``"ratio"`` (a plain number: 1 decimal, 2 below 10, 4 below 0.01);
        ``"percent"`` (1 decimal, 2 below 1: ``12.3%`` / ``12,3 %``);
        ``"currency"`` (2 decimals below 1,000 unless whole, 0 above, with the symbol of
        ``currency`` for USD/EUR/GBP/RUB, else the ISO code);
        ``"hours"`` / ``"seconds"`` (1 decimal / whole seconds, with ``h``/``ч``, ``s``/``с``).
    currency
        ISO 4217 code for ``kind="currency"`` (e.g. from ``client.yaml``).
    decimals
        Override the number of decimals.

    Returns
    -------
    str
        en: ``1,234.5``; ru: ``1 234,5`` with a no-break space (U+00A0).
    """
    _check_lang(lang)
    if kind not in KINDS:
        raise UsageError(f"`kind` must be one of {', '.join(KINDS)}; got {kind!r}")
    if is_missing(value):
        return _MISSING[lang]
    x = float(value)
    d = _default_decimals(kind, x) if decimals is None else decimals
    if kind == "currency":
        return _format_currency(x, d, lang, currency)
    en, ru = _SUFFIXES.get(kind, ("", ""))
    return _group(x, d, lang) + (en if lang == "en" else ru)


#: What follows a number of each kind, (en, ru).
_SUFFIXES: dict[str, tuple[str, str]] = {
    "percent": ("%", f"{NBSP}%"),
    "hours": (" h", f"{NBSP}ч"),
    "seconds": (" s", f"{NBSP}с"),
}


def _default_decimals(kind: str, x: float) -> int:
    """The decimals of :func:`format_number` for ``kind`` when the caller gives none: numbers
    rounded as people write them (metrics.md, "How the report shows them").

    - counts are whole (a mean count below 10, such as a typical day's 2.5 mentions, keeps 1 decimal);
    - ratios, the per-post means among them: whole from 10 up (reach per post ``1,235``), 1 decimal
      from 0.1 (``2.4`` clicks per post), 2 significant digits below (``0.0051`` per follower);
    - percents: 1 decimal (``2.3%``), 2 below 1 % (an ER per post of ``0.65%``: its typical range is
      0.5-5 %, and a fall from 0.74 % to 0.65 % must not read "0.7 % to 0.7 %");
    - currency: whole from 1,000 up or when whole, else 2 decimals (a CPC of ``$0.45``);
    - hours 1 decimal, seconds whole.
    """
    a = abs(x)
    if kind == "count":
        return 0 if x.is_integer() or a >= 10 else 1
    if kind == "ratio":
        if a >= 10 or x == 0:
            return 0
        return 1 if a >= 0.1 else max(2, 1 - math.floor(math.log10(a)))
    if kind == "percent":
        return 2 if 0 < a < 1 else 1
    if kind == "currency":
        return 0 if x.is_integer() or a >= 1000 else 2
    return 1 if kind == "hours" else 0  # seconds: whole


def _format_currency(x: float, decimals: int, lang: str, currency: str | None) -> str:
    number = _group(abs(x), decimals, lang)
    sign = "-" if x < 0 else ""
    code = (currency or "").upper()
    symbol = _SYMBOLS.get(code)
    if lang == "en" and symbol and code != "RUB":
        return f"{sign}{symbol}{number}"
    unit = symbol if lang == "ru" and symbol else code
    return f"{sign}{number}{NBSP}{unit}".rstrip(NBSP)


def kpi_kind(key: str) -> str:
    """The :func:`format_number` kind of a KPI key: its unit in :mod:`smmkit.catalogue`."""
    try:
        return catalogue_kpi(key).unit
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def format_kpi(key: str, value: Any, lang: str = "en", *, currency: str | None = None) -> str:
    """Format a KPI value with its unit: ``format_kpi("er", 2.314, "ru")`` -> ``'2,3 %'``."""
    return format_number(value, lang, kind=kpi_kind(key), currency=currency)


def is_change_kpi(key: str | None) -> bool:
    """Whether the KPI ``key`` is itself a change (:data:`smmkit.catalogue.CHANGE_KPIS`): it has
    no change of its own (``—``, no arrow, no colour)."""
    return key in CHANGE_KPIS


def _signed_number(value: float, lang: str, kind: str, decimals: int | None = None) -> str:
    return signed(format_number(value, lang, kind=kind, decimals=decimals), value)


def format_difference(key: str, value: Any, lang: str = "en", *, currency: str | None = None) -> str:
    """A difference between two values of the KPI ``key`` (a target's gap, a change), unsigned:
    percentage points for a percent KPI, rounded as its values are (``11.4 pp``, ``0.64 pp`` /
    ``0,64 п. п.``), else the KPI's own unit.
    """
    if is_missing(value):
        return _MISSING[_check_lang(lang)]
    if kpi_kind(key) == "percent":
        return format_points(value, lang, sign=False)
    return format_kpi(key, value, lang, currency=currency)


def format_points(value: Any, lang: str = "en", *, sign: bool = True) -> str:
    """A difference of two percentages in percentage points, rounded as percentages are:
    ``+11.4 pp``, ``0.64 pp`` / ``+11,4 п. п.`` (``sign=False``: the absolute value, unsigned)."""
    lang = _check_lang(lang)
    if is_missing(value):
        return _MISSING[lang]
    x = float(value)
    text = format_number(abs(x), lang, kind="percent").removesuffix(
        _SUFFIXES["percent"][0 if lang == "en" else 1]
    )
    if sign and text.strip("0,. ") != "":
        text = ("+" if x > 0 else "-") + text
    return text + _PP[lang]


@dataclass(frozen=True)
class Change:
    """How the change of a KPI against the previous period is shown (:func:`kpi_change`).

    ``text`` is ``+11.4 pp`` (a percent KPI), ``+12.3%`` (counts, currency, hours), ``new``
    (from 0), ``—`` (a KPI that is itself a change) or ``n/a``; ``trend`` is ``"good"``,
    ``"bad"``, ``"flat"`` or ``""`` (no colour); ``arrow`` is ``▲``, ``▼``, ``=`` or ``""``.
    """

    text: str
    trend: str = ""
    arrow: str = ""


def kpi_change(
    key: str,
    current: Any,
    previous: Any,
    lang: str = "en",
    *,
    comparable: bool = True,
    currency: str | None = None,
) -> Change:
    """The change of the KPI ``key`` from ``previous`` to ``current``, as the report shows it.

    The one rule of every change the report prints (cards, tables, findings, the index;
    metrics.md, "How the report shows them"):

    - a KPI that is itself a change (``response_time_change``) has none: ``—``, no colour;
    - unknown values, or a previous period its sources do not cover fully (``comparable``
      False): ``n/a``, no colour;
    - a percent KPI changes in percentage points: ``current - previous`` (``+11.4 pp``);
    - a count, currency or hours KPI in percent: ``(current / previous - 1) x 100`` (``+12.3%``);
      from 0 to above 0 it is ``new`` (``новое``); from a negative previous value (a net growth)
      the difference in the KPI's unit (``+15``);
    - the colour follows the catalogue's ``better`` (a falling CPL is good); a change that
      rounds to 0 (as printed) is ``flat``.
    """
    _check_lang(lang)
    if is_change_kpi(key):
        return Change(NO_CHANGE)
    if not comparable or is_missing(current) or is_missing(previous):
        return Change(_MISSING[lang])
    cur, prev = float(current), float(previous)
    kind = kpi_kind(key)
    if kind == "percent":
        delta = cur - prev
        text = format_difference(key, abs(delta), lang)
        shown = round(delta, _default_decimals("percent", abs(delta)))
    elif prev == 0:
        if cur > 0:
            return Change(_NEW[lang], _trend(key, 1.0), ARROWS["up"])
        if cur == 0:
            return Change(format_number(0, lang, kind="percent", decimals=1), "flat", ARROWS["flat"])
        return Change(_MISSING[lang])
    elif prev < 0:
        delta = cur - prev
        text = format_kpi(key, abs(delta), lang, currency=currency)
        shown = 0.0 if text == format_kpi(key, 0.0, lang, currency=currency) else delta
    else:
        delta = (cur / prev - 1) * 100
        text = format_number(abs(delta), lang, kind="percent", decimals=1)
        shown = round(delta, 1)
    if shown == 0:
        return Change(
            text if kind != "percent" else format_difference(key, 0.0, lang), "flat", ARROWS["flat"]
        )
    sign = "+" if delta > 0 else "-"
    return Change(sign + text, _trend(key, delta), ARROWS["up" if delta > 0 else "down"])


def _trend(key: str, delta: float) -> str:
    rising_is_good = key not in LOWER_IS_BETTER
    return "good" if (delta > 0) == rising_is_good else "bad"


def format_change(value: Any, lang: str = "en", *, key: str | None = None, current: Any = None) -> str:
    """A signed change against the previous period.

    Without ``key``: ``value`` as a relative change in percent, ``+12.3%`` / ``+12,3 %``
    (``n/a`` when unknown). With ``key`` (and the KPI's ``current`` value), the report's rule of
    :func:`kpi_change`: percentage points for a percent KPI (the previous value is
    ``current / (1 + value / 100)``), ``—`` for a KPI that is itself a change.
    """
    if key is not None:
        if is_change_kpi(key):
            return NO_CHANGE
        if kpi_kind(key) == "percent" and not is_missing(current) and not is_missing(value):
            previous = float(current) / (1 + float(value) / 100) if float(value) != -100 else 0.0
            return kpi_change(key, current, previous, lang).text
    if is_missing(value):
        return _MISSING[_check_lang(lang)]
    shown = round(float(value), 1) + 0.0  # as printed: a change that rounds to 0 has no sign (nor -0.0)
    return signed(format_number(shown, lang, kind="percent", decimals=1), shown)


def change_class(key: str, change: Any) -> str:
    """``"good"``, ``"bad"`` or ``"flat"`` for a KPI's relative change against the previous period.

    ``change`` is ``(current / previous - 1) x 100`` (percent); its direction is
    :func:`smmkit.kpi.result.change_direction`. A rise is good unless the KPI is in
    :data:`smmkit.catalogue.LOWER_IS_BETTER` (a falling CPL is good); a change that rounds
    to 0.0 % is ``"flat"``; ``""`` when the change is unknown or the KPI is itself a change
    (:func:`is_change_kpi`). :func:`kpi_change` gives the text, colour and arrow at once.
    """
    if is_change_kpi(key):
        return ""
    direction = change_direction(change)
    if direction in ("", "flat"):
        return direction
    return _trend(key, 1.0 if direction == "up" else -1.0)


def format_month(day: Any, lang: str = "en") -> str:
    """A month for a reader (a chart's month tick): en ``Nov 2026``; ru ``нояб. 2026``."""
    _check_lang(lang)
    d = parse_day(day, name="`day`")
    return f"{_MONTHS_SHORT[lang][d.month - 1]} {d.year}"


def format_ticks(days: Any, lang: str = "en") -> list[str]:
    """The labels of date ticks on a chart's axis, by the one date formatter of the report.

    Ticks that all fall on the first or all on the last day of months (a monthly trend, a
    month axis) are months (:func:`format_month`: ``Nov 2026`` / ``нояб. 2026``); any other
    ticks are days without the year (:func:`format_date`: ``Jun 13`` / ``13 июня``).
    """
    parsed = [parse_day(d, name="`days`") for d in days]
    if not parsed:
        return []
    firsts = all(d.day == 1 for d in parsed)
    lasts = all((d + dt.timedelta(days=1)).day == 1 for d in parsed)
    if len(parsed) > 1 and (firsts or lasts):
        return [format_month(d, lang) for d in parsed]
    return [format_date(d, lang, year=False) for d in parsed]


def format_date(day: Any, lang: str = "en", *, year: bool = True) -> str:
    """A day for a reader: en ``Oct 4, 2026``; ru ``4 октября 2026``.

    ``day`` is a ``date``, ``datetime``, ``Timestamp`` or ``'YYYY-MM-DD'``
    (:func:`smmkit.kpi.periods.parse_day`, which raises UsageError for anything else).
    """
    _check_lang(lang)
    d = parse_day(day, name="`day`")
    month = _MONTHS[lang][d.month - 1]
    if lang == "en":
        return f"{month} {d.day}, {d.year}" if year else f"{month} {d.day}"
    return f"{d.day} {month} {d.year}" if year else f"{d.day} {month}"


def format_period(period: Any, lang: str = "en") -> str:
    """A period ``[start, end]`` for a reader: ``Oct 4, 2026 – Oct 31, 2026 (28 days)``.

    ``period`` is a :class:`smmkit.kpi.periods.Period` or any object with ``start`` and ``end`` days.
    """
    start, end = parse_day(period.start, name="period start"), parse_day(period.end, name="period end")
    days = (end - start).days + 1
    return f"{format_date(start, lang)} – {format_date(end, lang)} ({t('days', lang, n=days)})"


def as_labels(labels: Labels | str | None) -> Labels:
    """The ``labels`` argument of the report and plot helpers as :class:`Labels`.

    None -> English; a language code (``"ru"``) -> ``Labels(lang)``; a :class:`Labels` as is.
    """
    if labels is None:
        return Labels("en")
    return Labels(labels) if isinstance(labels, str) else labels


class Labels:
    """The catalogue and the formatters bound to one language.

    >>> L = Labels("ru", currency="RUB")
    >>> L.kpi("er"), L.value("cpl", 1234.5)  # doctest: +SKIP
    ('ER', '1 234 ₽')
    """

    def __init__(self, lang: str = "en", *, currency: str | None = None) -> None:
        self.lang = _check_lang(lang)
        self.currency = currency

    def __repr__(self) -> str:
        return f"Labels({self.lang!r}, currency={self.currency!r})"

    def __call__(self, key: str, **fields: Any) -> str:
        return t(key, self.lang, **fields)

    def kpi(self, key: str) -> str:
        """The KPI's display name."""
        return t(f"kpi.{key}", self.lang)

    def formula(self, key: str) -> str:
        """The KPI's formula in words (metrics.md)."""
        return t(f"formula.{key}", self.lang)

    def unit(self, key: str) -> str:
        """The KPI's unit for an axis label: ``%``, the currency code, ``hours``... (``""`` for plain numbers)."""
        kind = kpi_kind(key)
        if kind == "currency":
            return self.currency or ""
        return t(f"unit.{kind}", self.lang)

    def axis(self, key: str) -> str:
        """An axis label: the KPI name and its unit, e.g. ``ER, %``."""
        unit = self.unit(key)
        return f"{self.kpi(key)}, {unit}" if unit else self.kpi(key)

    def network(self, network: str) -> str:
        return t(f"net.{network}", self.lang)

    def post_type(self, post_type: Any) -> str:
        """A post type's name in the client's language (``reel`` -> ``Reel / short`` / ``Короткое видео``):
        a key of :data:`smmkit.catalogue.POST_TYPES` or any word an export uses for one; ``""`` for none."""
        if (
            post_type is None
            or post_type is pd.NA
            or (isinstance(post_type, float) and math.isnan(post_type))
        ):
            return ""
        key = post_type_key(str(post_type))
        return "" if key is None else t(f"ptype.{key}", self.lang)

    def value(self, key: str, value: Any) -> str:
        """A KPI value formatted with its unit and the client's currency."""
        return format_kpi(key, value, self.lang, currency=self.currency)

    def number(self, value: Any, *, kind: str = "count", decimals: int | None = None) -> str:
        return format_number(value, self.lang, kind=kind, currency=self.currency, decimals=decimals)

    def change(self, value: Any, *, key: str | None = None, current: Any = None) -> str:
        """A change (:func:`format_change`): relative %, or by the KPI ``key``'s rule."""
        return format_change(value, self.lang, key=key, current=current)

    def kpi_change(self, key: str, current: Any, previous: Any, *, comparable: bool = True) -> Change:
        """The change of a KPI as the report shows it (:func:`kpi_change`)."""
        return kpi_change(key, current, previous, self.lang, comparable=comparable, currency=self.currency)

    def difference(self, key: str, value: Any) -> str:
        """A gap between two values of a KPI (:func:`format_difference`): ``0.6 pp`` for a percent KPI."""
        return format_difference(key, value, self.lang, currency=self.currency)

    def month(self, day: Any) -> str:
        return format_month(day, self.lang)

    def ticks(self, days: Any) -> list[str]:
        """Date tick labels (:func:`format_ticks`)."""
        return format_ticks(days, self.lang)

    def date(self, day: Any, *, year: bool = True) -> str:
        return format_date(day, self.lang, year=year)

    def period(self, period: Any) -> str:
        return format_period(period, self.lang)

    def weekdays(self) -> tuple[str, ...]:
        """Short weekday names, Monday first."""
        return _WEEKDAYS[self.lang]

    @property
    def missing(self) -> str:
        return _MISSING[self.lang]


# Countable nouns of the findings' sentences: noun -> ((en one, en many), (ru one, few, many)); the ru
# forms agree with the sentence around them (``из 21 вопроса``: genitive after "из").
_NOUNS: dict[str, tuple[tuple[str, str], tuple[str, str, str]]] = {
    "new_followers": (("new follower", "new followers"), ("новый подписчик", "новых подписчика", "новых подписчиков")),
    "lost_followers": (("unfollow", "unfollows"), ("отписка", "отписки", "отписок")),
    "questions": (("question", "questions"), ("вопроса", "вопросов", "вопросов")),
    "times": (("x", "x"), ("раз", "раза", "раз")),
}  # fmt: skip


def plural(n: float, noun: str, lang: str = "en") -> str:
    """The form of ``noun`` (a key of the findings' nouns) that agrees with the number ``n``.

    >>> plural(21, "questions", "ru"), plural(3, "lost_followers", "ru"), plural(1, "new_followers")
    ('вопроса', 'отписки', 'new follower')
    """
    _check_lang(lang)
    (en_one, en_many), (one, few, many) = _NOUNS[noun]
    k = int(round(float(n)))
    if lang == "en":
        return en_one if abs(k) == 1 else en_many
    return _plural_ru(k, one, few, many)
