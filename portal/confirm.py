"""Irreversible actions ask first, without JavaScript dialogs.

The page's button posts the action's form as it is; without the
`confirmed` field the view answers with the confirmation page
(`templates/_partials/confirm.html`), which posts the same fields again
with `confirmed=yes`. Only that second post does the action, so a stray
click, a resent form or a crafted post never does it unasked."""
from flask import render_template, request

FIELD = "confirmed"


def confirmed():
    return request.form.get(FIELD) == "yes"


def confirm_page(*, title, button, cancel_url, intro=None, consequences=(), facts=(), status=200):
    """The confirmation of the action posted to this address: every field of
    the post (the CSRF token included) goes back unchanged."""
    carried = [(name, value) for name, values in request.form.lists() if name != FIELD for value in values]
    return render_template("_partials/confirm.html", title=title, button=button, cancel_url=cancel_url,
                           intro=intro, consequences=consequences, facts=facts, action=request.path,
                           carried=carried), status
