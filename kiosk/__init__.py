"""The kiosk: unattended screens that show residents what is on.

A screen is a browser in kiosk mode at an unguessable URL (/kiosk/<token>).
It rotates a set of slides built on the server (today's events, the next 14
days, services with free places, urgent notices, a fallback), asks a tiny
version endpoint every 15 s and fetches the set again only when it changed,
keeps showing its last good set while the server is away, and reports what
it shows in a heartbeat that the staff health page reads.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.auth.models import Role
from portal.core import menus

bp = Blueprint("kiosk", __name__)

# The staff navigation (portal/core/menus.py): who sees which entry.
menus.register("kiosk.screens", _l("Ekrany"), (Role.COMMUNITY_ORGANISER, Role.ADMIN, Role.DIRECTOR), order=150)

from . import views  # noqa: E402,F401
