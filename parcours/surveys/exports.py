"""A form's answers as a spreadsheet, with KoboToolbox's conventions, so the files the field teams
already analyse keep their shape:

- one column per question, named by its group path (`location/commune`), in the form's order;
- then `_id`, `_uuid` (the instanceID without `uuid:`), `_submission_time` (when the server
  received it, UTC), `_submitted_by`, `__version__`, `_index` (the row's number);
- each repeat group is a table of its own (an XLSX sheet named after the repeat; in CSV, ask for
  it by name) with `_index`, `_parent_table_name`, `_parent_index` (the `_index` of the row it
  belongs to), `_submission__id`, `_submission__uuid` and `_submission__submission_time`.

Edits replace what they edit (only the latest answer is exported). Streamed: submissions are read
from the database in chunks and written as they come (CSV: an iterator of lines; XLSX: openpyxl's
write-only workbook spilling to temporary files), so memory stays flat whatever the number of
answers. Every cell goes through parcours.core.spreadsheets (no cell can run as a formula)."""

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from parcours.audit.services import log_export
from parcours.core.errors import NotFound, ValidationFailed
from parcours.core.spreadsheets import SafeXlsxWriter, safe_row

from .models import Form, Submission
from .policies import can_read_answers, submissions_visible_to
from .xform import _local

MAIN = "data"
META = ["_id", "_uuid", "_submission_time", "_submitted_by", "__version__", "_index"]
REPEAT_META = ["_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid",
               "_submission__submission_time"]
CHUNK = 2000


@dataclass
class Table:
    name: str  # MAIN, or the repeat's path ("member", "member/job")
    parent: str | None
    columns: list[str] = field(default_factory=list)


def _repeat_paths(root) -> set[str]:
    prefix = f"/{MAIN}/"
    return {el.get("nodeset", "")[len(prefix):] for el in root.iter() if _local(el.tag) == "repeat"
            and el.get("nodeset", "").startswith(prefix)}


def form_tables(xform: str) -> dict[str, Table]:
    """The tables of a form, {name: Table}, main first, columns in the form's order (meta excluded)."""
    root = fromstring(xform.encode("utf-8"))
    repeats = _repeat_paths(root)
    instance = next(el for el in root.iter() if _local(el.tag) == "instance" and len(el))[0]
    tables = {MAIN: Table(MAIN, None)}

    def walk(el, prefix: str, table: Table) -> None:
        seen = set()
        for child in el:
            name = _local(child.tag)
            if name in seen or (table.name == MAIN and prefix == "" and name == "meta"):
                continue  # pyxform writes a repeat twice (its template and a first instance)
            seen.add(name)
            path = prefix + name
            if path in repeats:
                tables[path] = Table(path, table.name)
                walk(child, path + "/", tables[path])
            elif len(child):
                walk(child, path + "/", table)
            else:
                table.columns.append(path)

    walk(instance, "", tables[MAIN])
    return tables


def _merge(into: dict[str, Table], other: dict[str, Table]) -> None:
    """Columns of an older version that the latest no longer asks are kept, after the others."""
    for name, table in other.items():
        if name not in into:
            into[name] = Table(name, table.parent, list(table.columns))
            continue
        known = set(into[name].columns)
        into[name].columns += [c for c in table.columns if c not in known]


def _uuid(instance_id: str) -> str:
    return instance_id.removeprefix("uuid:")


def submission_rows(xml: str, tables: dict[str, Table], meta: dict, counters: dict[str, int]) -> Iterator[tuple]:
    """(table name, row) for one submission: its main row and one row per repeat instance."""
    try:
        root = fromstring(xml.encode("utf-8"))
    except Exception:  # noqa: BLE001 - a stored answer that no longer parses: its meta alone
        root = None
    counters[MAIN] += 1
    main_index = counters[MAIN]
    values: dict[str, str] = {}
    pending: list[tuple] = []

    def walk(el, prefix: str, table: Table, into: dict, parent_index: int) -> None:
        for child in el:
            name = _local(child.tag)
            path = prefix + name
            if path in tables and path != MAIN:
                counters[path] = counters.get(path, 0) + 1
                index = counters[path]
                row: dict[str, str] = {}
                walk(child, path + "/", tables[path], row, index)
                pending.append((path, [row.get(c, "") for c in tables[path].columns]
                                + [index, table.name, parent_index, meta["_id"], meta["_uuid"],
                                   meta["_submission_time"]]))
            elif len(child):
                if not (table.name == MAIN and prefix == "" and name == "meta"):
                    walk(child, path + "/", table, into, parent_index)
            else:
                into[path] = (child.text or "").strip()

    if root is not None:
        walk(root, "", tables[MAIN], values, main_index)
    yield MAIN, [values.get(c, "") for c in tables[MAIN].columns] + [
        meta["_id"], meta["_uuid"], meta["_submission_time"], meta["_submitted_by"], meta["__version__"], main_index]
    yield from pending


@dataclass
class Export:
    by: object
    form: Form
    tables: dict[str, Table]
    rows: int

    def headers(self) -> dict[str, list[str]]:
        return {name: t.columns + (META if name == MAIN else REPEAT_META) for name, t in self.tables.items()}

    def _submissions(self):
        qs = (submissions_visible_to(self.by).filter(version__form=self.form, replaced_by__isnull=True)
              .order_by("received_at", "id")
              .values_list("id", "instance_id", "received_at", "xml", "submitted_by__username", "version__version"))
        for sid, instance_id, received_at, xml, username, version in qs.iterator(chunk_size=CHUNK):
            yield xml, {"_id": str(sid), "_uuid": _uuid(instance_id),
                        "_submission_time": received_at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat(),
                        "_submitted_by": username, "__version__": version}

    def rows_of(self) -> Iterator[tuple]:
        counters = dict.fromkeys(self.tables, 0)
        for xml, meta in self._submissions():
            yield from submission_rows(xml, self.tables, meta, counters)

    def csv_lines(self, table: str = MAIN) -> Iterator[bytes]:
        """The table as CSV (UTF-8 with a BOM, as Excel wants), one chunk of lines at a time."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(safe_row(self.headers()[table]))
        yield buffer.getvalue().encode("utf-8-sig")
        buffer.seek(0)
        buffer.truncate()
        n = 0
        for name, row in self.rows_of():
            if name != table:
                continue
            writer.writerow(safe_row(row))
            n += 1
            if n % 500 == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    def xlsx_file(self):
        """The workbook in a temporary file (rewound), a sheet per table."""
        book = SafeXlsxWriter()
        titles = {}
        for name, header in self.headers().items():
            titles[name] = _sheet_title(name, titles.values())
            book.sheet(titles[name], header)
        for name, row in self.rows_of():
            book.append(titles[name], row)
        out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        book.save(out)
        out.seek(0)
        return out


def _sheet_title(name: str, taken) -> str:
    # XLSX sheet names: 31 characters, no "/" (a nested repeat keeps its last name, as Kobo does).
    title = name.rsplit("/", 1)[-1][:31]
    base, n = title, 1
    while title in taken:
        n += 1
        title = f"{base[:28]}_{n}"
    return title


FORMATS = ("csv", "xlsx")


def answers_export(*, by, form_id: str, fmt: str, table: str = MAIN) -> Export:
    """Prepare the export of a form's answers for `by` (answer readers) and log it."""
    if not can_read_answers(by):
        raise NotFound()
    form = Form.objects.filter(form_id=form_id).first()
    if form is None:
        raise NotFound()
    if fmt not in FORMATS:
        raise ValidationFailed({"format": [_("Choose csv or xlsx.")]})
    versions = list(form.versions.all())
    if not versions:
        raise NotFound()
    tables = form_tables(versions[0].xml)
    for older in versions[1:]:
        if older.submissions.exists():
            _merge(tables, form_tables(older.xml))
    if table not in tables:
        raise ValidationFailed({"table": [_("This form has no repeat group of this name.")]})
    rows = submissions_visible_to(by).filter(version__form=form, replaced_by__isnull=True).count()
    log_export(user=by, model=Submission, filters={"form": form_id, "table": table}, rows=rows, fmt=fmt)
    return Export(by, form, tables, rows)


def response(export: Export, fmt: str, *, table: str = MAIN):
    """The HTTP response streaming the file (the web page and the API both answer with it)."""
    from django.http import FileResponse, StreamingHttpResponse

    name = export.form.form_id if table == MAIN else f"{export.form.form_id}-{table.replace('/', '-')}"
    if fmt == "csv":
        response = StreamingHttpResponse(export.csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    return FileResponse(export.xlsx_file(), as_attachment=True, filename=f"{name}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
