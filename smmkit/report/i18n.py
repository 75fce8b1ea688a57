"""Report language: the en/ru label catalogue and locale number, date and currency formatting.

Every string a reader sees in a report (KPI names, units, formulas, section
titles, narrative) comes from :data:`LABELS`, looked up with :func:`t` or a
:class:`Labels` object bound to the client's language (``client.yaml:
language``). Numbers follow the locale:

- ``en``: ``1,234.5``; ``12.3%``; ``$1,234``;
- ``ru``: ``1 234,5`` (a no-break space, U+00A0, between thousands and a
  decimal comma); ``12,3 %``; ``1 234 ₽``.

Unknown values (NaN, None) print as ``n/a`` / ``н/д``, never as ``nan`` or 0.

>>> format_number(1234.5, "ru", kind="ratio")
'1\\xa0234,5'
>>> format_number(12.345, "en", kind="percent")
'12.3%'
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from smmkit.catalogue import CATALOGUE as KPI_CATALOGUE
from smmkit.catalogue import LANGUAGES, LOWER_IS_BETTER
from smmkit.catalogue import UNITS as CATALOGUE_UNITS
from smmkit.catalogue import kpi as catalogue_kpi
from smmkit.errors import UsageError
from smmkit.kpi.periods import parse_day
from smmkit.kpi.result import change_direction, signed

__all__ = [
    "KINDS",
    "LABELS",
    "LANGUAGES",
    "NBSP",
    "Labels",
    "as_labels",
    "change_class",
    "format_change",
    "format_date",
    "format_kpi",
    "format_number",
    "format_period",
    "is_missing",
    "kpi_kind",
    "t",
]

NBSP = "\u00a0"
KINDS: tuple[str, ...] = CATALOGUE_UNITS

_MISSING = {"en": "n/a", "ru": "н/д"}
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
    "rate_top": ("From impressions", "От показов"),
    "flagged": ("above 100 %: untagged links or shares; shown as is", "выше 100 %: неразмеченные ссылки или репосты"),
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
    "stage.impressions": ("Impressions", "Показы"),
    "stage.engagements": ("Engagements", "Вовлечения"),
    "stage.clicks": ("Clicks (link + ad)", "Переходы (ссылки + реклама)"),
    "stage.sessions": ("Social sessions", "Сессии из соцсетей"),
    "stage.conversions": ("Conversions", "Конверсии"),
    # data sources
    "src.posts": ("post exports of the networks", "выгрузки публикаций из соцсетей"),
    "src.audience": ("daily audience exports of the networks", "ежедневные выгрузки аудитории"),
    "src.web": ("web analytics (GA4 / canonical web file)", "веб-аналитика (GA4 / файл web)"),
    "src.ads": ("ad account exports", "выгрузки рекламных кабинетов"),
    "src.inbox": ("inbox export (messages and comments)", "выгрузка входящих сообщений"),
    "src.mentions": ("listening (mentions) export", "выгрузка мониторинга упоминаний"),
    "src.config": ("client.yaml (costs, targets)", "client.yaml (затраты, цели)"),
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
        "(the arrow is coloured by whether the change is good for that KPI) and, where client.yaml sets one, "
        "the target attainment.",
        "Каждая карточка показывает значение за период, изменение к прошлому периоду той же длины (цвет "
        "стрелки — хорошо ли это изменение для показателя) и, если в client.yaml задана цель, её выполнение."),
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
        "Likes, comments and shares, and the rates built from them. ER divides by followers, ERR by reach; "
        "ER per day, per post and by views are means, as their formulas say.",
        "Лайки, комментарии и репосты и коэффициенты на их основе. ER делит на подписчиков, ERR — на охват; "
        "ER за день, публикации и по просмотрам — средние, как указано в формулах."),
    "nw.trend": ("Trend", "Динамика"),
    # funnel
    "fn.funnel": ("Funnel", "Воронка"),
    "fn.funnel.intro": (
        "Impressions → engagements → clicks (post link clicks + ad clicks) → social sessions → conversions. "
        "Each stage shows its rate from the previous stage and from impressions; a rate above 100 % is shown as "
        "is and flagged.",
        "Показы → вовлечения → переходы (по ссылкам + клики по рекламе) → сессии из соцсетей → конверсии. "
        "Для каждого этапа — доля от прошлого этапа и от показов; доля выше 100 % показана как есть и отмечена."),
    "fn.visitors": ("Social visitors against the site average", "Посетители из соцсетей и сайт в среднем"),
    "fn.visitors.intro": (
        "On-site behaviour of visitors from social networks beside the same figure over all site sessions: "
        "social visitors should be no worse than the site average.",
        "Поведение посетителей из соцсетей рядом с тем же показателем по всем сессиям сайта: посетители из "
        "соцсетей должны быть не хуже среднего."),
    "fn.cost": ("Cost", "Затраты"),
    "fn.cost.intro": (
        "Total cost is all ad spend plus the fixed monthly costs from client.yaml spread over the period's days; "
        "a network's cost is its own ad spend.",
        "Общие затраты — вся реклама плюс постоянные затраты из client.yaml, распределённые по дням периода; "
        "затраты соцсети — её рекламный бюджет."),
    # content
    "ct.top": ("Top posts", "Лучшие публикации"),
    "ct.ranking": ("ER per post ranking", "Рейтинг публикаций по ER"),
    "ct.ranking.intro": (
        "The posts of the period by ER per post: post engagements / followers on the publish day × 100.",
        "Публикации периода по ER публикации: вовлечения / подписчики в день публикации × 100."),
    "ct.types": ("Performance by post type", "Результаты по типам публикаций"),
    "ct.types.intro": (
        "Posts of the period grouped by the type the network exports; means over the posts of each type.",
        "Публикации периода по типам из выгрузки соцсети; средние по публикациям каждого типа."),
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
        "Mentions of the brand against the competitors listed in client.yaml; share of voice = own mentions / "
        "(own + competitors') × 100.",
        "Упоминания бренда и конкурентов из client.yaml; доля голоса = свои упоминания / (свои + конкурентов) × 100."),
    "cm.signals": ("Signals", "Сигналы"),
    "cm.signals.intro": (
        "Audience quality: a jump in new followers with a falling ER suggests bought or bot followers. "
        "Post-contest: a jump in joins followed by a jump in leaves.",
        "Качество аудитории: скачок подписок при падающем ER — признак купленных или ботов. "
        "После конкурса: скачок подписок, за которым следует скачок отписок."),
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
    "finding.change": ("{kpi}: {value}, {change} against the previous period.",
                       "{kpi}: {value}, {change} к прошлому периоду."),
    "finding.driver": ("{kpi}: most of the change came from {network}, {delta}.",
                       "{kpi}: главный вклад — {network}, {delta}."),
    "finding.driver.change": ("{kpi}: most of the change came from {network}, {delta} ({net_change} on its own).",
                              "{kpi}: главный вклад — {network}, {delta} ({net_change} к своему прошлому периоду)."),
    "finding.driver.post": ("{kpi}: most of the change came from {network}, {delta}; its top post ({post_date}) "
                            "reached {post_reach}.",
                            "{kpi}: главный вклад — {network}, {delta}; самая охватная публикация ({post_date}) — "
                            "{post_reach}."),
    "finding.driver.change.post": ("{kpi}: most of the change came from {network}, {delta} ({net_change} on its "
                                   "own); its top post ({post_date}) reached {post_reach}.",
                                   "{kpi}: главный вклад — {network}, {delta} ({net_change} к своему прошлому "
                                   "периоду); самая охватная публикация ({post_date}) — {post_reach}."),
    "finding.target.met": ("Target met for {kpi}: {actual} against {target} ({attainment} of target).",
                           "Цель по показателю «{kpi}» выполнена: {actual} при цели {target} ({attainment} от цели)."),
    "finding.target.missed": ("Target missed for {kpi} by {gap}: {actual} against {target} ({attainment} of target).",
                              "Цель по показателю «{kpi}» не выполнена, не хватает {gap}: {actual} при цели "
                              "{target} ({attainment} от цели)."),
    "finding.target.met.lower": ("Target met for {kpi}: {actual} against a ceiling of {target} "
                                 "({attainment} attainment).",
                                 "Цель по показателю «{kpi}» выполнена: {actual} при цели не выше {target} "
                                 "(выполнение {attainment})."),
    "finding.target.missed.lower": ("Target missed for {kpi} by {gap}: {actual} against a ceiling of {target} "
                                    "({attainment} attainment).",
                                    "Цель по показателю «{kpi}» не выполнена, превышение на {gap}: {actual} при цели "
                                    "не выше {target} (выполнение {attainment})."),
    "finding.signal.quality": ("{network}: {new_followers} {new_followers_word} on {date}, then ER per post fell "
                               "from {before} to {after}: check for bought or bot followers.",
                               "{network}: {new_followers} {new_followers_word} за {date}, после чего ER публикаций "
                               "снизился с {before} до {after}: проверьте, не накрутка ли это."),
    "finding.signal.contest": ("{network}: an unfollow wave after the follower jump of {new_date}, "
                               "{lost_followers} {lost_followers_word} on {date}, {days} later.",
                               "{network}: волна отписок после всплеска подписок {new_date}, {lost_followers} "
                               "{lost_followers_word} за {date}, через {days}."),
    "finding.response": ("The team answered {answered} of {questions} {questions_word} ({rate}).",
                         "Команда ответила на {answered} из {questions} {questions_word} ({rate})."),
    "finding.response.median": ("The team answered {answered} of {questions} {questions_word} ({rate}); median "
                                "reply time {median}.",
                                "Команда ответила на {answered} из {questions} {questions_word} ({rate}); медианное "
                                "время ответа {median}."),
    "finding.response.median.faster": ("The team answered {answered} of {questions} {questions_word} ({rate}); "
                                       "median reply time {median}, mean reply time {speed} faster than before.",
                                       "Команда ответила на {answered} из {questions} {questions_word} ({rate}); "
                                       "медианное время ответа {median}, в среднем на {speed} быстрее, чем раньше."),
    "finding.response.median.slower": ("The team answered {answered} of {questions} {questions_word} ({rate}); "
                                       "median reply time {median}, mean reply time {speed} slower than before.",
                                       "Команда ответила на {answered} из {questions} {questions_word} ({rate}); "
                                       "медианное время ответа {median}, в среднем на {speed} медленнее, чем раньше."),
    "finding.response.faster": ("The team answered {answered} of {questions} {questions_word} ({rate}); mean reply "
                                "time {speed} faster than before.",
                                "Команда ответила на {answered} из {questions} {questions_word} ({rate}); в среднем "
                                "на {speed} быстрее, чем раньше."),
    "finding.response.slower": ("The team answered {answered} of {questions} {questions_word} ({rate}); mean reply "
                                "time {speed} slower than before.",
                                "Команда ответила на {answered} из {questions} {questions_word} ({rate}); в среднем "
                                "на {speed} медленнее, чем раньше."),
    "finding.best_post": ("Best post by ER per post: {network}, {date}, {er_post}, {above} above the period's "
                          "median post.",
                          "Лучшая публикация по ER: {network}, {date}, {er_post} — на {above} выше медианной "
                          "публикации периода."),
    "findings.page": ("Findings for this page", "Выводы по этой странице"),
    "findings.more": ("details", "подробнее"),
    "findings.none": ("No finding stands out in this period: every rule lacked data or a notable change.",
                      "Ничего заметного за период: правилам не хватило данных или изменений."),
    "nw.forecast": ("Forecast for the next period", "Прогноз на следующий период"),
    "nw.forecast.intro": ("Followers: random walk with drift over the last 8 periods' days; reach: exponential "
                       "smoothing over the last 8 period sums. The band is an 80 % prediction interval.",
                       "Подписчики: случайное блуждание с дрейфом по дням последних 8 периодов; охват: "
                       "экспоненциальное сглаживание по суммам 8 периодов. Полоса — 80-процентный интервал."),
    "forecast.none": ("No forecast: fewer than 8 periods of history.",
                      "Прогноза нет: истории меньше 8 периодов."),
    "forecast.low": ("Low (80 %)", "Нижняя граница (80 %)"),
    "forecast.high": ("High (80 %)", "Верхняя граница (80 %)"),
    "forecast.value": ("Forecast", "Прогноз"),
    "forecast.until": ("Forecast for the period ending", "Прогноз на период до"),
    "forecast.history": ("history", "история"),
    "ov.findings": ("Key findings", "Главное за период"),
    "ov.findings.intro": ("Each finding is a rule over the numbers of these pages, most important first; the "
                          "link opens the section with its numbers.",
                          "Каждый вывод — правило над числами этих страниц, важные первыми; ссылка ведёт к "
                          "разделу с его числами."),
    "notes.title": ("Analyst's notes", "Заметки аналитика"),
    "notes.by": ("by {analyst}", "автор: {analyst}"),
}  # fmt: skip


def _build_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for kpi in KPI_CATALOGUE:  # names and formulas: one record per KPI (smmkit.catalogue)
        labels[f"kpi.{kpi.key}"] = {lang: kpi.name(lang) for lang in LANGUAGES}
        labels[f"formula.{kpi.key}"] = {lang: kpi.formula(lang) for lang in LANGUAGES}
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
#: networks ``net.<network>``; other keys name sections (``ov.top``), narrative (``ov.top.intro``) and
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
    """The decimals of :func:`format_number` for ``kind`` when the caller gives none."""
    if kind == "count":
        return 0 if x.is_integer() else 1
    if kind == "ratio":
        return 1 if abs(x) >= 10 else 2 if abs(x) >= 0.01 or x == 0 else 4
    if kind == "percent":
        return 2 if abs(x) < 1 else 1
    if kind == "currency":
        return 0 if x.is_integer() or abs(x) >= 1000 else 2
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


def format_change(value: Any, lang: str = "en") -> str:
    """A signed percent change: ``+12.3%`` / ``+12,3 %``; ``n/a`` when unknown (:func:`smmkit.kpi.result.signed`)."""
    if is_missing(value):
        return _MISSING[_check_lang(lang)]
    return signed(format_number(value, lang, kind="percent"), value)


def change_class(key: str, change: Any) -> str:
    """``"good"``, ``"bad"`` or ``"flat"`` for a KPI's change against the previous period.

    ``change`` is ``(current / previous - 1) x 100`` (percent); its direction is
    :func:`smmkit.kpi.result.change_direction`. A rise is good unless the KPI is in
    :data:`smmkit.catalogue.LOWER_IS_BETTER` (a falling CPL is good); a change that rounds
    to 0.0 % is ``"flat"``; ``""`` when the change is unknown. The report cards, tables and
    the index colour arrows by it.
    """
    direction = change_direction(change)
    if direction in ("", "flat"):
        return direction
    rising_is_good = key not in LOWER_IS_BETTER
    return "good" if (direction == "up") == rising_is_good else "bad"


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

    def value(self, key: str, value: Any) -> str:
        """A KPI value formatted with its unit and the client's currency."""
        return format_kpi(key, value, self.lang, currency=self.currency)

    def number(self, value: Any, *, kind: str = "count", decimals: int | None = None) -> str:
        return format_number(value, self.lang, kind=kind, currency=self.currency, decimals=decimals)

    def change(self, value: Any) -> str:
        return format_change(value, self.lang)

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
