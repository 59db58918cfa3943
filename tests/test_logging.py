import logging
import sys

from django.db import OperationalError

from nextsteps.logging import WITHHELD, RedactingFormatter

# Built at run time: traceback frames show source lines, and the point is the values.
ALIAS = "".join(["Mar", "ia K."])


def formatted(exception):
    try:
        raise exception
    except Exception:
        record = logging.LogRecord("test", logging.ERROR, __file__, 1, "failed", (), None)
        record.exc_info = sys.exc_info()
    return RedactingFormatter("%(message)s").format(record)


def test_exception_messages_are_withheld_and_the_frames_kept():
    try:
        raise KeyError(ALIAS)
    except KeyError as cause:
        try:
            raise ValueError(f"cannot save {ALIAS}") from cause
        except ValueError as error:
            text = formatted(error)

    assert ALIAS not in text
    assert f"KeyError: {WITHHELD}" in text
    assert f"ValueError: {WITHHELD}" in text
    assert "direct cause" in text
    assert "test_exception_messages_are_withheld_and_the_frames_kept" in text


def test_infrastructure_errors_keep_their_message():
    text = formatted(OperationalError("could not connect to server"))

    assert "django.db.utils.OperationalError: could not connect to server" in text


def test_a_traceback_cached_by_another_handler_is_not_reused():
    try:
        raise ValueError(ALIAS)
    except ValueError:
        record = logging.LogRecord("test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    logging.Formatter().format(record)  # caches the full traceback on the record
    assert ALIAS in record.exc_text

    assert ALIAS not in RedactingFormatter().format(record)


def test_the_drivers_connection_error_under_djangos_keeps_its_message():
    import psycopg2
    from django.db import OperationalError as DjangoOperationalError

    try:
        raise psycopg2.OperationalError("connection to server failed: Connection refused")
    except psycopg2.OperationalError as cause:
        try:
            raise DjangoOperationalError(str(cause)) from cause
        except DjangoOperationalError as error:
            text = formatted(error)

    assert "psycopg2.OperationalError: connection to server failed" in text
    assert WITHHELD not in text


def test_a_missing_static_file_in_the_manifest_keeps_its_message():
    text = formatted(ValueError("Missing staticfiles manifest entry for 'css/app.css'"))

    assert "Missing staticfiles manifest entry for 'css/app.css'" in text


def test_another_value_error_is_still_withheld():
    text = formatted(ValueError(f"Missing staticfiles? no: {ALIAS}"))

    assert ALIAS not in text
