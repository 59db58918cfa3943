"""The Romanian and Dutch catalogues are complete and compiled: every message of the source
catalogue (.po) has a translation in the compiled one (.mo) that the app loads."""

import gettext
import re
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
