"""The timeline reads newest first, and a day's entries keep the order they were recorded in,
whatever their kind (not all the help first, then the outcomes)."""

from datetime import date

from cases.selectors import timeline_of
from tests.cases.factories import AssistanceFactory, OutcomeFactory
from tests.factories import ServiceTypeFactory

DAY = date(2023, 5, 2)


def test_entries_of_one_day_show_in_the_order_they_were_recorded(person):
    food = ServiceTypeFactory(code="food", name="Food")
    shelter = ServiceTypeFactory(code="shelter", name="Shelter")
    AssistanceFactory(beneficiary=person, service_type=food, date=DAY)
    OutcomeFactory(beneficiary=person, kind="employed", date=DAY)
    AssistanceFactory(beneficiary=person, service_type=shelter, date=DAY)
    AssistanceFactory(beneficiary=person, service_type=food, date=date(2023, 5, 1))

    timeline = timeline_of(person, [])

    assert [(entry.on, entry.kind, entry.title) for entry in timeline] == [
        (DAY, "assistance", "Shelter"),
        (DAY, "outcome", "Employed"),
        (DAY, "assistance", "Food"),
        (date(2023, 5, 1), "assistance", "Food"),
    ]
