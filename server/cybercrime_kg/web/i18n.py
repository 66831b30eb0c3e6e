"""The site's two languages: which one a request gets, every string it shows, sorting and dates.

Every visible string of every page comes from `messages/*.toml` (English and Chinese side by
side, so a missing translation is an error at start-up, never English on a Chinese page).
Templates call `t("key")` (the page's `lang`, or the request's), `t("key", name=...)` for
strings with fields.
Chinese lists sort by pinyin (pypinyin), English ones alphabetically, and dates and times are
written the way each language writes them (Babel's CLDR patterns).
"""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, format_skeleton
from flask import Flask, has_request_context, request
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from pypinyin import Style, lazy_pinyin

LANGS = ("en", "zh")  # the languages pages are written in; English is the fallback
DEFAULT_LANG = "en"
_LOCALE = {"en": "en_GB", "zh": "zh_Hans_CN"}
MESSAGES_DIR = Path(__file__).resolve().parent.parent / "messages"


def load_messages(folder: Path) -> dict[str, tuple[str, str]]:
    """Every message of every *.toml in `folder`; a key twice or a language missing is an error."""
    messages: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as file:
            table = tomllib.load(file)
        for key, entry in table.items():
            if key in messages:
                raise ValueError(f"{path.name}: message {key!r} is already defined")
            if set(entry) != {"en", "zh"} or not all(entry.values()):
                raise ValueError(f"{path.name}: message {key!r} needs exactly en and zh")
            messages[key] = (entry["en"], entry["zh"])
    return messages


# key -> (English, Chinese), from every messages/*.toml (one file per part of the site, so
# parts grow their own strings apart); fields in braces are filled by `text(key, lang, **fields)`.
MESSAGES: dict[str, tuple[str, str]] = load_messages(MESSAGES_DIR)


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


# opening quotation marks and brackets, Latin and Chinese (after NFKC: full-width ( is ( )
_OPENING = "\"'([{<\u300a\u3008\u201c\u2018\u300c\u300e\u3010"


@functools.lru_cache(maxsize=8192)
def _pinyin(value: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(value, style=Style.TONE3, errors="default"))


def sort_key(value: str, lang: str) -> tuple[Any, ...]:
    """Order names as readers of `lang` expect: pinyin for Chinese, alphabetical for English."""
    # opening quotes and brackets do not count: 《布达佩斯公约》 sorts under B
    folded = unicodedata.normalize("NFKC", value).casefold().lstrip(_OPENING)
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
    if isinstance(value, datetime):  # the day, the clock time where it was, and its offset
        day = format_skeleton("yMMMd", value, locale=locale)
        clock = format_skeleton("Hm", value, tzinfo=value.tzinfo, locale=locale)
        offset = value.utcoffset()
        if offset is None:
            return f"{day} {clock}"
        hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
        zone = f"UTC{hours:+d}" + (f":{rest:02d}" if rest else "")
        return f"{day} {clock} ({zone})"
    return format_date(value, "long", locale=locale)


def language_name(tag: str, lang: str) -> str:
    """The name of the language `tag` (a BCP 47 tag such as "ar" or "zh") written in `lang`."""
    try:
        name = Locale.parse(_LOCALE.get(lang, _LOCALE[DEFAULT_LANG])).languages.get(
            tag.split("-")[0]
        )
    except (ValueError, UnknownLocaleError):
        name = None
    return name or tag


def _day(value: date | str) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def short_date(start: date | str, lang: str, end: date | str | None = None) -> str:
    """A day, or a span of days, written short the way `lang` writes it (Babel's interval
    formats: "17-21 Jan 2011" with an en dash, "2011年1月17日至21日"); a string that is no
    date, as it is."""
    locale = _LOCALE.get(lang, _LOCALE[DEFAULT_LANG])
    first = _day(start)
    if first is None:
        return str(start)
    last = _day(end) if end else None
    if last is None or last == first:
        return format_skeleton("yMMMd", first, locale=locale)
    return format_interval(first, last, "yMMMd", locale=locale)


@pass_context
def _t(context: Context, key: str, **fields: Any) -> str | Markup:
    """The message in the template's language; fields already marked up (links) stay markup,
    plain ones are escaped."""
    lang = context.get("lang") or page_lang()
    if any(isinstance(value, Markup) for value in fields.values()):
        english, chinese = MESSAGES[key]
        return Markup(escape(chinese if lang == "zh" else english)).format(**fields)
    return text(key, lang, **fields)


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
