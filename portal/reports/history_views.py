"""The pages of the history from before the portal (issue 14 §4): the list
of imports (the services organiser and the director), the import with its
preview and confirmation, and the withdrawal of an import (the organiser).

The upload is kept server-side between the preview and the confirmation
(portal/manage/importer.py: a file named by a random token); the session
remembers which token and file name this person's preview gave, so a
confirmation posts nothing the server trusts but the token it issued.
"""
import logging
import os

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..auth.access import role_required
from ..auth.models import Role
from ..confirm import confirm_page, confirmed
from ..core.views import ALREADY_SAVED_NOTE, commit, get_or_404, saved
from ..extensions import db
from ..i18n import format_datetime, format_number
from ..manage import importer
from ..manage.forms import ImportConfirmForm, ImportForm
from ..timeutil import local_now
from . import bp
from . import history_import as history
from .history import HistoryImport

log = logging.getLogger(__name__)

IMPORTERS = (Role.SERVICES_ORGANISER,)
READERS = (Role.SERVICES_ORGANISER, Role.DIRECTOR)
# The session's note of the preview waiting for its confirmation: {"token", "filename"}.
PENDING = "history_upload"


def _folder():
    base = current_app.config.get("IMPORT_DIR") or os.path.join(current_app.instance_path, "imports")
    return os.path.join(base, "history")


def _max_rows():
    return current_app.config["IMPORT_MAX_ROWS"]


@bp.get("/history")
@role_required(*READERS)
def history_list():
    return render_template("reports/history.html", imports=history.imports(db.session),
                           can_import=current_user.role in IMPORTERS)


def _upload_page(form, status=200):
    return render_template("reports/history_import.html", form=form, header=history.HEADER,
                           max_rows=_max_rows()), status


def _preview_page(preview, token=None, filename=""):
    confirm = None
    if preview.ok and token:
        confirm = ImportConfirmForm(formdata=None, data={"token": token})
    return render_template("reports/history_preview.html", preview=preview, confirm=confirm, filename=filename,
                           totals=history.totals(preview)), (200 if preview.ok else 422)


def _parse(kind, content):
    return history.parse(kind, content, session=db.session, max_rows=_max_rows(), today=local_now().date())


@bp.route("/history/import", methods=["GET", "POST"])
@role_required(*IMPORTERS)
def history_import():
    form = ImportForm()
    if request.method == "GET":
        return _upload_page(form)
    folder = _folder()
    try:
        token, kind, content, filename = importer.receive_upload(folder, request.files.get("file"))
    except importer.FileRejected as error:
        form.file.errors = [str(error.message)]
        return _upload_page(form, status=422)
    preview = _parse(kind, content)
    if not preview.ok:
        # Nothing can be confirmed: the file is not kept.
        importer.delete_upload(folder, token)
        token = None
    else:
        previous = session.get(PENDING) or {}
        importer.delete_upload(folder, previous.get("token"))
        session[PENDING] = {"token": token, "filename": filename}
    return _preview_page(preview, token, filename)


@bp.post("/history/import/confirm")
@role_required(*IMPORTERS)
def history_confirm():
    folder = _folder()
    token = request.form.get("token", "")
    pending = session.get(PENDING) or {}
    filename = pending.get("filename", "")
    try:
        if not importer.valid_token(token) or pending.get("token") != token:
            raise importer.FileRejected(_("Nie ma już tego pliku (import wykonano albo plik wygasł). "
                                          "Wgraj go ponownie."))
        kind, content, claimed = importer.claim_upload(folder, token)
    except importer.FileRejected as error:
        form = ImportForm(formdata=None)
        form.file.errors = [str(error.message)]
        return _upload_page(form, status=400)
    preview = _parse(kind, content)
    if not preview.ok:
        importer.finish_upload(claimed)
        session.pop(PENDING, None)
        return _preview_page(preview, None, filename)

    def failed(error):
        importer.unclaim_upload(claimed)
        log.warning("history import failed: %s", type(error).__name__)
        preview.file_errors.append(_("Import się nie udał i nic nie zapisano. Spróbuj ponownie za chwilę."))
        return _preview_page(preview, None, filename)[0], 422

    def done(history_import):
        importer.finish_upload(claimed)
        session.pop(PENDING, None)
        return saved(url_for(".history_list"),
                     ngettext("Zaimportowano %(rows)s wiersz historii.", "Zaimportowano %(rows)s wierszy historii.",
                              history_import.row_count, rows=format_number(history_import.row_count)))

    return commit(lambda: history.run_import(db.session, preview, actor=current_user, filename=filename),
                  refused={SQLAlchemyError: failed}, done=done)


@bp.post("/history/<int:import_id>/withdraw")
@role_required(*IMPORTERS)
def history_withdraw(import_id):
    item = get_or_404(HistoryImport, import_id)
    back = url_for(".history_list")
    if item.withdrawn_at is not None:
        flash(ALREADY_SAVED_NOTE, "success")
        return redirect(back, code=303)
    if not confirmed():
        return confirm_page(
            title=_("Wycofać import „%(filename)s”?", filename=item.filename),
            button=_("Wycofaj import"), cancel_url=back,
            intro=_("Wiersze tego importu zostaną usunięte i przestaną się liczyć w raportach. "
                    "Import zostanie na liście jako wycofany. Tego nie można cofnąć: aby przywrócić dane, "
                    "trzeba zaimportować plik ponownie."),
            facts=[(_("Plik"), item.filename),
                   (_("Zaimportował(a)"), item.created_by.full_name if item.created_by else "—"),
                   (_("Kiedy"), format_datetime(item.created_at)),
                   (_("Wiersze"), format_number(item.row_count))])
    return commit(lambda: history.withdraw(db.session, item, actor=current_user),
                  done=lambda withdrawn: saved(back, _("Import wycofany: jego wiersze nie liczą się już w "
                                                       "raportach.") if withdrawn else ALREADY_SAVED_NOTE))
