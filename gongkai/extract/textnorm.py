"""Text normalisation shared by every extractor.

Two kinds of normal form:
- `compact` is for output: whitespace removed, variants (traditional characters,
  OCR look-alikes) mapped to simplified — what a reader would type.
- `key` is for matching: `compact` plus full-width/half-width folding and no quotes,
  so "因公出国 (境) 费" and "因公出国（境）费" compare equal.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

import opencc

from ..patterns import lazy_compile

_T2S = opencc.OpenCC("t2s")
# Japanese shinjitai and OCR look-alikes seen in converted reports that OpenCC leaves alone.
_LOOKALIKES = str.maketrans({"収": "收", "﹑": "、", "､": "、", "〔": "（", "〕": "）", "【": "（", "】": "）"})
# Converters print brackets and separators in either width; labels use the full-width
# forms of the official catalogue so output does not depend on the converter.
_PUNCTUATION = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"})
_WS = lazy_compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_QUOTES = lazy_compile(r"[“”\"'‘’「」『』]")

_CN_DIGITS = "零一二三四五六七八九十百"
ORDINAL = lazy_compile(
    r"^\s*(?:"
    r"第?[一二三四五六七八九十]{1,3}[、.．,，]\s*"  # 一、 二十三、
    r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]\s*[、.．]?\s*"  # （一） (二)
    r"|\d{1,2}\s*[、.．]\s*(?!\d)"  # 1、 2.  (not 1.5)
    r"|[（(]\s*\d{1,2}\s*[)）]\s*"  # (1)
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*"
    r")"
)


def compact_uncached(text: str) -> str:
    """Whitespace removed, variants → simplified. For labels and names in output."""
    if not text:
        return ""
    text = _WS.sub("", text).translate(_LOOKALIKES)
    if not text.isascii():
        text = _T2S.convert(text).translate(_PUNCTUATION)
    return text


def _key_of_compact(text: str) -> str:
    return _QUOTES.sub("", unicodedata.normalize("NFKC", text)).lower()


# Labels, names and cells repeat within and across reports, so they are cached; a
# whole narrative's text would only crowd the caches: use the *_uncached forms for it.
compact = lru_cache(maxsize=65536)(compact_uncached)


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Matching key: compact + NFKC (full-width → half-width) + no quotes, lower-case."""
    return _key_of_compact(compact(text))


def key_uncached(text: str) -> str:
    return _key_of_compact(compact_uncached(text))


@lru_cache(maxsize=65536)
def strip_ordinal(text: str) -> str:
    """Remove a leading ordinal such as 一、 （一） 1、 ①."""
    previous = None
    while previous != text:
        previous = text
        text = ORDINAL.sub("", text, count=1)
    return text


_LEADER = lazy_compile(r"[.．…·。]{2,}$|…+$")


@lru_cache(maxsize=65536)
def label(text: str) -> str:
    """A row label as output: ordinal removed, compacted, leader dots ("高等教育……") removed."""
    return _LEADER.sub("", compact(strip_ordinal(text.strip())))


_LEADER_KEY = lazy_compile(r"[.·。]{2,}$")


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    return _LEADER_KEY.sub("", key(strip_ordinal(text.strip())))


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def cjk_count(text: str) -> int:
    return sum(1 for ch in text if is_cjk(ch))


def traditional_share(text: str, sample: int = 5_000) -> float:
    """The share of Chinese characters (in the first `sample` characters, more when those
    hold few, as a web page's markup does) that are traditional forms: about 0 in a
    simplified report (a converter's stray 並 or 預), about a third in one printed, or
    saved from a website, in traditional characters."""
    seen: Counter[str] = Counter()
    done = 0
    while True:
        seen.update(text[done:sample])  # each character counted once as the sample grows
        done = sample
        counts = {ch: n for ch, n in seen.items() if is_cjk(ch)}
        total = sum(counts.values())
        if total >= 500 or sample >= len(text) or sample >= 500_000:
            break
        sample *= 10
    if total < 100:
        return 0.0
    chars = list(counts)
    simplified = _T2S.convert("\n".join(chars)).split("\n")
    if len(simplified) != len(chars):
        return 0.0
    changed = sum(counts[a] for a, b in zip(chars, simplified) if a != b)
    return changed / total


def to_simplified(text: str) -> str:
    """Traditional characters and phrases → simplified; line breaks are kept."""
    return _T2S.convert(text)


_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九")}


def chinese_number(text: str) -> int | None:
    """一 → 1, 十 → 10, 十三 → 13, 二十 → 20, 二十六 → 26 (up to 99)."""
    text = text.strip()
    if not text or any(ch not in "零一二三四五六七八九十" for ch in text):
        return None
    if "十" not in text:
        return _CN_NUM[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    value = (_CN_NUM.get(tens, 0) if tens else 1) * 10
    if ones:
        if len(ones) != 1:
            return None
        value += _CN_NUM[ones]
    return value


_FUND_NAMES = lazy_compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算")


def without_fund_names(text: str) -> str:
    """The text without the names of the budget funds, whose 预算 says nothing of a
    document's or column's kind ("一般公共预算财政拨款" is in 决算 tables too)."""
    return _FUND_NAMES.sub("", text)

