"""What production needs to be able to serve a request, checked without reading anyone's data:
the database answers, every migration is applied, and the field keys decrypt the canary.

The /health/ page (``health`` below) and ``manage.py health`` answer with them: 200 or 503,
naming only which checks failed: no versions, no counts, no data."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from nextsteps import crypto
from nextsteps.models import EncryptionCanary


def ensure_encryption_canary(*, using: str = "default") -> None:
    """Write the canary with the current keys if the database has none (after migrate)."""
    canaries = EncryptionCanary.objects.using(using)
    if not canaries.exists():
        canaries.create(value=EncryptionCanary.KNOWN_VALUE)


def encryption_canary_stored() -> bool:
    return EncryptionCanary.objects.exists()


def database_reachable() -> bool:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def migrations_applied() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def encryption_keys_decrypt_the_canary() -> bool:
    """False when the canary is missing or was encrypted with keys the app no longer has."""
    try:
        stored = EncryptionCanary.objects.values_list("value", flat=True).first()
    except crypto.InvalidToken:
        return False
    return stored == EncryptionCanary.KNOWN_VALUE


CHECKS = {
    "database": database_reachable,
    "migrations": migrations_applied,
    "encryption_keys": encryption_keys_decrypt_the_canary,
}


def failed_checks() -> list[str]:
    """Names of the checks that fail; the later ones are skipped once the database is down."""
    failed = []
    for name, check in CHECKS.items():
        try:
            passed = check()
        except DatabaseError:
            passed = False
        if not passed:
            failed.append(name)
            if name == "database":
                return list(CHECKS)
    return failed


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: open without login or second factor."""
    failed = failed_checks()
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})
