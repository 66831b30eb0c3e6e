"""The site's two languages: which one a request gets, every string it shows, sorting and dates.

Every visible string of every page comes from `MESSAGES` (English and Chinese side by side, so
a missing translation is a KeyError in a test, never English on a Chinese page). Templates call
`t("key")` (the page's `lang`, or the request's), `t("key", name=...)` for strings with fields.
Chinese lists sort by pinyin (pypinyin), English ones alphabetically, and dates and times are
written the way each language writes them (Babel's CLDR patterns).
"""

from __future__ import annotations

import functools
import unicodedata
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime
from flask import Flask, has_request_context, request
from jinja2 import pass_context
from jinja2.runtime import Context
from pypinyin import Style, lazy_pinyin

LANGS = ("en", "zh")  # the languages pages are written in; English is the fallback
DEFAULT_LANG = "en"
_LOCALE = {"en": "en_GB", "zh": "zh_Hans_CN"}

# key -> (English, Chinese). Fields in braces are filled by `text(key, lang, **fields)`.
MESSAGES: dict[str, tuple[str, str]] = {
    "site.name": ("Expert Group on Cybercrime knowledge graph", "网络犯罪专家组知识图谱"),
    "site.short": ("Cybercrime KG", "网络犯罪知识图谱"),
    "nav.main": ("Site sections", "网站栏目"),
    "nav.query": ("Query", "查询"),
    "nav.queries": ("Named queries", "命名查询"),
    "nav.matrix": ("Stance matrix", "立场矩阵"),
    "nav.timeline": ("Timeline", "时间线"),
    "nav.ontology": ("Ontology", "本体"),
    "nav.other_lang": ("中文", "English"),
    "search.label": ("Search the graph", "搜索图谱"),
    "search.placeholder": ("Search: states, claims, meetings…", "搜索：国家、主张、会议……"),
    "search.button": ("Search", "搜索"),
    "footer.data": (
        "Data: the UN Expert Group on Cybercrime, 2011–2021, each fact traced to its source.",
        "数据：联合国网络犯罪问题专家组，2011–2021 年，每项事实均可追溯至其来源。",
    ),
    "footer.sparql": ("SPARQL endpoint", "SPARQL 端点"),
    "footer.api": ("API description", "API 说明"),
    "ui.title": ("SPARQL query", "SPARQL 查询"),
    "queries.also_as": ("Also as", "其他格式："),
    "queries.format": ("Format", "格式"),
    "queries.run": ("Run", "运行"),
    "error.not_found": ("Not found", "未找到"),
    "error.no_page": ("This site has no page at {path}.", "本网站没有 {path} 这个页面。"),
    "error.no_resource": ("This graph has no resource", "此图谱中没有资源"),
    "error.perhaps": ("Perhaps one of these", "您是否要找"),
    "error.go_home": ("Start from the query page", "从查询页面开始"),
    "error.status": ("Error {status}", "错误 {status}"),
}


def text(key: str, lang: str, **fields: Any) -> str:
    """The message in `lang` (English for any other), its fields filled in."""
    english, chinese = MESSAGES[key]
    message = chinese if lang == "zh" else english
    return message.format(**fields) if fields else message


def page_lang() -> str:
    """?lang= if it names a page language, else Accept-Language, else English."""
    if not has_request_context():
        return DEFAULT_LANG
    wanted = request.args.get("lang")
    if wanted is not None:
        return wanted if wanted in LANGS else DEFAULT_LANG
    return request.accept_languages.best_match(LANGS, default=DEFAULT_LANG) or DEFAULT_LANG


@functools.lru_cache(maxsize=8192)
def _pinyin(value: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(value, style=Style.TONE3, errors="default"))


def sort_key(value: str, lang: str) -> tuple[Any, ...]:
    """Order names as readers of `lang` expect: pinyin for Chinese, alphabetical for English."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    if lang == "zh":
        return (_pinyin(folded), folded)
    return (folded,)


def when(value: date | datetime | str, lang: str) -> str:
    """A date or date-time written the way `lang` writes it (an unparsable string as it is)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return str(value)
    locale = _LOCALE.get(lang, _LOCALE[DEFAULT_LANG])
    if isinstance(value, datetime):
        return format_datetime(value, "medium", locale=locale)
    return format_date(value, "long", locale=locale)


@pass_context
def _t(context: Context, key: str, **fields: Any) -> str:
    return text(key, context.get("lang") or page_lang(), **fields)


@pass_context
def _when(context: Context, value: Any) -> str:
    return when(value, context.get("lang") or page_lang())


def init_app(app: Flask) -> None:
    """`t()` and `when()` in every template, and `lang` where a view did not pass one."""
    app.jinja_env.globals["t"] = _t
    app.jinja_env.globals["when"] = _when
    app.jinja_env.globals["LANGS"] = LANGS

    @app.context_processor
    def _lang() -> dict[str, Any]:
        return {"lang": page_lang()}
