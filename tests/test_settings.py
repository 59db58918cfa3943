import pytest

from nextsteps import settings as project_settings
from tests.processes import A_BLIND_INDEX_KEY, A_FERNET_KEY, run_python


def start_django(**environment):
    """Start Django in a fresh interpreter with exactly these settings in the environment."""
    return run_python(["-c", "import django; django.setup()"], **environment)


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": project_settings.DEVELOPMENT_SECRET_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 50}, "FIELD_ENCRYPTION_KEYS"),
        (
            {
                "SECRET_KEY": "a" * 50,
                "FIELD_ENCRYPTION_KEYS": project_settings.DEVELOPMENT_ENCRYPTION_KEY,
            },
            "FIELD_ENCRYPTION_KEYS",
        ),
        ({"SECRET_KEY": "a" * 50, "FIELD_ENCRYPTION_KEYS": A_FERNET_KEY}, "BLIND_INDEX_KEY"),
        (
            {
                "SECRET_KEY": "a" * 50,
                "FIELD_ENCRYPTION_KEYS": A_FERNET_KEY,
                "BLIND_INDEX_KEY": project_settings.DEVELOPMENT_BLIND_INDEX_KEY,
            },
            "BLIND_INDEX_KEY",
        ),
        (
            {
                "SECRET_KEY": "a" * 50,
                "FIELD_ENCRYPTION_KEYS": A_FERNET_KEY,
                "BLIND_INDEX_KEY": "short",
            },
            "BLIND_INDEX_KEY",
        ),
    ],
)
def test_production_refuses_to_start_with_a_missing_or_default_key(environment, variable):
    result = start_django(DEBUG="False", **environment)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert f"Set {variable}" in last_line


def test_production_refuses_to_start_without_two_factor_login():
    result = start_django(
        DEBUG="False",
        SECRET_KEY="b" * 50,
        FIELD_ENCRYPTION_KEYS=A_FERNET_KEY,
        BLIND_INDEX_KEY=A_BLIND_INDEX_KEY,
        REQUIRE_TWO_FACTOR="false",
    )

    assert result.returncode != 0
    assert "Set REQUIRE_TWO_FACTOR" in result.stderr.strip().splitlines()[-1]


def test_production_starts_with_its_own_keys():
    result = start_django(
        DEBUG="False",
        SECRET_KEY="b" * 50,
        FIELD_ENCRYPTION_KEYS=A_FERNET_KEY,
        BLIND_INDEX_KEY=A_BLIND_INDEX_KEY,
    )

    assert result.returncode == 0, result.stderr


def test_development_starts_with_the_published_keys():
    assert start_django(DEBUG="True").returncode == 0


def test_two_factor_login_is_on_unless_the_environment_turns_it_off():
    print_setting = "import django; django.setup(); from django.conf import settings; "
    print_setting += "print(settings.REQUIRE_TWO_FACTOR)"

    by_default = run_python(["-c", print_setting], DEBUG="True")
    for_the_demo = run_python(["-c", print_setting], DEBUG="True", REQUIRE_TWO_FACTOR="false")

    assert by_default.stdout.strip() == "True"
    assert for_the_demo.stdout.strip() == "False"


def test_passwords_are_hashed_with_argon2_and_need_twelve_characters():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    length_rule = next(
        v for v in project_settings.AUTH_PASSWORD_VALIDATORS if "MinimumLength" in v["NAME"]
    )
    assert length_rule["OPTIONS"]["min_length"] == 12


def test_times_are_stored_in_utc_and_three_languages_offered():
    assert project_settings.USE_TZ is True
    assert project_settings.TIME_ZONE == "UTC"
    assert [code for code, _name in project_settings.LANGUAGES] == ["en", "ro", "nl"]
