from django.db import migrations

# The managed list of goals: the steps of the step-out programme (shelter, counselling, legal aid,
# a course, a job) in the words of the IOM case data standard's kinds of assistance. Achieving a
# goal with an outcome kind records that outcome in the same step.
GOAL_TYPES = [
    # code, English, Romanian, Dutch, outcome recorded when achieved
    ("safe-housing", "Safe housing", "Locuință sigură", "Veilige huisvesting", ""),
    ("counselling", "Psychological support", "Sprijin psihologic", "Psychologische steun", ""),
    ("medical-care", "Medical care", "Îngrijire medicală", "Medische zorg", ""),
    ("legal-aid", "Legal aid", "Asistență juridică", "Juridische hulp", ""),
    (
        "criminal-case",
        "Report to the police and a criminal case",
        "Plângere la poliție și dosar penal",
        "Aangifte bij de politie en een strafzaak",
        "criminal_case_opened",
    ),
    ("documents", "Identity documents", "Acte de identitate", "Identiteitsbewijzen", ""),
    ("education", "Education", "Educație", "Onderwijs", ""),
    (
        "vocational-training",
        "Vocational training (e.g. the sewing course)",
        "Curs de calificare (de ex. cursul de croitorie)",
        "Beroepsopleiding (bijv. de naaicursus)",
        "",
    ),
    ("employment", "A job", "Un loc de muncă", "Een baan", "employed"),
    (
        "financial-independence",
        "Financial independence",
        "Independență financiară",
        "Financiële zelfstandigheid",
        "",
    ),
    (
        "exit-prostitution",
        "Exit from prostitution",
        "Ieșirea din prostituție",
        "Uitstap uit de prostitutie",
        "exited_prostitution",
    ),
    (
        "return",
        "Safe return to the country of origin",
        "Întoarcere în siguranță în țara de origine",
        "Veilige terugkeer naar het land van herkomst",
        "returned_to_origin",
    ),
    ("reintegration", "Reintegration", "Reintegrare", "Re-integratie", "reintegrated"),
]


def add_goal_types(apps, schema_editor):
    GoalType = apps.get_model("cases", "GoalType")
    for order, (code, name, name_ro, name_nl, outcome_kind) in enumerate(GOAL_TYPES):
        GoalType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_ro": name_ro,
                "name_nl": name_nl,
                "outcome_kind": outcome_kind,
                "order": order,
            },
        )


def move_notes_into_the_journal(apps, schema_editor):
    """Each record's single notes field becomes the first entry of its journal, dated on the
    day the record was made and written by whoever made it."""
    Beneficiary = apps.get_model("cases", "Beneficiary")
    CaseNote = apps.get_model("cases", "CaseNote")
    people = Beneficiary.objects.filter(erased_at__isnull=True).only(
        "pk", "organisation_id", "notes", "created_at", "created_by_id"
    )
    for person in people.iterator():
        if person.notes and person.notes.strip():
            CaseNote.objects.create(
                beneficiary_id=person.pk,
                organisation_id=person.organisation_id,
                written_on=person.created_at.date(),
                created_at=person.created_at,
                text=person.notes,
                author_id=person.created_by_id,
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_case_plan_tasks_and_notes_journal")]

    operations = [
        migrations.RunPython(add_goal_types, migrations.RunPython.noop),
        migrations.RunPython(move_notes_into_the_journal, migrations.RunPython.noop),
    ]
