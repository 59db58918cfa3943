import os
import shutil

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.enums import Role
from tests.factories import ORGANISATION_TIME_ZONE, OrganisationFactory, make_member

# Property-based tests run a few examples each, the same ones on every run (CI must not fail on
# an input a previous run never tried), and keep no example database between runs.
hypothesis_settings.register_profile(
    "suite",
    max_examples=6,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(autouse=True)
def _test_bodies_run_unscoped():
    """Test code builds and inspects data across organisations. Requests still run inside the
    user's scope: the middleware opens its own."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _no_figures_cached_from_another_test():
    """Figures are cached under the data version (pillars.data_version). A test's rows roll
    back with its transaction and so does the version: the next test may reach the same
    number with other rows, so no test may read figures another one cached."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language(settings):
    """The locale middleware leaves the last request's language active in the thread; a test
    that reads labels outside a request must not inherit the previous test's Dutch."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _test_bodies_run_in_the_day_of_their_organisations():
    """Each request runs in its organisation's time zone and leaves the thread as it found it.
    A test body dates what it records as that organisation's pages do (from 22:00 UTC,
    Bucharest's day is already tomorrow), so it runs in the zone the test organisations have."""
    with timezone.override(ORGANISATION_TIME_ZONE):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (asserted in tests/test_settings.py); tests hash hundreds
    # of passwords and need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, tmp_path):
    """People's documents (encrypted files) go to a folder of the test's own."""
    folder = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    """Two-factor login is off in tests, so that ``client.force_login`` gives a fully usable
    session. Tests of two-factor login turn it on (tests/accounts/test_two_factor.py) and use
    ``verified_client_of``."""
    settings.REQUIRE_TWO_FACTOR = False


@pytest.fixture
def betania(db):
    return OrganisationFactory(slug="betania-test", name="Betania (test)", code_prefix="BET")


@pytest.fixture
def outsider_organisation(db):
    return OrganisationFactory(slug="outsider-test", name="Outsider (test)", code_prefix="OUT")


@pytest.fixture
def alice(betania):
    """A caseworker of the organisation under test."""
    return make_member(Role.CASEWORKER, betania, email="alice@betania.test")


@pytest.fixture
def charlie(outsider_organisation):
    """A caseworker of another organisation."""
    return make_member(Role.CASEWORKER, outsider_organisation, email="charlie@outsider.test")


@pytest.fixture
def client_of(client):
    """``client_of(user)``: the test client, logged in as that user."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def verified_client_of(client):
    """``verified_client_of(user)``: the test client, logged in as that user with a confirmed
    authenticator, as after typing its code (for tests with REQUIRE_TWO_FACTOR on)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AuthenticatorDevice

    def log_in(user):
        device = AuthenticatorDevice.objects.create(
            user=user, name="Authenticator app", confirmed=True
        )
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return log_in


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The full demo (`load_demo`) once per test module, rolled back after it. Tests using it
    also ask for ``db`` so each runs in a savepoint inside this module's transaction."""
    with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
        call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The world of tests/world.py, built once per test module and rolled back after it; each
    test runs in a savepoint inside it, so what one test's requests change is gone for the
    next."""
    from tests.world import build_world

    with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, db):
    return shared_world


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright. Skips where there is no Chromium, except
    in CI (REQUIRE_BROWSER=1), where a missing browser is a failure."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(
                "Chromium is required (REQUIRE_BROWSER is set) but /usr/bin/chromium is missing"
            )
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are
    # still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15000)
    yield opened
    context.close()


@pytest.fixture
def screenshot_dir():
    """Where browser tests leave screenshots (artifacts/screenshots), to be looked at."""
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "artifacts", "screenshots")
    os.makedirs(path, exist_ok=True)
    return path
