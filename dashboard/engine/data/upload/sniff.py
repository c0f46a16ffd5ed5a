"""What is in these bytes? Magic numbers, encodings, and text that is not a table.

The extension of an uploaded file picks the reader, but the content must agree: a pickle renamed
to .csv is still a pickle (refused, never opened), and an .xlsx that is no ZIP archive is refused.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Literal

from dashboard.engine.data.upload.problems import Problem, Rejected

Format = Literal["text", "xlsx", "parquet"]

EXTENSIONS: dict[str, Format] = {
    ".csv": "text",
    ".tsv": "text",
    ".txt": "text",
    ".tab": "text",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
}
PICKLE_EXTENSIONS = frozenset({".pkl", ".pickle", ".joblib", ".sav", ".pt", ".pth", ".npz"})
"""Names of files that are (or hold) Python pickles: refused by name, whatever their bytes."""
ACCEPTED = "CSV, TSV, TXT, XLSX or Parquet"

_SAVE_AS = f"Save the table as {ACCEPTED} and upload that."
_PICKLE = (
    "it is a Python pickle (a serialised object). Opening a pickle can run any code, so it is "
    "never opened here"
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PAR1", "parquet"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or password-protected Office file"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"\x89HDF", "an HDF5 file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x93NUMPY", "a NumPy array file"),
    (b"ARROW1", "an Arrow/Feather file (save it as Parquet)"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"{\\rtf", "a rich-text (RTF) document"),
)
_DESCRIBED = {
    "text": "text (like CSV)",
    "xlsx": "a ZIP archive (like an Excel workbook)",
    "parquet": "a Parquet file",
}
_PICKLE_TEXT = re.compile(rb"\A\s*(\((dp|lp|tp|i)\d*\n|c[\w.]+\n[\w.]+\n)")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_SHARE = 0.01
_CONTROL_MIN = 8


def safe_title(filename: str) -> str:
    """The file's own name, without folders or control characters: a label, never a path."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    name = name.lstrip(".").strip()
    return name[:120] or "upload"


def sniff_format(content: bytes, title: str) -> Format:
    """The reader for `content`, or Rejected with the reason it is not a table we read."""
    found = _magic(content)
    extension = PurePosixPath(title.lower()).suffix
    if extension in PICKLE_EXTENSIONS:
        found = _PICKLE
    wanted = EXTENSIONS.get(extension)
    if found not in (None, "zip", "parquet"):
        raise Rejected(f"The file is not a table: {found}. {_SAVE_AS}")
    by_content: Format = {"zip": "xlsx", "parquet": "parquet", None: "text"}[found]
    if wanted is None:
        if extension and by_content == "text":
            raise Rejected(f"Files ending in '{extension}' are not read here. {_SAVE_AS}")
        return by_content
    if wanted != by_content:
        raise Rejected(
            f"The file is named '{title}' but its content is "
            f"{_DESCRIBED[by_content]}, not {_DESCRIBED[wanted]}. "
            "Give it the right extension or save it again in that format."
        )
    return wanted


def _magic(content: bytes) -> str | None:
    """A name for binary content recognised by its first bytes; None for possible text."""
    if len(content) >= 2 and content[0] == 0x80 and 2 <= content[1] <= 5:
        return _PICKLE
    if _PICKLE_TEXT.match(content[:200]) and content.rstrip().endswith(b"."):
        return _PICKLE
    for magic, name in _MAGIC:
        if content.startswith(magic):
            return name
    return None


def decode_text(content: bytes) -> tuple[str, list[Problem]]:
    """Decode a text table: by its BOM (UTF-16/32), else UTF-8, else Latin-1 line by line.

    Returns the text and warnings (e.g. mixed encodings); Rejected for binary content.
    """
    content = content.removeprefix(codecs.BOM_UTF8)
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                return _check_controls(codecs.decode(content, encoding)), []
            except UnicodeDecodeError as err:
                raise Rejected(
                    f"The file starts with a {encoding.upper()} byte-order mark but byte "
                    f"{err.start + 1:,} is not valid {encoding.upper()}: save it again as UTF-8."
                ) from None
    nul = content.find(b"\x00")
    if nul >= 0:
        raise Rejected(_nul_reason(content, nul))
    try:
        return _check_controls(content.decode("utf-8")), []
    except UnicodeDecodeError:
        text, warnings = _decode_lines(content)
        return _check_controls(text), warnings


def _nul_reason(content: bytes, nul: int) -> str:
    pairs = content[: 2 * 4096]
    if pairs[1::2].count(0) > 0.4 * len(pairs) / 2 or pairs[0::2].count(0) > 0.4 * len(pairs) / 2:
        return (
            "The file looks like UTF-16 text without a byte-order mark; save it as UTF-8 "
            "(or UTF-16 with a byte-order mark)."
        )
    return (
        f"The file contains a NUL byte (at byte {nul + 1:,}): it is binary, not a text table. "
        + _SAVE_AS
    )


def _decode_lines(content: bytes) -> tuple[str, list[Problem]]:
    """Decode each line as UTF-8 if it is, else as Windows-1252/Latin-1; warn when mixed."""
    lines, latin, utf8_accents = [], [], False
    for number, line in enumerate(content.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
            utf8_accents = utf8_accents or not line.isascii()
        except UnicodeDecodeError:
            lines.append(_decode_8bit(line))
            latin.append(number)
    warnings = []
    if utf8_accents:
        shown = ", ".join(map(str, latin[:10])) + (" ..." if len(latin) > 10 else "")
        warnings.append(
            Problem(
                None,
                None,
                f"The file mixes encodings: line(s) {shown} were read as Latin-1 (Windows-1252), "
                "the others as UTF-8. Check accented names; saving the file as UTF-8 avoids this.",
            )
        )
    return "\n".join(lines), warnings


def _decode_8bit(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:
        return line.decode("latin-1")


def _check_controls(text: str) -> str:
    """Refuse text full of control characters (binary data decoded as text); drop a final ^Z."""
    text = text.removeprefix("\ufeff").rstrip("\x1a")
    controls = len(_CONTROLS.findall(text))
    if controls > max(_CONTROL_SHARE * len(text), _CONTROL_MIN):
        raise Rejected(
            f"The file holds {controls:,} control characters: it looks binary, not a text table. "
            + _SAVE_AS
        )
    return text


def not_a_table(text: str) -> str | None:
    """Why decoded text is markup or JSON rather than a table, or None."""
    head = text.lstrip()[:200].lower()
    if head.startswith("<"):
        kind = "an HTML page" if re.match(r"<(!doctype html|html|head|body)", head) else None
        kind = kind or ("an XML document" if head.startswith("<?xml") else "HTML or XML markup")
        return f"The file is not a table: it is {kind}. {_SAVE_AS}"
    stripped = text.strip()
    if stripped.startswith("{") or (stripped.startswith("[") and stripped.endswith("]")):
        return (
            "The file is not a table: it looks like JSON. Save the table as CSV (one row per "
            "line, a header line with the column names) and upload that."
        )
    return None
