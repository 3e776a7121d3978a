"""Show text from documents and file names without letting it act on the reader's screen.

A report can carry any character: terminal escape sequences (ESC [ ... which recolour,
move the cursor or retitle the window), other C0/C1 controls, and the bidirectional
overrides that make text read differently from how it is stored. Wherever such text
is shown — the text report, CLI messages, spreadsheet cells — it is escaped visibly
(`\\x1b`, `\\u202e`), so a reader sees that the character is there and nothing acts on it.
"""

from __future__ import annotations

import re

from .patterns import lazy_compile

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# the line/paragraph separators (they break lines in some terminals but not in others).
_UNSAFE = lazy_compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")
_UNSAFE_ONE_LINE = lazy_compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character escaped except tab and newline."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """`text` escaped for a one-line message: newlines and tabs escaped too."""
    return _UNSAFE_ONE_LINE.sub(_escape, text) if _UNSAFE_ONE_LINE.search(text) else text


def path_text(path) -> str:
    """A file name for a message: undecodable bytes (a GBK name on a UTF-8 system) and
    control characters escaped, never a UnicodeEncodeError on the way to the terminal."""
    text = path if isinstance(path, str) else str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes the file system could not decode, kept as surrogates
        raw = text.encode("utf-8", "surrogateescape")
        try:
            text = raw.decode("gb18030")  # names from a Chinese Windows zip are GBK
        except UnicodeDecodeError:
            text = raw.decode("utf-8", "backslashreplace")
    return one_line(text)
