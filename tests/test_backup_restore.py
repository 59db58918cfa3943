"""The restore drill of the README ("Backups"): deploy/backup.sh dumps a PostgreSQL database
holding the demo, deploy/restore.sh restores it into another, empty database, and every report
reads the same there; without the keys, kept apart from the dump, the restored data is refused."""

import csv
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.processes import ROOT, run_python

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres", "postgis")),
    reason="pg_dump and pg_restore need PostgreSQL",
)
REPORTS = [
    ["indicators", "--period", "2022"],
    ["indicators", "--period", "2021-2023"],
    ["financial"],
]


def sibling_database_url(name: str) -> str:
    """The URL of a database called ``name`` on the server of DATABASE_URL."""
    return DATABASE_URL.rsplit("/", 1)[0] + "/" + name


def psql(command: str) -> None:
    subprocess.run(
        ["psql", "-v", "ON_ERROR_STOP=1", "-c", command, sibling_database_url("postgres")],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def drill_databases():
    suffix = uuid.uuid4().hex[:8]
    names = [f"drill_source_{suffix}", f"drill_restored_{suffix}"]
    for name in names:
        psql(f"CREATE DATABASE {name}")
    yield [sibling_database_url(name) for name in names]
    for name in names:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def in_shell(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    """A script of deploy/ as an admin runs it: the virtualenv's python first on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**environment, "PATH": path, "DJANGO_SETTINGS_MODULE": "nextsteps.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def report_figures(environment: dict[str, str]) -> list[str]:
    outputs = []
    for report in REPORTS:
        result = run_python(["manage.py", "report", *report, "--format", "csv"], **environment)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    return outputs


def test_a_restored_backup_gives_the_same_reports_and_needs_its_keys(drill_databases, tmp_path):
    source_url, restored_url = drill_databases
    keys = Fernet.generate_key().decode()
    source = {"DEBUG": "true", "REQUIRE_TWO_FACTOR": "false", "FIELD_ENCRYPTION_KEYS": keys}
    source["DATABASE_URL"] = source_url
    for step in (["migrate", "--noinput"], ["load_demo"]):
        result = run_python(["manage.py", *step], **source)
        assert result.returncode == 0, result.stderr
    dump = tmp_path / "nextsteps.dump"

    backup = in_shell(["deploy/backup.sh", str(dump)], source)
    restored = {**source, "DATABASE_URL": restored_url}
    restore = in_shell(["deploy/restore.sh", str(dump)], restored)
    other_keys = Fernet.generate_key().decode()
    without_keys = run_python(
        ["manage.py", "health"], **{**restored, "FIELD_ENCRYPTION_KEYS": other_keys}
    )

    assert backup.returncode == 0, backup.stderr
    assert restore.returncode == 0, restore.stderr
    assert restore.stdout.strip().endswith("ok")
    figures = report_figures(source)
    assert report_figures(restored) == figures
    # Equal figures, not two empty tables: the demo's 2022 table has results.
    results_2022 = [row["result"] for row in csv.DictReader(io.StringIO(figures[0]))]
    assert sum(float(result) for result in results_2022 if result) > 0
    assert without_keys.returncode != 0
    # manage.py refuses to run with keys that do not decrypt the canary (nextsteps.checks).
    assert "encryption canary" in without_keys.stderr
