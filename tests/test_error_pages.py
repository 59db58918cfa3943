from tests.factories import BeneficiaryFactory
from tests.failing_urls import FAILING_URL


def test_the_500_page_shows_nothing_of_the_request(client, alice, settings):
    settings.ROOT_URLCONF = "tests.failing_urls"
    client.raise_request_exception = False
    client.force_login(alice)
    BeneficiaryFactory(organisation=alice.organisation, legal_name="Ioana Secret-Name")

    page = client.post(f"{FAILING_URL}?ref=typed-in-url", {"alias": "Typed Alias"})

    assert page.status_code == 500
    body = page.content.decode()
    for shown in ("Ioana Secret-Name", "Typed Alias", "typed-in-url", "/test-only/", alice.email):
        assert shown not in body
    assert page["X-Request-ID"]
    assert "no-store" in page["Cache-Control"]


def test_the_404_page_does_not_repeat_the_address(client_of, alice):
    page = client_of(alice).get("/cases/people/BET-2023-0042/", {"q": "Typed Alias"})

    assert page.status_code == 404
    assert "BET-2023-0042" not in page.content.decode()
    assert "Typed Alias" not in page.content.decode()


def test_the_400_page_for_a_nul_character_shows_nothing_of_the_request(client_of, alice, settings):
    settings.DEBUG = False

    page = client_of(alice).post("/cases/people/new/", {"alias": "Typed Alias\x00"})

    assert page.status_code == 400
    assert "Bad request" in page.content.decode()
    assert "Typed Alias" not in page.content.decode()
    assert "no-store" in page["Cache-Control"]
