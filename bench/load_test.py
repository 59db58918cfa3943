"""Start gunicorn on the benchmark database, run the locust load test against it, stop gunicorn,
print p50 / p95 / p99 and the error count. ``make load-test`` runs it.

    python -m bench.load_test --users 50 --seconds 60

Environment: DATABASE_URL (the generated network), DEMO_PASSWORD (its logins' password).

A member logs in once a working day and then reads pages for hours; fifty logins in the first
ten seconds would measure Argon2 (slow on purpose: about 100 MB and a good part of a second of
a core each) rather than the pages. So each simulated user is given a session of its own,
made beforehand as a login makes it, and the cost of one login is timed and printed on its
own. ``--with-logins`` logs every simulated user in through the login form instead.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def start_server(port: int) -> subprocess.Popen:
    config = ROOT / "deploy" / "gunicorn.conf.py"
    # The project's production configuration when it is there; else the same shape by hand.
    options = (
        ["-c", str(config)]
        if config.exists()
        else ["--workers", "2", "--threads", "4", "--keep-alive", "15", "--timeout", "60"]
    )
    command = [str(BIN / "gunicorn"), *options, "--bind", f"127.0.0.1:{port}", "nextsteps.wsgi"]
    server = subprocess.Popen(command, cwd=ROOT)  # noqa: S603  (our own fixed command)
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("gunicorn did not answer within a minute")


def make_sessions(count: int, path: Path) -> float:
    """Sessions for ``count`` simulated users of each kind (bench.locustfile), as a login makes
    them, written to ``path``; returns the seconds one login's password check takes."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextsteps.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import check_password
    from django.test import Client

    from accounts.models import User
    from bench.load_users import KINDS, email_for

    sessions = {}
    for kind in KINDS:
        sessions[kind] = []
        for number in range(count):
            client = Client()
            client.force_login(User.objects.get(email=email_for(kind, number)))
            sessions[kind].append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    path.write_text(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions}))
    user = User.objects.get(email=email_for("caseworker", 0))
    started = time.perf_counter()
    check_password(os.environ.get("DEMO_PASSWORD", ""), user.password)
    return time.perf_counter() - started


def run_locust(port: int, users: int, seconds: int, prefix: str, sessions: Path | None) -> None:
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 10)),
        "--run-time",
        f"{seconds}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        prefix,
        "--only-summary",
    ]
    environment = {**os.environ, "LOAD_TEST_SESSIONS": str(sessions) if sessions else ""}
    subprocess.run(command, cwd=ROOT, check=False, env=environment)  # noqa: S603


def summary(prefix: str) -> list[str]:
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    lines = [
        f"{'request':<30} {'count':>6} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>6}"
    ]
    for row in rows:
        lines.append(
            f"{row['Name']:<30} {row['Request Count']:>6} {row['Failure Count']:>6} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {float(row['Requests/s']):>6.1f}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8014")))
    parser.add_argument(
        "--with-logins",
        action="store_true",
        help="log every simulated user in through the login form (Argon2 at full cost)",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sessions = None
        if not arguments.with_logins:
            sessions = Path(folder) / "sessions.json"
            login = make_sessions(arguments.users, sessions)
            print(f"One login's password check (Argon2): {login * 1000:.0f} ms")
        server = start_server(arguments.port)
        try:
            prefix = str(Path(folder) / "load")
            run_locust(arguments.port, arguments.users, arguments.seconds, prefix, sessions)
            print("\n".join(summary(prefix)))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
