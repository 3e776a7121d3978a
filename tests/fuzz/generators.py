"""Malformed, hostile and oddly named inputs, one generator per category.

Each generator takes a random.Random and returns (file name as bytes, file content).
The Hypothesis tests (tests/fuzz/test_fuzz.py) draw the Random, so failures shrink and
replay; bench/fuzz.py runs thousands of them for time and memory.
"""

from __future__ import annotations

import functools
import random
import zlib

from tests.support import example_text

PAYLOADS = [
    "=cmd|' /C calc'!A0", "=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "<script>alert(1)</script>",
    "\x1b[31m", "\x1b]0;title\x07", "\u202e", "\x00", "\x07", "\ufeff", "\u2028", "\u2029", "{{7*7}}", "${7*7}",
    "%s%n", "../../etc/passwd", "\ud800" if False else "\U0010fffd", "12345678901234567890123456789012345",
    "1e999", "NaN", "-0", "９９９", "１，０００．００", "——", "#DIV/0!", "<table>", "</table>", "|", "\t\t\t",
]
CHARS = "0123456789.,-+ \t|<>/=\"'#%&;：，。、（）()万元合计总计收入支出决算预算公开表" + "\x00\x01\x1b\x7f\x85\u2028\u3000"


@functools.lru_cache(maxsize=1)
def _base() -> str:
    return example_text(True)


@functools.lru_cache(maxsize=1)
def _pdf() -> bytes:
    from tests.pdf import synth

    return synth.report()


def _mutate_text(rng: random.Random, text: str, edits: int) -> str:
    lines = text.split("\n")
    for _ in range(edits):
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        op = rng.randrange(9)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 2:
            line = lines[i]
            at = rng.randint(0, len(line))
            lines[i] = line[:at] + rng.choice(PAYLOADS) + line[at:]
        elif op == 3:
            lines[i] = "".join(rng.choice(CHARS) for _ in range(rng.randint(0, 40)))
        elif op == 4:  # a number replaced by something else
            lines[i] = "\t".join(rng.choice(PAYLOADS) if c[:1].isdigit() and rng.random() < 0.5 else c for c in lines[i].split("\t"))
        elif op == 5:
            lines[i] = lines[i].replace("\t", rng.choice(["|", "  ", "\t\t", "", "\u3000"]))
        elif op == 6:
            lines[i:i] = [lines[i]] * rng.randint(2, 30)
        elif op == 7:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
    return "\n".join(lines)


def text_mutation(rng: random.Random) -> tuple[bytes, bytes]:
    text = _mutate_text(rng, _base(), rng.randint(1, 40))
    if rng.random() < 0.2:
        text = text[: rng.randint(0, len(text))]
    return b"mutated.txt", text.encode("utf-8", "surrogatepass")


def encoding(rng: random.Random) -> tuple[bytes, bytes]:
    text = _mutate_text(rng, _base(), rng.randint(0, 5))
    enc = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "gb18030", "gbk", "big5", "utf-8-sig", "latin-1", "shift_jis", "cp1252"])
    if enc == "big5":
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    data = bytearray(text.encode(enc, "replace"))
    for _ in range(rng.choice([0, 0, 1, 5])):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    if rng.random() < 0.2:
        data = data[: rng.randint(0, len(data))]
    return f"enc-{enc}.txt".encode(), bytes(data)


def binary(rng: random.Random) -> tuple[bytes, bytes]:
    head = rng.choice([b"", b"PK\x03\x04", b"\x89PNG\r\n", b"%PDF-1.7\n", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff",
                       b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n", b"\xef\xbb\xbf", b"\x1f\x8b", b"   \n\n"])
    body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000)))
    name = rng.choice([b"x.txt", b"x.pdf", b"x.md", b"x.html", b"x"])
    return name, head + body


def html_table(rng: random.Random) -> tuple[bytes, bytes]:
    rows = []
    for _ in range(rng.randint(0, 40)):
        cells = []
        for _ in range(rng.randint(0, 30)):
            attrs = ""
            if rng.random() < 0.3:
                attrs += f' rowspan="{rng.choice([0, 1, 2, 50, 10**6, -3, "x"])}"'
            if rng.random() < 0.3:
                attrs += f' colspan="{rng.choice([0, 1, 3, 100, 10**9, "", "2.5"])}"'
            content = rng.choice(["收入", "1,023.68", "", "<b>合计</b>", "&amp;", "<table><tr><td>nested</td></tr></table>", rng.choice(PAYLOADS)])
            cells.append(f"<td{attrs}>{content}" + ("</td>" if rng.random() < 0.9 else ""))
        rows.append("<tr>" + "".join(cells) + ("</tr>" if rng.random() < 0.9 else ""))
    table = "<table>" + "\n".join(rows) + ("</table>" if rng.random() < 0.8 else "")
    text = _base()
    at = rng.randrange(len(text))
    return b"tables.md", (text[:at] + "\n" + table + "\n" + text[at:]).encode()


def html_page(rng: random.Random) -> tuple[bytes, bytes]:
    """The example as a web page, with the breakage pages have: unclosed and stray tags,
    a layout table around everything, scripts, one source line, hostile payloads."""
    from tests.support import as_html_page

    page = as_html_page(_mutate_text(rng, _base(), rng.randint(0, 20)), layout=rng.random() < 0.5)
    for _ in range(rng.randint(0, 12)):
        at = rng.randrange(len(page))
        piece = rng.choice(["<table>", "</table>", "<tr>", "</td>", "<head>", "</body>", "<script>", "</script>", "<h2>", "<br/>", "<!--", "-->", "&#x0;", "&bogus;", rng.choice(PAYLOADS)])
        page = page[:at] + piece + page[at:]
    if rng.random() < 0.5:
        page = page.replace("\n", "")
    return rng.choice([b"page.html", b"page.htm", b"page.txt"]), page.encode("utf-8", "surrogatepass")


def layout_text(rng: random.Random) -> tuple[bytes, bytes]:
    """The example with its tables lined up with spaces (pdftotext -layout), mutated."""
    from tests.support import as_layout_text

    text = as_layout_text(_base(), by_display_width=rng.random() < 0.5)
    return b"layout.txt", _mutate_text(rng, text, rng.randint(0, 30)).encode("utf-8", "surrogatepass")


def pipe_table(rng: random.Random) -> tuple[bytes, bytes]:
    width = rng.choice([1, 3, 12, 300])
    rows = ["|" + "|".join(rng.choice(["项目", "1.00", "", "-", "|", "\\|", "=1+1", "---"]) for _ in range(rng.randint(0, width))) + "|" for _ in range(rng.randint(0, 60))]
    text = _base()
    at = rng.randrange(len(text))
    return b"pipes.md", (text[:at] + "\n" + "\n".join(rows) + "\n" + text[at:]).encode()


def repetition(rng: random.Random) -> tuple[bytes, bytes]:
    """Big inputs, kept small enough for CI: repeated table rows, many short lines, one long line."""
    kind = rng.randrange(4)
    text = _base()
    if kind == 0:
        lines = text.split("\n")
        out = []
        times = rng.randint(2, 60)
        for line in lines:
            out.extend([line] * (times if "\t" in line and line[:1].isdigit() else 1))
        text = "\n".join(out)
    elif kind == 1:
        text = text + "\n" + "一\n" * rng.randint(1000, 30000)
    elif kind == 2:
        text = text + "\n" + "收入\t" * rng.randint(100, 3000)
    else:
        text = text + "\n" + "合计" * rng.randint(1000, 100000)
    return b"big.txt", text.encode()


def pdf(rng: random.Random) -> tuple[bytes, bytes]:
    data = bytearray(_pdf())
    op = rng.randrange(5)
    if op == 0:
        data = data[: rng.randint(0, len(data))]
    elif op == 1:
        for _ in range(rng.randint(1, 50)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif op == 2:
        at = rng.randrange(len(data))
        data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 500)))
    elif op == 3:  # a small flate bomb: a stream that inflates to far more than it is
        bomb = zlib.compress(b"\x00" * rng.choice([10**6, 2 * 10**7]), 9)
        obj = b"99 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream\nendobj\n"
        at = data.rfind(b"xref")
        data[at:at] = obj
    else:
        del data[rng.randrange(len(data)):rng.randrange(len(data))]
    return b"report.pdf", bytes(data)


def file_name(rng: random.Random) -> tuple[bytes, bytes]:
    parts = [rng.choice([b"\xff\xfe", "预算".encode("gbk"), "决算".encode(), b"\x1b[31m", b"\x07", b" ", b"-rf", b"=1+1",
                         b"\n", b"'", b"\"", b"..", b"a" * 100, "\u202e".encode()]) for _ in range(rng.randint(1, 4))]
    name = b"".join(parts).replace(b"/", b"_").replace(b"\x00", b"_")[:200] + rng.choice([b".txt", b".md", b".TXT", b""])
    if name.strip(b".") == b"":
        name = b"f" + name
    return name, _base().encode()


CATEGORIES = {
    "text_mutation": text_mutation,
    "encoding": encoding,
    "binary": binary,
    "html_table": html_table,
    "html_page": html_page,
    "layout_text": layout_text,
    "pipe_table": pipe_table,
    "repetition": repetition,
    "pdf": pdf,
    "file_name": file_name,
}


def huge(rng: random.Random) -> tuple[bytes, bytes]:
    """Inputs of 10-50 MB (bench/fuzz.py --huge only: too big for CI)."""
    kind = rng.randrange(5)
    text = _base()
    if kind == 0:  # a report repeated to just under the text size limit
        return b"repeated.txt", ((text + "\n") * (15 * 1048576 // len(text.encode()))).encode()
    if kind == 1:  # over the size limit
        return b"big.txt", (text + "\n").encode() * (50 * 1048576 // len(text.encode()))
    if kind == 2:  # every table row repeated until the line limit
        lines = text.split("\n")
        out = []
        for line in lines:
            out.extend([line] * (300 if "\t" in line else 1))
        return b"rows.txt", "\n".join(out).encode()
    if kind == 3:  # a million short lines
        return b"lines.txt", "一\n".encode() * 1_000_000
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(_pdf())
    dst = pdfium.PdfDocument.new()
    for _ in range(rng.choice([20, 100])):
        dst.import_pages(src)
    import io

    buf = io.BytesIO()
    dst.save(buf)
    return b"pages.pdf", buf.getvalue()


HUGE = {"huge": huge}
