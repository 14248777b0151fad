"""Reading a table that people upload (CSV or XLSX) line by line, for every import of the system.

An XLSX workbook is recognised by its content (a zip archive), whatever the file is called (a file named .xlsx
that is not one is refused); anything else is read as CSV text in UTF-8 (with or without a byte-order mark)
or, failing that, Windows-1251 (spreadsheets saved on Windows in Russian), separated by semicolons when its
first line has more of them than commas (as Excel writes CSV in Kazakh and Russian settings). Each import checks its own header and cells.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

ENCODINGS = ("utf-8-sig", "cp1251")
XLSX_MAGIC = b"PK\x03\x04"
# What a damaged file can raise while it is read; an import reports it as an unreadable file.
READ_ERRORS = (csv.Error, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError)


def too_large(max_bytes: int) -> str:
    """The refusal of an upload over `max_bytes`, in the user's language (every import says it the same way)."""
    return _("The file is larger than %(mb)s MB; split it.") % {"mb": max_bytes // 2**20}


class TableFileError(ValueError):
    """The file is neither a readable XLSX workbook nor CSV text: the message says which, in the user's language."""


def table_lines(data: bytes, filename: str = "") -> Iterator[tuple[int, list[Any]]]:
    """The file's rows with their line numbers (CSV: the line a row ends on; XLSX: the row number) and their
    cells as stored (XLSX: numbers, dates and None as openpyxl gives them; CSV: text). The first sheet only.
    A file named .xlsx that is not a workbook is refused rather than read as text."""
    if data[:4] == XLSX_MAGIC:
        return _xlsx_lines(data)
    if filename.lower().endswith(".xlsx"):
        raise TableFileError(_("The file is not a readable XLSX workbook."))
    return _csv_lines(data)


def readable_as_table(data: bytes, filename: str = "") -> bool:
    """Whether `table_lines` reads the file at all, by the same rule: a workbook by its content, else text in
    one of ENCODINGS, never a non-workbook named .xlsx. An upload is checked with it before a job is started; a
    damaged workbook is found only when it is read."""
    if data[:4] == XLSX_MAGIC:
        return True
    return not filename.lower().endswith(".xlsx") and decoded_text(data) is not None


def decoded_text(data: bytes) -> str | None:
    """The bytes as text in the first of ENCODINGS that decodes them (UTF-8, then Windows-1251), or None."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = decoded_text(data)
    if text is None:
        raise TableFileError(_("The file is neither an XLSX workbook nor text in UTF-8 or Windows-1251."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for cells in reader:
        yield reader.line_num, list(cells)


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except READ_ERRORS:
        raise TableFileError(_("The file is not a readable XLSX workbook.")) from None
    try:
        if not book.worksheets:
            return
        for line, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield line, list(cells)
    finally:
        book.close()
