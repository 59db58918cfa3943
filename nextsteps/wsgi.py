import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextsteps.settings")
application = get_wsgi_application()


def _refuse_to_serve_with_wrong_keys():
    """A web worker does not start with field keys that are not keys or that do not decrypt
    the stored data: one line on stderr, and the server stops (gunicorn halts when its workers
    cannot boot)."""
    from nextsteps.checks import encryption_key_problem

    problem = encryption_key_problem()
    if problem is not None:
        raise SystemExit(f"Not starting: {problem}")


_refuse_to_serve_with_wrong_keys()
