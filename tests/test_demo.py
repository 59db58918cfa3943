import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Organisation, User
from cases.models import Beneficiary


def test_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")


def test_demo_is_idempotent_and_prints_the_logins(db, capsys, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a demo password for tests")

    call_command("load_demo", "--force")
    counts = (Organisation.objects.count(), User.objects.count(), Beneficiary.objects.count())
    call_command("load_demo", "--force")

    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Beneficiary.objects.count(),
    ) == counts
    assert counts[0] == 4
    assert Membership.objects.count() == 4 * 3 + 3
    printed = capsys.readouterr().out
    assert "caseworker@betania.example" in printed
    assert "Password: a demo password for tests" in printed
    assert User.objects.get(email="programme@nextsteps.example").check_password(
        "a demo password for tests"
    )


def test_demo_aliases_are_generated_not_names_from_the_reports(db):
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115

    legal_names = [
        name for name in Beneficiary.objects.values_list("legal_name", flat=True) if name
    ]
    assert len(legal_names) > 100
    assert all(name.startswith("Demo ") for name in legal_names)
