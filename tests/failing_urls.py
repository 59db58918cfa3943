"""The project's URLs plus two views with bugs that touch personal data, for
tests/test_no_personal_data_in_logs.py: what reaches the logs when code fails on a record."""

from django.http import HttpResponse
from django.template import Context, Template
from django.urls import path

from cases.models import Beneficiary
from nextsteps.urls import urlpatterns as project_urlpatterns

FAILING_URL = "/test-only/fail/"
MISSING_VARIABLE_URL = "/test-only/missing-variable/"


def person_with_identity():
    # Encrypted fields cannot be filtered in the database.
    return next(person for person in Beneficiary.objects.order_by("code") if person.legal_name)


def fail_on_a_record(request):
    person = person_with_identity()
    raise ValueError(f"cannot save {person.alias} ({person.legal_name}): {request.POST}")


def render_a_missing_variable(request):
    # Django logs a failed template lookup at DEBUG, with the context it looked in.
    person = person_with_identity()
    template = Template("{{ person.nickname }}")
    return HttpResponse(
        template.render(Context({"person": {"alias": person.alias, "phone": person.phone}}))
    )


urlpatterns = [
    *project_urlpatterns,
    path(FAILING_URL.strip("/") + "/", fail_on_a_record),
    path(MISSING_VARIABLE_URL.strip("/") + "/", render_a_missing_variable),
]
