"""Gunicorn's settings for production (`make serve`, which passes BIND and WORKERS)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WORKERS", "2"))
# Threads, not the sync worker: there, a client that opens a connection and sends
# half a request holds a whole worker until the timeout (two such clients stopped
# a two-worker site for 30 s). Here a connection that sends nothing waits in the
# worker's poller, and one sending slowly holds one of its threads. For many slow
# clients, put a buffering proxy in front (nginx reads whole requests first).
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
control_socket_disable = True
accesslog = "-"
# Paths without query strings or referrers: a staff search puts names and emails
# in the query string (%(U)s is the path alone).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
