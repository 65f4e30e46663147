"""gunicorn settings for Portal CUS: `make run` and production
(`gunicorn --config gunicorn.conf.py --bind 127.0.0.1:8000 wsgi:app`).
gunicorn also reads this file by itself when started from this folder.
Command-line options win over it.

In production gunicorn sits behind a reverse proxy that buffers request
headers and bodies and enforces client timeouts (README, "Production"):
gunicorn itself has no timeout for a client that sends a request slowly,
and each such request holds one of its threads."""

# 2 processes x 4 threads (threads > 1 selects the gthread worker).
workers = 2
threads = 4

# Seconds an idle keep-alive connection stays open. Behind a proxy that keeps
# connections to gunicorn open, this must be longer than the proxy's own idle
# timeout for them (nginx `keepalive_timeout 4s` in the upstream block, Caddy
# `keepalive 4s`): otherwise the proxy may send a request on a connection
# gunicorn is just closing, and answer it (a POST at least) with 502.
keepalive = 5

# gunicorn's defaults, stated so that a change is deliberate: 4 KB is ample
# for the portal's URLs (a catalogue search with every facet set is a few
# hundred bytes); a longer request line is refused before the app sees it.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
