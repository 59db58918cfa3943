import re
import stat
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Organisation, User
from cases.models import Beneficiary


def test_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")


def test_demo_is_idempotent_and_keeps_the_password_it_printed(db, capsys, monkeypatch, tmp_path):
    # As `make run` runs it: no DEMO_PASSWORD, the password kept beside the database.
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    password_file = tmp_path / "db.sqlite3.demo-password"

    call_command("load_demo", "--force", "--password-file", str(password_file))
    counts = (Organisation.objects.count(), User.objects.count(), Beneficiary.objects.count())
    first = capsys.readouterr().out
    call_command("load_demo", "--force", "--password-file", str(password_file))
    second = capsys.readouterr().out

    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Beneficiary.objects.count(),
    ) == counts
    assert counts[0] == 4
    assert Membership.objects.count() == 4 * 3 + 3
    assert "caseworker@betania.example" in first
    password = re.search(r"^Password: (\S+)$", first, re.MULTILINE).group(1)
    assert f"Password: {password}" in second
    assert password_file.read_text().strip() == password
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert User.objects.get(email="programme@nextsteps.example").check_password(password)


def test_make_run_keeps_the_demo_password_and_serves_on_the_port_asked():
    dry_run = subprocess.run(
        ["make", "-n", "demo", "serve", "PORT=8080"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "load_demo --password-file db.sqlite3.demo-password" in dry_run
    assert "runserver 127.0.0.1:8080" in dry_run


def test_demo_aliases_are_generated_not_names_from_the_reports(db):
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115

    legal_names = [
        name for name in Beneficiary.objects.values_list("legal_name", flat=True) if name
    ]
    assert len(legal_names) > 100
    assert all(name.startswith("Demo ") for name in legal_names)
