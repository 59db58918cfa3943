"""The export job on the production queue: django-tasks' RQ backend puts it in Redis, and an RQ
worker (run here in burst mode, in this process) builds it. CI runs Redis: on PostgreSQL (the
production engine) a missing Redis fails the test; on SQLite it is skipped."""

import pytest
import redis
from django.db import connection
from django.urls import reverse

from exports.enums import ExportStatus
from exports.models import ExportJob
from tests.factories import BeneficiaryFactory

# A database number of Redis of its own, so that the test never meets another queue's jobs.
TEST_REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def rq_queue(settings):
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if connection.vendor == "postgresql":
            pytest.fail("Redis must run at 127.0.0.1:6379 for the PostgreSQL runs (CI starts it).")
        pytest.skip("no Redis at 127.0.0.1:6379")
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": TEST_REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def test_an_export_job_waits_in_redis_until_a_worker_builds_it(
    rq_queue, client_of, alice, betania, settings, django_capture_on_commit_callbacks
):
    from django_rq import get_worker
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.EXPORT_JOB_THRESHOLD = 2
    BeneficiaryFactory.create_batch(3, organisation=betania)
    with django_capture_on_commit_callbacks(execute=True):
        client_of(alice).post(reverse("cases:beneficiary_export"), {"include_identity": ""})
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.QUEUED  # on the queue, not built in the request
    assert rq_queue.count == 1

    worked = get_worker("default", job_class=Job, worker_class=SimpleWorker).work(burst=True)

    job.refresh_from_db()
    assert worked
    assert (job.status, job.done, job.total) == (ExportStatus.READY, 3, 3)
    assert rq_queue.count == 0
