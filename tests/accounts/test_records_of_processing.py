import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from accounts.enums import Role
from nextsteps.fields import EncryptedTextField
from nextsteps.records_of_processing import (
    ACTIVITIES,
    NO_PERSONAL_DATA,
    PROCESSING,
    personal_by_type,
    register,
    unclassified_models,
)
from tests.factories import make_member

MODELS = sorted(apps.get_models(), key=lambda model: model._meta.label_lower)


def test_every_table_is_declared_personal_or_not():
    assert unclassified_models() == [], "declare these tables in nextsteps/records_of_processing.py"
    assert set(PROCESSING) & set(NO_PERSONAL_DATA) == set()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label_lower)
def test_every_field_personal_by_its_type_is_declared(model):
    label = model._meta.label_lower
    personal = personal_by_type(model)
    if not personal:
        return
    assert label in PROCESSING, f"{label} holds personal data ({sorted(personal)})"
    assert personal <= set(PROCESSING[label])


def test_every_table_belongs_to_one_activity():
    labels = [label for activity in ACTIVITIES for label in activity.tables]

    assert len(labels) == len(set(labels))


def test_every_declared_field_exists_and_encrypted_fields_are_marked():
    tables = {table.label: table for entry in register() for table in entry.tables}

    assert set(tables) == set(PROCESSING)
    beneficiary_fields = {field.name: field for field in tables["cases.beneficiary"].fields}
    assert beneficiary_fields["legal_name"].encrypted
    assert beneficiary_fields["safety_reason"].encrypted
    assert not beneficiary_fields["alias"].encrypted


@isolate_apps("nextsteps")
def test_the_check_finds_a_new_table_with_personal_data():
    class Interview(models.Model):
        transcript = EncryptedTextField()
        interviewer = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
        room = models.CharField(max_length=10)

        class Meta:
            app_label = "nextsteps"

        def __str__(self):
            return self.room

    assert personal_by_type(Interview) == {"transcript", "interviewer"}


def test_the_data_protection_officer_reads_the_records_of_processing(db, client_of):
    page = client_of(make_member(Role.DATA_PROTECTION_OFFICER)).get(
        reverse("accounts:records_of_processing")
    )

    content = page.content.decode()
    assert page.status_code == 200
    casework = content.split('data-testid="activity-1"')[1].split("</article>")[0]
    beneficiary = casework.split('data-testid="table-cases.beneficiary"')[1].split("</tr>")[0]
    assert "legal name" in beneficiary
    assert "encrypted" in beneficiary.split("legal name")[1][:80]
    assert "5 years after the last activity on a closed case" in casework
    assert "erasurenotice" in casework
    assert "People assisted" in casework
    assert "pillars.budgetline" in content
