"""The people file (CONTRACT.md "People"): CSV or XLSX, one person a row, the contract's headers — read
by `parcours import people` and `parcours dedupe`, written by the people export. In core because
both the registry (people) and matching read it, and matching imports nothing from people."""

import csv
import io

from django.utils.translation import gettext as _

from .errors import ValidationFailed
from .spreadsheets import unquote_cell

PEOPLE_FILE_FIELDS = [
    "record_id", "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "phone",
    "nationality", "origin_region", "origin_cercle", "origin_commune", "id_document_type", "id_document_number",
    "return_date", "returned_from",
]


def read_people_file(content: bytes, filename: str) -> list[tuple[int, dict]]:
    """(line number, row) pairs; line numbers as a spreadsheet shows them (header is line 1)."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(content)
    try:
        header = [str(h or "").strip().lower() for h in next(rows)]
    except StopIteration:
        raise ValidationFailed({"file": [_("The file is empty.")]}) from None
    unknown = [h for h in header if h and h not in PEOPLE_FILE_FIELDS]
    if unknown:
        raise ValidationFailed({"file": [_("Unknown columns: %(cols)s. Expected: %(expected)s.") % {
            "cols": ", ".join(unknown), "expected": ", ".join(PEOPLE_FILE_FIELDS)}]})
    if not {"given_name", "family_name"} & set(header):
        raise ValidationFailed({"file": [_("The file needs a given_name or family_name column.")]})
    out = []
    for line, values in enumerate(rows, start=2):
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
        if any(row.values()):
            out.append((line, row))
    return out


def spreadsheet_rows(content: bytes, filename: str):
    """The rows of a CSV or XLSX file as lists of cell values (header first), for other readers
    of spreadsheets people keep (a flow point's day sheets)."""
    return _xlsx_rows(content) if filename.lower().endswith((".xlsx", ".xlsm")) else _csv_rows(content)


def cell_text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD, whole numbers without '.0', exported quoting undone."""
    return _cell(value)


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # A file Parcours exported has its formula-like cells quoted ('+22376…): read the value back.
    return unquote_cell(str(value).strip())


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")  # spreadsheets saved on Windows in French
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return iter(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parse failure is the user's file, not our bug
        raise ValidationFailed({"file": [_("This is not a readable XLSX file.")]}) from None
    return iter(book.active.iter_rows(values_only=True))
