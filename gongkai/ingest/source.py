"""Read a file safely and decide what it is: text (any common Chinese encoding) or PDF."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import InputError
from ..limits import exceeded, limit
from ..textsafe import path_text
from ..records import record


# Magic numbers of binary formats users are likely to hand us by mistake.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (docx/xlsx?)",
    b"\xd0\xcf\x11\xe0": "an old Office document (doc/xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7z archive",
    b"\x7fELF": "an executable",
}


@record
class RawSource:
    name: str
    path: str
    data: bytes
    format: str  # "text" | "pdf"
    sha256: str


@record
class DecodedText:
    text: str
    encoding: str


def open_source(path: str | os.PathLike) -> RawSource:
    try:
        return _open_source(Path(path), str(path))
    except OSError as exc:  # permissions, a name too long, I/O errors: one line, not a traceback
        raise InputError(f"cannot read the file ({exc.strerror or exc.__class__.__name__})", str(path)) from None


def _open_source(p: Path, shown: str) -> RawSource:
    if not p.exists():
        raise InputError("no such file", shown)
    if p.is_dir():
        raise InputError("is a directory, not a report file", shown)
    if not p.is_file():
        raise InputError("not a regular file", shown)
    size = p.stat().st_size
    if size == 0:
        raise InputError("the file is empty", shown)
    with p.open("rb") as fh:
        head = fh.read(1024)
    name = "pdf-mb" if b"%PDF-" in head else "text-mb"
    if size > limit(name) * 1048576:
        raise exceeded(name, f"{size / 1048576:.1f}", shown)
    return from_bytes(p.read_bytes(), path_text(p.name), shown)


def from_bytes(data: bytes, name: str, shown: str | None = None) -> RawSource:
    shown = shown or name
    if not data.strip():
        raise InputError("the file is empty", shown)
    kind = "pdf-mb" if b"%PDF-" in data[:1024] else "text-mb"
    if len(data) > limit(kind) * 1048576:  # bytes handed to the API directly (open_source checks first)
        raise exceeded(kind, f"{len(data) / 1048576:.1f}", shown)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:  # readers accept junk before the header
        return RawSource(name, shown, data, "pdf", digest)
    for magic, what in _BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise InputError(f"this is {what}, not a text or PDF disclosure report", shown)
    if data.startswith(b"version https://git-lfs.github.com/spec/"):
        raise InputError("this is a Git LFS pointer, not the report itself; fetch the file (git lfs pull)", shown)
    if name.lower().endswith(".pdf"):
        raise InputError(f"named .pdf but not a PDF (no %PDF- header; it starts with {data[:16]!r})", shown)
    return RawSource(name, shown, data, "text", digest)


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_WIDE = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
# Frequent characters of budget reports and of Chinese text in general, in simplified and
# traditional forms: the right decoding of a legacy-encoded file hits many of them, a wrong
# one (Big5 bytes read as GBK, say — every Big5 pair is also a valid GBK pair) hits few.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制"
    "机当使点从业本去把性好应开合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心"
    "反明看原又利比或但质气第向道命此变条只没结解问意建月公无系很情者最立代想已通并提直题程展五果"
    "料员位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别期根论运农指几九区"
    "强放决西被做必先回则任取据处队南给色光门即保治北造百规领七海口东导器压志世金增争济阶思术极交受"
    "联认六共权收证改清美再采转更单风切打白教速带安场身车例真务具万每目至达走积示议报完类八离华名确"
    "科张信马节话整空元况今集传土许步群广石记需段研界林律且究观越装影算低持音众书布复容须际商非验连"
    "断深难近千周委素技备半办青省列习响约支般史感劳便团往历市克何除消构府称准精值号率维划选标写存"
    "候效院查型按格养易置派层片始却专状育京识适属包住调满县局照参细引听该价严预拨款费项街道镇乡"
    "這個們來國時說會對發動過產種麼經學與關點業開體還應後當現實機兩義從總變結問無員專單區選際報書歷"
    "團華務規領導壓爭濟階術極聯權證轉風車場將見計別長東門頭萬資統邊級圖組較運農幾強決戰則據處隊給"
    "預決財撥費項鎮鄉縣區黨幹辦淨額餘償稅補貼醫療險"
)
_PRINTABLE_CONTROLS = "\t\r\n\f"


def decode_text(data: bytes, shown: str) -> DecodedText:
    """Decode without asking the user: a BOM; UTF-32/UTF-16 without one (told by where the
    NUL bytes are); UTF-8; then the legacy Chinese encodings (GB18030 — which covers
    GBK/GB2312 — or Big5, whichever reads as Chinese); charset detection last."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return DecodedText(_strict(data[len(bom):], encoding.replace("-sig", ""), shown), encoding)
    if b"\x00" in data[:65536]:
        wide = _wide(data)
        if wide is not None:
            return wide
        nul = data.index(b"\x00")
        raise InputError(f"binary data (a NUL byte at byte offset {nul}), not a text report", shown)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best: tuple[float, str, str] | None = None
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _chinese_score(text)
        if score > 0 and (best is None or score > best[0]):
            best = (score, encoding, text)
    if best is not None:
        return DecodedText(best[2], best[1])
    from charset_normalizer import from_bytes as detect

    guess = detect(data[:1_000_000]).best()
    if guess is not None and guess.encoding:
        try:
            text = data.decode(guess.encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and _looks_chinese(text):
            return DecodedText(text, guess.encoding)
    bad = data[utf8_error.start]
    raise InputError(
        f"cannot decode the text: not UTF-8 (byte 0x{bad:02x} at byte offset {utf8_error.start}: {utf8_error.reason}), "
        "nor GB18030/GBK, Big5 or UTF-16/32",
        shown,
    )


def _wide(data: bytes) -> DecodedText | None:
    """UTF-32 or UTF-16 without a BOM: the candidate whose start decodes to the most
    plausible text (CJK, ASCII, CJK punctuation), if that is nearly all of it."""
    sample = data[:65536]
    best: tuple[float, str] | None = None
    for encoding in _WIDE:
        width = 4 if "32" in encoding else 2
        chunk = sample[: len(sample) - len(sample) % width]
        if not _nuls_fit(chunk[:8192], encoding):
            continue
        try:
            text = chunk.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, encoding)
    if best is None or best[0] < 0.9:
        return None
    encoding = best[1]
    width = 4 if "32" in encoding else 2
    if len(data) % width:
        data = data[: len(data) - len(data) % width]  # a cut-off last character
    try:
        return DecodedText(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        return None


def _nuls_fit(chunk: bytes, encoding: str) -> bool:
    """The NUL bytes sit where `encoding` puts the high bytes of ASCII and BMP text."""
    if encoding == "utf-32-le":
        return not any(chunk[2::4]) and not any(chunk[3::4])
    if encoding == "utf-32-be":
        return not any(chunk[0::4]) and not any(chunk[1::4])
    high, low = (chunk[1::2], chunk[0::2]) if encoding == "utf-16-le" else (chunk[0::2], chunk[1::2])
    return high.count(0) >= 9 * low.count(0)


def _plausible(text: str) -> float:
    if not text:
        return 0.0
    good = sum(
        1 for ch in text
        if " " <= ch <= "~" or ch in _PRINTABLE_CONTROLS or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f"
    )
    return good / len(text)


def _chinese_score(text: str) -> float:
    """How much `text` reads as Chinese: the share of its CJK characters that are frequent
    ones; 0 when it has none or too many control characters."""
    if not _looks_chinese(text):
        return 0.0
    sample = text[:20000]
    cjk = [ch for ch in sample if "\u4e00" <= ch <= "\u9fff"]
    return sum(1 for ch in cjk if ch in _COMMON) / len(cjk)


def _strict(data: bytes, encoding: str, shown: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"the text is not valid {encoding} ({exc.reason} at byte {exc.start})", shown) from None


def _looks_chinese(text: str) -> bool:
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return cjk >= 1 and controls <= len(sample) * 0.01


def looks_like_html_page(text: str) -> bool:
    """A whole HTML document (it opens as one), not converter text holding HTML tables:
    read by html_page, element by element, rather than line by line."""
    head = text[:2000].lstrip("\ufeff \t\r\n").lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body", "<meta")) or (head.startswith("<?xml") and "<html" in head)
