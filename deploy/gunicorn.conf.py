"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py app:app`.

Sized for the machine it runs on: one worker process per core, each with a few threads. A
request spends much of its time waiting for PostgreSQL, so threads keep the cores busy where
sync workers would sit idle; PDFs render outside the web workers (portal/pdfjobs.py), so no
thread is held for seconds. Every setting can be changed by the environment (PORTAL_BIND,
PORTAL_WORKERS, PORTAL_THREADS, PORTAL_TIMEOUT) without editing this file.

Graceful reload: `systemctl reload staffroom` (or `kill -HUP <master pid>`) starts new workers
on the new code and lets the old ones finish their requests (graceful_timeout).
"""

import os

# The portal's own settings for production, unless the environment already says otherwise.
os.environ.setdefault("PORTAL_ENV", "production")  # secure cookies (__Host- names), https URLs
os.environ.setdefault("PORTAL_REQUEST_LOG", "1")  # one JSON line per request on stderr
os.environ.setdefault("PORTAL_PROXY_COUNT", "1")  # nginx in front: trust one X-Forwarded-For hop

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WORKERS", os.cpu_count() or 1))
worker_class = "gthread"
threads = int(os.environ.get("PORTAL_THREADS", "4"))
# Nothing a web request does takes long (documents render elsewhere): a request still running
# after this is stuck, and its worker is replaced.
timeout = int(os.environ.get("PORTAL_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to us open (upstream keepalive)
# A worker is replaced after this many requests (with jitter, not all at once): a slow leak in
# a library never grows into an outage.
max_requests = 10_000
max_requests_jitter = 1_000
# Only nginx on this host may set the forwarded headers gunicorn itself reads.
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs: the portal writes its own request log (JSON with request id, status, time, queries);
# gunicorn's access log would say the same thing less well. Errors go to stderr (journald).
accesslog = None
errorlog = "-"
loglevel = "info"
capture_output = True
proc_name = "staffroom"


# Metrics (portal/metrics.py): every worker writes its counts into one directory, which
# /metrics adds up. The directory is emptied when the server starts (counts start again at 0,
# as Prometheus expects of a restarted process), and a worker that exits is marked dead.
def on_starting(server):
    import shutil
    import tempfile

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:  # systemd's RuntimeDirectory=, or a directory of this server's own
        runtime = os.environ.get("RUNTIME_DIRECTORY")
        directory = (
            os.path.join(runtime, "metrics")
            if runtime
            else tempfile.mkdtemp(prefix="staffroom-metrics-")
        )
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    if os.path.isdir(directory):
        shutil.rmtree(directory)
    os.makedirs(directory, mode=0o700)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
