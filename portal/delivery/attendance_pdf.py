"""The printed attendance list (lista obecności) of a group session
(WeasyPrint, always in Polish: it is signed on paper and kept with the
service's records): the service, the day, the time, the place and the
leader; one row per person expected, some empty rows for those who come
without a record, and a signature column.

The template ends with the block `after_list` (templates/delivery/sessions/
attendance_pdf.html): what is printed after the list (e.g. the survey slips
of issue 13 §2) goes there, through `extra_context`.
"""
from flask import current_app, render_template
from flask_babel import force_locale

from ..pdf import render_pdf


def attendance_html(group_session, people, *, empty_rows=8, extra_context=None):
    with force_locale("pl"):
        return render_template("delivery/sessions/attendance_pdf.html", group_session=group_session,
                               service=group_session.service, people=people, empty_rows=empty_rows,
                               centre=current_app.config, **(extra_context or {}))


def render_attendance_pdf(group_session, people, *, empty_rows=8, extra_context=None):
    return render_pdf(attendance_html(group_session, people, empty_rows=empty_rows, extra_context=extra_context))
