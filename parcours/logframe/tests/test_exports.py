"""The IATI activity validates against the official 2.03 schema; the HXL export reads back."""

import datetime as dt
from pathlib import Path

import hxl
import pytest
from django.core.management import call_command
from lxml import etree

from parcours.logframe.demo import load_demo_logframe

pytestmark = pytest.mark.django_db
# shared/ sits beside the repository (as in CI): the schema is data the project does not copy.
SCHEMA = Path(__file__).resolve().parents[3].parent / "shared" / "standards" / "iati-2.03" / "iati-activities-schema.xsd"


def test_iati_activity_is_valid_and_carries_results(world, paid_world, tmp_path):
    load_demo_logframe()
    out = tmp_path / "iati.xml"
    call_command("report", "iati", "--out", str(out))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log
    assert doc.findtext("iati-activity/iati-identifier") == "XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-07"
    reint = next(i for i in doc.iter("indicator") if i.findtext("title/narrative").startswith("OS2.reintegration"))
    actual_2024 = next(p for p in reint.iter("period") if p.find("period-start").get("iso-date") == "2024-01-01")
    totals = [a.get("value") for a in actual_2024.findall("actual") if a.find("dimension") is None]
    assert totals == ["3"]  # hand-counted in test_indicators
    assert reint.findall("period")[-1].find("target").get("value") == "9000"
    assert doc.find("iati-activity/budget/value").text == "15000000"


def test_hxl_export_reads_back_with_libhxl(world, paid_world, tmp_path):
    out = tmp_path / "indicators.csv"
    call_command("export", "indicators", "--format", "hxl", "--from", "2024-01-01", "--to", "2024-12-31",
                 "--out", str(out))
    rows = list(hxl.data(str(out), hxl.InputOptions(allow_local=True)))
    reint = [r for r in rows if r.get("#indicator+code") == "OS2.reintegration_supported"]
    total = next(r for r in reint if not r.get("#indicator+disaggregation"))
    assert total.get("#reached+num") == "3" and total.get("#targeted+num") == "9000"
    europe = next(r for r in reint if r.get("#indicator+disaggregation+value") == "europe")
    assert europe.get("#reached+num") == "1"
    assert dt.date.fromisoformat(total.get("#date+end")) == dt.date(2024, 12, 31)
