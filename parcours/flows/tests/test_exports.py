"""`parcours export flows`: HXL that libhxl reads and validates, counts files, formula-safe cells."""

import csv
import io

import hxl
import pytest
from django.core.management import call_command

from parcours.flows.exports import flows_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(record):
    record(10, date="2024-03-01")
    record(4, date="2024-03-01", sex="F")
    record(6, date="2024-03-01", sex="F", age_group="0-17")
    record(3, date="2024-03-02", direction="out", nationality="ML", destination="DZ")


def test_hxl_export_validates_with_libhxl(counted, tmp_path):
    out = tmp_path / "flows.csv"
    call_command("export", "flows", "--format", "hxl", "--out", str(out))
    source = hxl.data(str(out), hxl.InputOptions(allow_local=True))
    report = hxl.validate(source)
    assert report["is_valid"], report
    rows = list(hxl.data(str(out), hxl.InputOptions(allow_local=True)))
    first = next(r for r in rows if r.get("#date") == "2024-03-01")
    assert first.get("#affected+total") == "20" and first.get("#affected+m") == "10"
    assert first.get("#affected+f") == "10" and first.get("#affected+f+children") == "6"
    assert first.get("#adm1+name") == "Gao" and first.get("#adm1+code") == "ML07"
    assert first.get("#loc+code") == "GAO-FMP" and first.get("#country+code") == "GN"
    out_row = next(r for r in rows if r.get("#date") == "2024-03-02")
    assert out_row.get("#country+code+destination") == "DZ" and out_row.get("#meta+direction") == "out"


def test_counts_file_has_the_api_field_names_and_is_scoped(counted, world, kidal_enumerator):
    data, rows = flows_export(world.user("me.iom"), fmt="csv", start="2024-03-02")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == ["point", "date", "direction", "nationality", "sex", "age_group", "transport", "reason",
                        "origin", "destination", "count"]
    assert rows == 1 and lines[1][0] == "GAO-FMP" and lines[1][-1] == "3"
    assert flows_export(kidal_enumerator, fmt="csv")[1] == 0
    xlsx, n = flows_export(world.user("me.iom"), fmt="xlsx")
    assert n == 4 and xlsx.startswith(b"PK")
