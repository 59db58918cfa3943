"""Pages about a person do not assume a woman (issue 15, point 4): for a man, or a person whose
sex is other or not known, the caseworker's and the data protection officer's pages say "the
person", never "she" or "her", in English, Romanian and Dutch."""

import re

import pytest
from django.urls import reverse

from accounts.enums import Role
from cases.enums import Sex
from tests.factories import BeneficiaryFactory, make_member

# Words that make a person a woman, per interface language. Romanian possessives (sa, său, sale)
# agree with the thing owned, not the owner: they stay.
GENDERED = {
    "en": re.compile(r"\b(she|her|hers|herself|woman)\b", re.IGNORECASE),
    "ro": re.compile(r"\b(ea|însăși|femeia)\b", re.IGNORECASE),
    # "Vrouw" is the sex choice "Female" in Dutch: only the pronouns count there.
    "nl": re.compile(r"\b(zij|haar|zijzelf)\b", re.IGNORECASE),
}
CASEWORKER_PAGES = [
    "cases:beneficiary_detail",
    "cases:beneficiary_update",
    "cases:consent_create",
    "cases:referral_create",
    "cases:transfer_create",
]
OFFICER_PAGES = ["cases:data_request", "cases:access_report", "cases:erasure"]


def visible_text(content: bytes) -> str:
    main = content.decode().split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", main)


def gendered_words(client, url_names, person, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    found = {}
    for name in url_names:
        response = client.get(reverse(name, kwargs={"code": person.code}))
        assert response.status_code == 200, name
        words = GENDERED[language].findall(visible_text(response.content))
        if words:
            found[name] = sorted(set(words))
    return found


@pytest.fixture(params=[Sex.MALE, Sex.OTHER, Sex.UNKNOWN])
def someone(request, betania, reference_data, ijm):
    return BeneficiaryFactory(organisation=betania, alias="Andrei", sex=request.param)


@pytest.mark.parametrize("language", ["en", "ro", "nl"])
def test_the_caseworkers_pages_say_the_person(client_of, alice, someone, language):
    assert gendered_words(client_of(alice), CASEWORKER_PAGES, someone, language) == {}


@pytest.mark.parametrize("language", ["en", "ro", "nl"])
def test_the_data_protection_officers_pages_say_the_person(client_of, someone, language):
    officer = make_member(Role.DATA_PROTECTION_OFFICER, email="dpo@partnership.test")

    assert gendered_words(client_of(officer), OFFICER_PAGES, someone, language) == {}


def test_the_consent_giver_is_named_without_a_sex():
    from cases.enums import ConsentGiver

    assert [str(label) for label in ConsentGiver.labels] == [
        "The person",
        "A legal guardian or parent",
        "A legal representative",
    ]
