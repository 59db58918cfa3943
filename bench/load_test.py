"""Start gunicorn on the benchmark database, run the locust load test against it, stop gunicorn,
print p50 / p95 / p99 and the error count. ``make load-test`` runs it.

    python -m bench.load_test --users 50 --seconds 60

Environment: DATABASE_URL (the generated network), DEMO_PASSWORD (its logins' password).
"""

import argparse
import csv
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


def run_locust(port: int, users: int, seconds: int, prefix: str) -> None:
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
    subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603


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
    arguments = parser.parse_args()
    server = start_server(arguments.port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            prefix = str(Path(folder) / "load")
            run_locust(arguments.port, arguments.users, arguments.seconds, prefix)
            print("\n".join(summary(prefix)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
