"""Passage locators in Chinese: "section 1 (4), paragraph 2, sentence 1, first argument" as
"第1部分(4)，第2段，第1句，第一论据".

`ieg:locator` is one plain string in a small closed grammar (the shapes say so): comma-separated
parts, each a known word, or a known word and a number. The data keeps the English form; a
Chinese page shows this translation, and a locator with a part outside the grammar is left
untranslated (None), so the page shows it as the English it is rather than half of each.
"""

from __future__ import annotations

import re

_ORDINALS = {"first": "一", "second": "二", "third": "三", "fourth": "四", "fifth": "五"}
# a part with a number: English pattern -> Chinese, {n} the number (or item code such as 1(b))
_NUMBERED = (
    (re.compile(r"^section (\d+) \((\d+)\)$"), "第{0}部分({1})"),
    (re.compile(r"^section (\d+)$"), "第{0}部分"),
    (re.compile(r"^paragraph (\d+)$"), "第{0}段"),
    (re.compile(r"^sentence (\d+)$"), "第{0}句"),
    (re.compile(r"^item (\d+(?:\([a-z]\))?)$"), "项目{0}"),
    (re.compile(r"^row (\d+)$"), "第{0}行"),
    (re.compile(r"^footnote (\d+)$"), "脚注{0}"),
    (re.compile(r"^chapter (\d+)$"), "第{0}章"),
    (re.compile(r"^list item (\d+)$"), "列表第{0}项"),
    (re.compile(r"^CETS No\. (\d+)$"), "《欧洲委员会条约汇编》第{0}号"),
)
_WORDS = {
    "annotations": "说明",
    "annex": "附件",
    "provisional agenda": "临时议程",
    "list of chapters": "章节列表",
    "list of documents": "文件列表",
    "introduction": "导言",
    "heading": "标题",
    "title": "标题",
    "subtitle": "副标题",
    "documentation": "文件",
    "cover": "封面",
    "body": "正文",
    "background": "背景",
    "preamble": "序言",
    "table header": "表头",
    "site section": "网站栏目",
    "original language": "原文语言",
    "language": "语言",
    "opening": "开头",
    "dates and venue": "日期和地点",
    "date line": "日期行",
    "date": "日期",
    "announcement": "公告",
    "composition of the extended Bureau": "扩大主席团的组成",
    "list of officers": "主席团成员名单",
    "summary": "摘要",
    "page heading": "页面标题",
    "description": "简介",
    "lead": "导语",
    "title page": "扉页",
    "dateline and body": "日期行和正文",
}
_PIECE = {"part": "部分", "clause": "分句", "argument": "论据"}
_PAGE_BREAK = {
    " (before the page break)": "（分页前）",
    " (after the page break)": "（分页后）",
}


# A/RES/74/173, E/CN.15/2018/12; the Council of Europe's GR-J(2009)4
_SYMBOL = re.compile(r"^(?:[A-Z][A-Za-z.]*(?:/[A-Za-z0-9.()]+)+|[A-Z]+-[A-Z]+\(\d{4}\)\d+)$")


def _part(part: str) -> str | None:
    if _SYMBOL.match(part):
        return part
    suffix = ""
    for english, chinese in _PAGE_BREAK.items():
        if part.endswith(english):
            part, suffix = part[: -len(english)], chinese
    if part in _WORDS:
        return _WORDS[part] + suffix
    for pattern, chinese in _NUMBERED:
        match = pattern.match(part)
        if match:
            return chinese.format(*match.groups()) + suffix
    ordinal, _, piece = part.partition(" ")
    if ordinal in _ORDINALS and piece in _PIECE:
        return f"第{_ORDINALS[ordinal]}{_PIECE[piece]}{suffix}"
    return None


def locator_zh(locator: str) -> str | None:
    """The locator in Chinese, or None if any part of it is outside the grammar."""
    parts = [_part(part.strip()) for part in locator.split(",")]
    if any(part is None for part in parts):
        return None
    return "，".join(part for part in parts if part)
