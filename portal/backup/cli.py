"""`flask backup [--dir PATH] [--keep N]` and `flask restore ARCHIVE [--check]`.

Nightly, e.g. from cron:
    15 2 * * * cd /srv/portal && .venv/bin/flask --app wsgi backup --keep 14

The output names the archive and counts tables, rows and files; nothing from
inside the database. Messages are in Polish and English (no request, so no
chosen language). A refusal exits with code 1.
"""
import os

import click
from flask import current_app
from flask.cli import with_appcontext

from ..plans.scans import scan_dir
from . import BackupError, services


def upload_folders(app):
    """The upload folders, with the settings and defaults their features use
    (portal/events/images.py `media_dir`, portal/plans/views/signatures.py `_scan_dir`)."""
    return {
        "event_media": app.config.get("EVENT_MEDIA_DIR") or os.path.join(app.instance_path, "media", "events"),
        "plan_scans": app.config.get("PLAN_SCAN_DIR") or scan_dir(app.instance_path),
    }


def backup_dir(app):
    return app.config.get("BACKUP_DIR") or os.path.join(app.instance_path, "backups")


def _migrations_dir(app):
    return app.extensions["migrate"].directory


def _size(count):
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024


def _revisions(values):
    return ", ".join(values or []) or "?"


@click.command("backup")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Folder for the archive (default: BACKUP_DIR, else instance/backups).")
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="After a successful backup keep only the newest N archives in the folder.")
@with_appcontext
def backup_command(directory, keep):
    """Back up the database and the uploaded files into a dated, checksummed archive."""
    app = current_app
    folder = directory or backup_dir(app)
    try:
        result = services.create_backup(app.config["SQLALCHEMY_DATABASE_URI"], upload_folders(app), folder)
        removed = services.prune(folder, keep) if keep else []
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    database = result.meta["database"]
    tables = database["tables"]
    click.echo(f"Kopia zapisana / Backup written: {result.path}")
    click.echo(f"  rozmiar / size: {_size(result.size)}")
    click.echo(f"  baza / database: {database['kind']}, rewizja schematu / schema revision "
               f"{_revisions(database['schema_revisions'])}, tabele / tables {len(tables)}, "
               f"wiersze / rows {sum(tables.values())}")
    click.echo("  pliki / files: " + ", ".join(f"{key} {count}" for key, count in result.meta["files"].items()))
    click.echo(f"  SHA-256: {result.checksum} ({os.path.basename(result.path)}.sha256)")
    if keep:
        click.echo(f"Usunięte starsze kopie / Older backups removed: {len(removed)}")


@click.command("restore")
@click.argument("archive_path", metavar="ARCHIVE", type=click.Path(dir_okay=False))
@click.option("--check", "check_only", is_flag=True,
              help="Only verify the archive (checksums, format, schema revision); change nothing.")
@with_appcontext
def restore_command(archive_path, check_only):
    """Restore a backup into the EMPTY database of DATABASE_URL and the upload folders."""
    app = current_app
    try:
        if check_only:
            meta, outer = services.verify(archive_path, migrations_dir=_migrations_dir(app))
            database = meta["database"]
            click.echo("Archiwum jest w porządku / The archive is sound: "
                       f"{database.get('kind')}, rewizja / revision {_revisions(database.get('schema_revisions'))}, "
                       f"utworzone / created {meta.get('created_at')}.")
            _outer_note(outer)
            return
        result = services.restore_backup(archive_path, app.config["SQLALCHEMY_DATABASE_URI"], upload_folders(app),
                                         migrations_dir=_migrations_dir(app))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    _outer_note(result.outer_checksum)
    click.echo(f"Przywrócono / Restored: {result.kind}, tabele / tables {result.tables}, "
               f"wiersze / rows {result.rows}, pliki / files {result.files_written}"
               + (f" (+{result.files_present} już były / already present)" if result.files_present else ""))
    if result.needs_upgrade:
        click.echo(f"Schemat kopii ({_revisions(result.revisions)}) jest starszy niż kod ({_revisions(result.heads)}): "
                   "uruchom `flask --app wsgi db upgrade`.")
        click.echo(f"The backup's schema ({_revisions(result.revisions)}) is older than the code's "
                   f"({_revisions(result.heads)}): run `flask --app wsgi db upgrade`.")


def _outer_note(outer):
    if outer is None:
        click.echo("Uwaga: obok archiwum nie ma pliku .sha256; sprawdzono sumy kontrolne wewnątrz archiwum.")
        click.echo("Note: there is no .sha256 beside the archive; the checksums inside it were checked.")
    else:
        click.echo("Sumy kontrolne zgodne / Checksums match (.sha256, SHA256SUMS).")


def register(cli):
    cli.add_command(backup_command)
    cli.add_command(restore_command)
