"""Import of a point's day sheets (XLSX): all rows checked first, nothing written when one is
wrong (row and column named), re-import records nothing, scope by point and by role."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Sum

from parcours.core.errors import Forbidden, NotFound
from parcours.facts.models import Fact
from parcours.flows.imports import import_flow_sheets
from parcours.flows.models import Count

pytestmark = pytest.mark.django_db

HEAD = ["Date", "Sens", "Nationalité", "Sexe", "Tranche d'âge", "Moyen de transport", "Motif du voyage",
        "Provenance", "Destination", "Nombre"]
ROWS = [
    ["03/03/2024", "Entrée", "Guinée", "H", "18-59", "Bus", "Économique", "GN", "", 7],
    ["03/03/2024", "Sortie", "Mali", "F", "0-17", "Camion", "Familial", "", "Algérie", 2],
    ["03/03/2024", "Sortie", "ML", "H", "18-59", "Camion", "Économique", "", "DZ", 11],
    ["04/03/2024", "Entrée", "Côte d'Ivoire", "Femme", "60 ans et plus", "à pied", "Autre", "", "", 1],
]


def xlsx(rows, head=HEAD) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(head)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(world, username="enumerator.gao", rows=ROWS, point="GAO-FMP", **kw):
    return import_flow_sheets(by=world.user(username), content=xlsx(rows, **kw), filename="gao.xlsx", point=point)


def test_good_file_records_every_line_with_its_fact(world, points):
    report = run(world)
    assert report["errors"] == [] and report["created"] == 4 and report["days"] == 2
    lines = Count.objects.filter(point__code="GAO-FMP", live=True)
    assert lines.aggregate(n=Sum("count"))["n"] == 21
    assert set(lines.values_list("day", "direction", "nationality", "sex", "age_group", "transport", "reason",
                                 "origin", "destination", "count")) == {
        (d(3), "in", "GN", "M", "18-59", "bus", "economic", "GN", "", 7),
        (d(3), "out", "ML", "F", "0-17", "truck", "family", "", "DZ", 2),
        (d(3), "out", "ML", "M", "18-59", "truck", "economic", "", "DZ", 11),
        (d(4), "in", "CI", "F", "60+", "on_foot", "other", "", "", 1)}
    facts = Fact.objects.filter(kind="flows.counted")
    assert facts.count() == 4 and facts.aggregate(n=Sum("quantity"))["n"] == 21
    assert all(c.fact_id and c.recorded_by.username == "enumerator.gao" for c in lines)


def d(day):
    import datetime as dt

    return dt.date(2024, 3, day)


def test_english_field_names_and_an_exported_file_import_back(world, points):
    from parcours.flows.exports import flows_export

    run(world)
    data, _n = flows_export(world.user("me.iom"), fmt="xlsx")
    Count.objects.all().delete()
    Fact.objects.all().delete()
    report = import_flow_sheets(by=world.user("me.iom"), content=data, filename="export.xlsx")
    assert report["errors"] == [] and report["created"] == 4
    assert Count.objects.aggregate(n=Sum("count"))["n"] == 21


def test_a_bad_row_writes_nothing_and_names_row_and_column(world, points):
    rows = [*ROWS[:2], ["03/03/2024", "Sortie", "Wakanda", "H", "18-59", "Camion", "Économique", "", "DZ", "onze"]]
    report = run(world, rows=rows)
    assert report["created"] == 0 and Count.objects.count() == 0 and Fact.objects.count() == 0
    assert {(e["row"], e["field"]) for e in report["errors"]} == {(4, "Nationalité"), (4, "Nombre")}
    assert "Nothing was imported" in report["message"] or "Rien" in report["message"]


def test_errors_are_in_french_and_english(world, points):
    from django.utils import translation

    rows = [["03/03/2024", "Sortie", "ML", "X", "18-59", "Camion", "Économique", "", "DZ", 3]]
    with translation.override("fr"):
        fr = run(world, rows=rows)
    with translation.override("en"):
        en = run(world, rows=rows)
    assert fr["errors"][0]["field"] == en["errors"][0]["field"] == "Sexe" and fr["errors"][0]["row"] == 2
    assert fr["errors"][0]["messages"] != en["errors"][0]["messages"]
    assert fr["message"].startswith("Rien") and en["message"].startswith("Nothing")


def test_a_row_repeating_another_is_named(world, points):
    report = run(world, rows=[ROWS[0], ROWS[1], ROWS[0]])
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(4, "Nombre")]
    assert Count.objects.count() == 0


def test_reimporting_the_same_file_records_nothing(world, points):
    run(world)
    again = run(world)
    assert again["created"] == 0 and again["errors"] == [] and again["days_already"] == 2
    assert Count.objects.count() == 4 and Fact.objects.filter(kind="flows.counted").count() == 4
    # A file that says something else about a day already counted is refused, not merged.
    changed = [[*ROWS[0][:9], 8], *ROWS[1:]]
    report = run(world, rows=changed)
    assert report["created"] == 0 and [(e["row"], e["field"]) for e in report["errors"]] == [(2, "Date")]
    assert Count.objects.aggregate(n=Sum("count"))["n"] == 21


def test_another_points_enumerator_is_refused(world, points, kidal_enumerator):
    with pytest.raises(NotFound):
        run(world, "enumerator.kidal")
    # Naming the point in a column instead: the row is refused, nothing written either.
    report = run(world, "enumerator.kidal", rows=[["GAO-FMP", *ROWS[0]]], point="", head=["Point", *HEAD])
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, "Point")]
    assert Count.objects.count() == 0


def test_users_of_other_roles_and_agencies_are_refused(world, points, web_client):
    for username in ("focal.sikasso", "partner.cfpm", "caseworker.ajdm", "reception.bamako"):
        with pytest.raises(Forbidden):
            run(world, username)
        upload = SimpleUploadedFile("gao.xlsx", xlsx(ROWS))
        assert web_client(username).post("/flows/import/", {"point": "GAO-FMP", "file": upload}).status_code == 404
    assert Count.objects.count() == 0


def test_upload_page_runs_a_job_and_shows_the_rows_to_correct(world, points, web_client,
                                                             django_capture_on_commit_callbacks):
    client = web_client("enumerator.gao")
    page = client.get("/flows/import/")
    assert page.status_code == 200 and "GAO-FMP" in page.content.decode()
    assert "KID-FMP" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/flows/import/", {"point": "GAO-FMP", "file": SimpleUploadedFile("g.xlsx", xlsx(ROWS))})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "4 lignes enregistrées" in html and Count.objects.count() == 4
    bad = [["03/03/2025", "Sortie", "ML", "H", "18-59", "Fusée", "Économique", "", "DZ", 3]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/flows/import/", {"point": "GAO-FMP", "file": SimpleUploadedFile("b.xlsx", xlsx(bad))})
    html = client.get(response["Location"]).content.decode()
    assert "Moyen de transport" in html and Count.objects.count() == 4
    # Another point: not offered, and refused when posted.
    response = client.post("/flows/import/", {"point": "KID-FMP", "file": SimpleUploadedFile("k.xlsx", xlsx(ROWS))})
    assert response.status_code == 200 and Count.objects.count() == 4


def test_cli_imports_a_file_once(world, points, tmp_path):
    path = tmp_path / "gao.xlsx"
    path.write_bytes(xlsx(ROWS))
    out = io.StringIO()
    call_command("import", "flows", str(path), "--point", "GAO-FMP", "--as", "enumerator.gao", stdout=out)
    assert "created=4" in out.getvalue()
    out = io.StringIO()
    call_command("import", "flows", str(path), "--point", "GAO-FMP", "--as", "enumerator.gao", stdout=out)
    assert "created=0 already_present=4" in out.getvalue() and Count.objects.count() == 4
    with pytest.raises(CommandError):
        call_command("import", "flows", str(path), "--point", "GAO-FMP", "--as", "focal.sikasso")
