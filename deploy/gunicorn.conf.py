"""Gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py` (README, "Going
live"). Every value can be changed from the environment without editing this file."""

import multiprocessing
import os

wsgi_app = "nextsteps.wsgi:application"
# Behind a reverse proxy on the same machine (it terminates TLS); never exposed directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes for the cores, threads for the waits on PostgreSQL inside each process: a slow
# report in one thread does not hold up the login page in another.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# Reports and exports over a whole programme take seconds, not minutes: longer than this is a
# stuck worker, restarted. Long work (big exports, imports) belongs in a background job.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Longer than the proxy's idle timeout towards the app would be wasted; shorter makes the proxy
# open a new connection for nearly every request. nginx keeps upstream connections 60 s.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 15))
# A worker that has grown over a long day is replaced, not all at the same moment.
max_requests = 2000
max_requests_jitter = 200

# Access log on standard output, without query strings (a search for a name would land in the
# log) and without the referrer or user agent: method, path, status, size, duration.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The proxy sets X-Forwarded-Proto; Django decides what to trust (BEHIND_TLS_PROXY).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
