"""Every CSV and XLSX file Parcours writes goes through here, so no cell can become a live formula
when the file is opened in Excel, LibreOffice or Google Sheets (CSV/formula injection).

OWASP's rule: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
with a single quote, which spreadsheets show as text. XLSX cells are also stored as text (never as
formulas). Numbers, dates and booleans are written as they are. `unquote_cell` undoes the prefix when
a file Parcours wrote is read back (re-import of an export)."""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Also what a spreadsheet treats as the start of a formula after trimming, or a full-width `＝`.
_LEADING_NOISE = " \n\x0b\x0c\u00a0\u200b\ufeff"
_FULLWIDTH = ("\uff1d", "\uff0b", "\uff0d", "\uff20")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula."""
    stripped = text.lstrip(_LEADING_NOISE)
    return bool(stripped) and (stripped.startswith(FORMULA_START) or stripped.startswith(_FULLWIDTH))


def safe_cell(value):
    """A value safe to put in a spreadsheet cell: text is neutralised, numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | dt.date | dt.datetime):
        return value
    text = str(value)
    return "'" + text if formula_like(text) else text


def safe_row(row: Iterable) -> list:
    return [safe_cell(v) for v in row]


def unquote_cell(text: str) -> str:
    """The value Parcours exported as `safe_cell(value)`, when a file is read back."""
    if text.startswith("'") and formula_like(text[1:]):
        return text[1:]
    return text


class SafeCsvWriter:
    """`csv.writer` with every cell neutralised."""

    def __init__(self, fh, *args, **kwargs):
        self._writer = csv.writer(fh, *args, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def safe_csv_writer(fh, *args, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(fh, *args, **kwargs)


def csv_bytes(header: Iterable | None, rows: Iterable[Iterable], *, bom: bool = True) -> bytes:
    """A CSV file (UTF-8, with a BOM by default so Excel reads accents) with every cell neutralised."""
    buffer = io.StringIO()
    writer = safe_csv_writer(buffer)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8", errors="replace")


class SafeXlsxWriter:
    """A streamed XLSX workbook (openpyxl's write-only mode: rows go to temporary files as they
    come, so memory stays flat whatever the number of rows), every text cell neutralised and typed
    as text. Sheets may be appended to in any order; `save(fh)` writes the file."""

    def __init__(self):
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)
        self._sheets: dict = {}

    def sheet(self, title: str, header: Iterable | None = None):
        sheet = self._book.create_sheet(title[:31])
        self._sheets[title] = sheet
        if header is not None:
            self.append(title, header)
        return sheet

    def append(self, title: str, row: Iterable) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        sheet = self._sheets[title]
        out = []
        for value in safe_row(row):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never "f" (formula), whatever the text
            out.append(cell)
        sheet.append(out)

    def save(self, fh) -> None:
        self._book.save(fh)


def xlsx_bytes(sheets: dict[str, tuple[Iterable, Iterable[Iterable]]]) -> bytes:
    """An XLSX workbook, {sheet title: (header, rows)}; text cells are neutralised and typed as text."""
    book = SafeXlsxWriter()
    for title, (header, rows) in sheets.items():
        book.sheet(title, header)
        for row in rows:
            book.append(title, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


UPLOAD_MAX_BYTES = 5 * 1024 * 1024


def checked_upload(upload):
    """A spreadsheet sent through an import page: at most 5 MB, CSV or XLSX (the form field's error)."""
    if upload.size > UPLOAD_MAX_BYTES:
        raise forms.ValidationError(gettext_lazy("The file is larger than 5 MB."))
    if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise forms.ValidationError(gettext_lazy("Send a CSV or XLSX file."))
    return upload
