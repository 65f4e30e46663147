"""The kiosk: unattended screens that show residents what is on.

A screen is a browser in kiosk mode at an unguessable URL (/kiosk/<token>).
It rotates a set of slides built on the server (today's events, the next 14
days, services with free places, urgent notices, a fallback), asks a tiny
version endpoint every 15 s and fetches the set again only when it changed,
keeps showing its last good set while the server is away, and reports what
it shows in a heartbeat that the staff health page reads.
"""
from flask import Blueprint

bp = Blueprint("kiosk", __name__)

from . import views  # noqa: E402,F401
