"""The Romanian and Dutch catalogues are complete and compiled: every string the code marks for
translation is in the source catalogue (.po) with a checked (not fuzzy) translation, and every
message of the source catalogue has a translation in the compiled one (.mo) that the app loads."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parent.parent / "locale"
MESSAGE_ID = re.compile(r'^msgid "(.*)"\n((?:".*"\n)*)', re.MULTILINE)


def message_ids(po_file):
    text = po_file.read_text(encoding="utf-8")
    active = text.split("\n#~ ", 1)[0]  # obsolete entries are not loaded
    for first, rest in MESSAGE_ID.findall(active):
        joined = first + "".join(line[1:-1] for line in rest.splitlines())
        if joined:
            yield joined.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


@pytest.mark.parametrize("language", ["ro", "nl"])
def test_every_message_is_translated_and_compiled(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog

    missing = [
        message
        for message in message_ids(folder / "django.po")
        if not catalogue.get(message)
        and not any(key[0] == message for key in catalogue if isinstance(key, tuple))
    ]

    assert missing == []


@pytest.mark.parametrize(("language", "word"), [("ro", "Autentificare"), ("nl", "Inloggen")])
def test_the_login_page_speaks_the_chosen_language(client, db, language, word):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=language)

    assert response["Content-Language"] == language
    assert word in response.content.decode()


FIX = (
    "run `make messages`, translate these entries in locale/{language}/LC_MESSAGES/django.po "
    '(remove every "#, fuzzy" line once the translation is checked), run `make messages` again '
    "to compile, and commit the .po and .mo files"
)
SKIPPED_IN_COPY = shutil.ignore_patterns(
    ".venv",
    ".git",
    ".ruff_cache",
    ".pytest_cache",
    "node_modules",
    "__pycache__",
    "staticfiles",
    "artifacts",
    "*.sqlite3*",
)


@pytest.fixture(scope="module")
def extracted_catalogues(tmp_path_factory):
    """The catalogues as `make messages` would write them from the code as it is now, made in a
    copy of the project, so that a string added without its translations is found here."""
    if shutil.which("xgettext") is None or shutil.which("msgattrib") is None:
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(LOCALE.parent, copy, ignore=SKIPPED_IN_COPY)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ro", "-l", "nl", "--ignore=tests"],
        cwd=copy,
        # Development settings: extracting strings needs no keys and no database.
        env={**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "nextsteps.settings"},
        check=True,
        capture_output=True,
    )
    return copy / "locale"


def entries_marked(po_file: Path, option: str) -> list[str]:
    """The message ids of the catalogue's untranslated or fuzzy entries (GNU msgattrib)."""
    selected = subprocess.run(
        ["msgattrib", option, "--no-obsolete", "--no-wrap", str(po_file)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = po_file.parent / f"selected{option}.po"
    found.write_text(selected, encoding="utf-8")
    return list(message_ids(found))


@pytest.mark.parametrize("language", ["ro", "nl"])
def test_every_string_of_the_code_has_a_checked_translation(extracted_catalogues, language):
    po_file = extracted_catalogues / language / "LC_MESSAGES" / "django.po"

    untranslated = entries_marked(po_file, "--untranslated")
    fuzzy = entries_marked(po_file, "--only-fuzzy")

    assert untranslated == [], f"Not translated into {language}: {FIX.format(language=language)}"
    assert fuzzy == [], f"Guessed (fuzzy) {language} translations: {FIX.format(language=language)}"
