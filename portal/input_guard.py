"""Control characters never reach a view or the database.

PostgreSQL refuses a NUL in text (SQLite stores it), so the same hostile
URL gave a 500 on one database and a 404 on the other. One place decides,
before any view runs, the same on both:

- a path with a control character (NUL, C0, DEL, C1) names nothing: 404;
- a query string with one is not something our pages make: 400;
- form fields: control characters other than tab and line breaks are
  removed from names and values as the form is read (a stray character
  pasted into a message must not cost the person their form), so
  "recepcja\\x00" logs in as "recepcja" would, and nothing downstream
  ever sees one. Uploaded files are untouched (their bytes are checked by
  content where they are used).
"""
import re

from flask import Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict

# C0 controls, DEL and C1 controls.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# In form text: the same, but tab, line feed and carriage return are text.
FORM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control(text):
    return bool(text) and CONTROL.search(text) is not None


def clean_form_text(text):
    return FORM_CONTROL.sub("", text) if isinstance(text, str) else text


class PortalRequest(Request):
    """Form fields are read without control characters."""

    def _load_form_data(self):
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form and any(FORM_CONTROL.search(key) or FORM_CONTROL.search(value)
                        for key, value in form.items(multi=True)):
            self.__dict__["form"] = ImmutableMultiDict(
                [(clean_form_text(key), clean_form_text(value)) for key, value in form.items(multi=True)])


def _refuse_controls():
    if has_control(request.path):
        abort(404)
    if any(has_control(key) or has_control(value) for key, value in request.args.items(multi=True)):
        abort(400)


def init_app(app):
    app.request_class = PortalRequest
    app.before_request(_refuse_controls)
