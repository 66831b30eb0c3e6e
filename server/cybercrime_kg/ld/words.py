"""The words of a text, for search: folding, words of alphabetic scripts, Chinese words (jieba).

Folding maps each character to one character (NFKC, case-folded, accents dropped), so a match
found in the folded text marks the same span of the original. Alphabetic text (English and the
other UN languages) splits into runs of letters and digits; Chinese has no spaces, so its runs
are segmented by jieba: a text's words in search mode (every word and the shorter words inside
it, so a query word matches whichever the text was cut into), a query's in accurate mode.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata

import jieba

# jieba's own logger prints the loading of its dictionary (at DEBUG) to stderr
jieba.setLogLevel(logging.WARNING)

# CJK Unified Ideographs, Extension A, compatibility ideographs, Extensions B-F
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
HAN_RUN = re.compile(f"[{_HAN}]+")
WORD = re.compile(f"[^\\W_{_HAN}]+")  # letters and digits of any script but Han


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    if len(bare) == 1:
        return bare
    lower = char.lower()  # ligatures, "ß", "…": keep one character, as close as it gets
    return lower if len(lower) == 1 else char


def fold(text: str) -> str:
    """`text` NFKC-normalised, case-folded and without accents, one character per character."""
    return "".join(map(_fold_char, text))


def squash(text: str) -> str:
    """Folded, with runs of white space made one space and the ends trimmed (a query's form)."""
    return " ".join(fold(text).split())


def has_han(text: str) -> bool:
    """True if `text` holds a Chinese character."""
    return HAN_RUN.search(text) is not None


def text_words(folded: str) -> tuple[set[str], set[str]]:
    """(alphabetic words, Chinese words) of a folded text; Chinese in jieba's search mode."""
    alphabetic = set(WORD.findall(folded))
    chinese = {w for run in HAN_RUN.findall(folded) for w in jieba.lcut_for_search(run)}
    return alphabetic, chinese


def query_words(folded: str) -> list[tuple[str, bool]]:
    """The words of a folded query, each once, in order: (word, is Chinese)."""
    found: dict[tuple[str, bool], None] = {}
    position = 0
    for run in HAN_RUN.finditer(folded):
        for word in WORD.findall(folded, position, run.start()):
            found[(word, False)] = None
        for word in jieba.lcut(run.group()):
            found[(word, True)] = None
        position = run.end()
    for word in WORD.findall(folded, position):
        found[(word, False)] = None
    return list(found)


def spans(folded: str, alphabetic: set[str], chinese: set[str]) -> list[tuple[int, int]]:
    """Where the given words stand in a folded text (alphabetic ones as whole words), merged."""
    found = [m.span() for m in WORD.finditer(folded) if m.group() in alphabetic]
    for word in chinese:
        start = folded.find(word)
        while start >= 0:
            found.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
