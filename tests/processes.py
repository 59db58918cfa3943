"""Django in a fresh interpreter with exactly the given settings in the environment, for tests
of what production settings do (settings are read once, at start-up)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
A_FERNET_KEY = "x9tF1bJ2cWd3qL0cB2mV3Yl0b0dI9x6hQ6xS4y3m7nE="
# Variables a developer's shell or the Makefile may export, which a test must set itself.
_CONTROLLED = (
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "REQUIRE_TWO_FACTOR",
    "DATABASE_URL",
)
A_BLIND_INDEX_KEY = "a-production-like-blind-index-key-" + "b1nd" * 8

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "production-like-secret-" + "k3y" * 20,
    "FIELD_ENCRYPTION_KEYS": A_FERNET_KEY,
    "BLIND_INDEX_KEY": A_BLIND_INDEX_KEY,
    "ALLOWED_HOSTS": "casework.example.org",
    # Tests do not collect static files; the manifest storage would want them.
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}


def run_python(arguments, **environment):
    # DJANGO_* variables too: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _CONTROLLED and not key.startswith("DJANGO_")
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="nextsteps.settings")
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
