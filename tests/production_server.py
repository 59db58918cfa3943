"""The README's production steps ("Going live"), run as a newcomer would: generated keys, an
empty database, migrate, collectstatic with the manifest storage, a first login, gunicorn with
deploy/gunicorn.conf.py. Used by tests/test_deployment.py."""

import http.client
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.processes import ROOT, run_python

HOST = "casework.example.org"
SITE_ADMIN = "siteadmin@casework.example.org"
PASSWORD = secrets.token_urlsafe(16)
GUNICORN = Path(sys.executable).with_name("gunicorn")


def run_step(arguments: list[str], environment: dict[str, str]) -> str:
    result = run_python(arguments, **environment)
    assert result.returncode == 0, f"{' '.join(arguments)} failed:\n{result.stderr}"
    return result.stdout


def production_environment(workdir: Path) -> dict[str, str]:
    """The variables the README names, with keys made the way it says."""
    return {
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # Made before any setting exists: production settings refuse to load without keys.
        "FIELD_ENCRYPTION_KEYS": run_step(["manage.py", "generate_encryption_key"], {}).strip(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "STATIC_ROOT": str(workdir / "staticfiles"),
        "BEHIND_TLS_PROXY": "true",
        "TRUSTED_PROXIES": "127.0.0.1",
    }


def prepare(environment: dict[str, str]) -> None:
    run_step(["manage.py", "migrate", "--noinput"], environment)
    run_step(["manage.py", "collectstatic", "--noinput"], environment)
    run_step(
        ["manage.py", "createsuperuser", "--noinput", "--email", SITE_ADMIN],
        {**environment, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Gunicorn:
    """gunicorn started with the deploy configuration, and a client that talks to it as the
    TLS proxy in front of it would (X-Forwarded-Proto, the public host name)."""

    environment: dict[str, str]
    port: int = field(default_factory=free_port)
    cookies: dict[str, str] = field(default_factory=dict)

    def __enter__(self) -> "Gunicorn":
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env={**self.environment, "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._wait_until_listening()
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.log = self.process.communicate(timeout=30)[0]

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped:\n{self.process.stdout.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start listening within a minute")

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        """One request; returns (status, headers, body). Keeps the cookies it is sent."""
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def log_in(self, email: str, password: str):
        status, _headers, page = self.request("GET", "/accounts/login/")
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": email, "password": password},
        )
