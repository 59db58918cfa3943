import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextsteps.settings")
application = get_wsgi_application()


def _check_the_keys_at_start():
    """Keys that are not Fernet keys stop the worker (one line on stderr; gunicorn halts when
    its workers cannot boot). Keys that do not decrypt the stored canary let it start, but then
    every page except /health/ answers 503 (nextsteps.middleware.WrongKeysMiddleware): the
    health check reports the cause, and nobody is registered under a wrong key."""
    from nextsteps import crypto
    from nextsteps.checks import encryption_key_problem
    from nextsteps.middleware import refuse_service_for

    problem = crypto.key_problem()
    if problem is not None:
        raise SystemExit(f"Not starting: {problem}")
    problem = encryption_key_problem()
    if problem is not None:
        refuse_service_for(problem)


_check_the_keys_at_start()
