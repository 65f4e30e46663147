"""Spam protection of the public forms (no login): the contact form, the
providers' registration.

Three pieces, no third parties:

- a field people never see (`website`, the honeypot): a robot that fills
  every box is refused;
- a signed token of when the form was shown (`started`), which also carries
  the form's submission key (portal/submissions.py): a form sent faster than
  MIN_SECONDS, or older than MAX_SECONDS, is refused, and a token is good for
  one record;
- a rate limit per address (RATE_LIMIT, with Flask-Limiter's decorator) and
  a body limit (`security.body_limit`) on the view.

    guard = Guard("contact-form")
    form.started.data = guard.token()                 # showing the form
    refusal, key = guard.check(form)                  # reading it back
    if refusal or not valid:
        guard.renew(form)                             # a fresh token, an empty trap; 422

A refused form keeps what was typed: the person checks it and sends again.
"""
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer

from . import submissions
from .timeutil import now

MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
# Per address, on POST only (showing the form is free).
RATE_LIMIT = "5 per minute; 30 per day"


class Guard:
    """The honeypot and the time token of one public form; `salt` keeps one
    form's tokens from being good for another's."""

    def __init__(self, salt, *, min_seconds=MIN_SECONDS, max_seconds=MAX_SECONDS):
        self.salt, self.min_seconds, self.max_seconds = salt, min_seconds, max_seconds

    def _serializer(self):
        return URLSafeTimedSerializer(current_app.secret_key, salt=self.salt)

    def token(self, moment=None):
        """The signed time the form was shown (the app's clock, so tests can move
        it) and the submission key that makes the token good for one record."""
        return self._serializer().dumps({"t": (moment or now()).timestamp(), "k": submissions.new_key()})

    def read(self, token):
        """(seconds since the form was shown, submission key), or (None, None)
        when the token is bad or expired."""
        try:
            payload = self._serializer().loads(token or "", max_age=self.max_seconds + 3600)
            shown, key = float(payload["t"]), payload["k"]
        except (BadData, KeyError, TypeError, ValueError):
            return None, None
        elapsed = now().timestamp() - shown
        if elapsed > self.max_seconds or not submissions.valid_key(key):
            return None, None
        return elapsed, key

    def check(self, form):
        """(refusal or None, submission key) for a posted form with the fields
        `website` (the trap) and `started` (the token)."""
        elapsed, key = self.read(form.started.data)
        if form.website.data:
            return (_("Nie wysłaliśmy wiadomości: formularz wygląda na wypełniony automatycznie. "
                      "Sprawdź dane i wyślij go jeszcze raz albo zadzwoń do nas."), key)
        if elapsed is None:
            return _("Formularz wygasł. Sprawdź dane i wyślij go jeszcze raz."), key
        if elapsed < self.min_seconds:
            return _("Formularz został wysłany zbyt szybko. Sprawdź dane i wyślij go jeszcze raz."), key
        return None, key

    def renew(self, form):
        """The form going back to the person: an empty trap and a fresh token."""
        form.website.data = ""
        form.started.data = self.token()
