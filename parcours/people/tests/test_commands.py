"""The command line acts through the same services as the pages: `--as` a user without the role
is refused by the service, whatever the command."""

import pytest
from django.core.management import CommandError, call_command

from parcours.people.models import ExternalReference, Person

MANIFEST = ("record_id,given_name,family_name,sex,birth_year,origin_region,return_date,returned_from\n"
            "P1,Mamadou,Traoré,M,1994,Kayes,2019-10-03,LY\n")


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "flight.csv"
    path.write_text(MANIFEST, encoding="utf-8")
    return str(path)


def test_import_as_an_importer_pre_registers(world, manifest, capsys):
    call_command("import", "people", manifest, "--flight", "LY-1", "--as", "reception.bamako")
    assert ExternalReference.objects.filter(system="manifest:LY-1").count() == 1
    assert "created=1" in capsys.readouterr().out


@pytest.mark.parametrize("username", ["caseworker.kayes", "partner.cfpm", "auditor", "manager.eu", "me.iom"])
def test_import_as_a_user_without_the_importer_role_is_refused(world, manifest, username):
    with pytest.raises(CommandError):
        call_command("import", "people", manifest, "--flight", "LY-2", "--as", username)
    assert not Person.objects.exists()


def test_import_as_an_unknown_or_inactive_user_is_refused(world, manifest):
    user = world.user("reception.bamako")
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="no active user"):
        call_command("import", "people", manifest, "--flight", "LY-3", "--as", "reception.bamako")
    with pytest.raises(CommandError, match="no active user"):
        call_command("import", "people", manifest, "--flight", "LY-3", "--as", "nobody")
    assert not Person.objects.exists()


def test_export_as_a_partner_is_refused(world, make_person, tmp_path):
    make_person()
    out = tmp_path / "people.csv"
    with pytest.raises(CommandError):
        call_command("export", "people", "--as", "partner.cfpm", "--out", str(out))
    assert not out.exists()
    call_command("export", "people", "--as", "me.iom", "--out", str(out))
    assert "Traoré" in out.read_text(encoding="utf-8-sig")
