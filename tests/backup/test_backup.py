"""Backups that restore (issue 9, section 3): `flask backup` / `flask restore`.

Every test runs on SQLite and on PostgreSQL. A backup of a populated demo
database is restored into a new, empty database (on PostgreSQL a database
of its own, <test database>_restore) and compared table by table, row by
row, and file by file, byte for byte.
"""
import hashlib
import io
import os
import shutil
import sqlite3
import stat
import tarfile
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from portal.backup import BackupError, archive, services
from portal.extensions import db
from tests.conftest import make_app
from tests.helpers import fresh_database, png

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")


# --- fixtures and helpers -------------------------------------------------------------------------

@pytest.fixture
def folders(app, tmp_path):
    """The portal's upload folders and backup folder, under tmp_path."""
    paths = {"event_media": str(tmp_path / "media" / "events"), "plan_scans": str(tmp_path / "scans")}
    app.config["EVENT_MEDIA_DIR"] = paths["event_media"]
    app.config["PLAN_SCAN_DIR"] = paths["plan_scans"]
    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    return paths


@pytest.fixture
def restored_folders(tmp_path):
    return {"event_media": str(tmp_path / "restored" / "media" / "events"),
            "plan_scans": str(tmp_path / "restored" / "scans")}


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A new, empty database of the same kind: a file not yet made, or a
    PostgreSQL database fresh from CREATE DATABASE."""
    with fresh_database(database_url, tmp_path / "restored" / "portal.sqlite3", "restore") as url:
        yield url


def _populate(app, folders, *, full):
    """Demo data; `full` adds assessments, plans (with their stored PDFs),
    monitoring and closures, kiosk screens. Always: an event image and a
    signed-plan scan on disk, and the rows no seeder writes."""
    from kiosk.models import Heartbeat, Screen
    from portal.auth.models import User, UserSession
    from portal.auth.services import ensure_demo_users
    from portal.catalogue.models import SearchCount
    from portal.demo.catalogue import seed_catalogue
    from portal.demo.events import seed_events
    from portal.demo.people import seed_people
    from portal.demo.screens import ensure_demo_screens
    from portal.events import images
    from portal.events.models import Event
    from portal.plans.models import PlanVersion, Signature
    from portal.plans.scans import store_scan
    from portal.timeutil import now

    ensure_demo_users()
    seed_catalogue(db.session)
    seed_people(db.session)
    seed_events(db.session)
    event = db.session.scalars(select(Event).order_by(Event.id)).first()
    event.image_name = images.store_upload(io.BytesIO(png((64, 48), (200, 120, 40))))
    event.image_alt = "Plakat"
    # The temporary file of an upload in progress is not part of a backup.
    with open(os.path.join(folders["event_media"], ".0123.png.tmp"), "wb") as handle:
        handle.write(b"half")
    db.session.add(SearchCount(day=now().date(), query="basen termalny", searches=1, misses=1))
    db.session.add(UserSession(user_id=db.session.scalars(select(User.id)).first()))
    if full:
        from portal.demo.assessments import seed_assessments
        from portal.demo.casework import seed_casework
        from portal.demo.plans import seed_plans

        seed_assessments(db.session)
        seed_plans(db.session)
        seed_casework(db.session)
        ensure_demo_screens(db.session)
        db.session.flush()
        screen = db.session.scalars(select(Screen)).first()
        db.session.add(Heartbeat(screen_id=screen.id, seen_at=now(), slide_key="events", position=1, count=5))
        # A signed version with its stored PDF (which versions the demo has
        # signed by now depends on the day the tests run).
        signature = db.session.scalars(
            select(Signature).join(PlanVersion, Signature.plan_version_id == PlanVersion.id)
            .where(PlanVersion.pdf.is_not(None)).order_by(Signature.id)).first()
        version = db.session.get(PlanVersion, signature.plan_version_id)
        signature.scan_file, signature.scan_sha256 = store_scan(folders["plan_scans"], version.pdf, ".pdf")
        signature.scan_type, signature.scan_size = "application/pdf", len(version.pdf)
    else:
        store_scan(folders["plan_scans"], b"%PDF-1.4 a scan", ".pdf")
    db.session.commit()


def _rows(url):
    """Every table's rows, ordered by primary key (or every column)."""
    engine = create_engine(url, poolclass=NullPool)
    metadata = MetaData()
    metadata.reflect(engine)
    result = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            result[table.name] = [tuple(row) for row in connection.execute(select(table).order_by(*order))]
    engine.dispose()
    return result


def _schema(url):
    """The schema objects a restore must bring back exactly, triggers first."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            queries = {"objects": "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"}
        else:
            queries = {
                "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                            "WHERE NOT tgisinternal ORDER BY 1, 2",
                "functions": "SELECT proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n "
                             "ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1",
                "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                           "ORDER BY 1, 2",
                "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(c.oid) "
                               "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                               "WHERE n.nspname = 'public' ORDER BY 1, 2",
                "columns": "SELECT table_name, column_name, data_type, column_default, is_nullable "
                           "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2",
                "sequences": "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
                             "ORDER BY 1",
            }
        result = {name: [tuple(row) for row in connection.execute(text(query))] for name, query in queries.items()}
    engine.dispose()
    return result


def _files(folder):
    """{relative path: sha256} of every file under a folder."""
    found = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = handle.read()
    return found


def _audit_is_append_only(url):
    engine = create_engine(url, poolclass=NullPool)
    try:
        for statement in ("UPDATE audit_event SET summary = 'zmienione'", "DELETE FROM audit_event"):
            with pytest.raises(DBAPIError, match="append-only"):
                with engine.begin() as connection:
                    connection.execute(text(statement))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM audit_event WHERE summary = 'zmienione'")
                                      ).scalar_one() == 0
    finally:
        engine.dispose()


def _invoke(other_app, args):
    """The command as `flask --app wsgi` runs it for another configuration:
    in that app's own context (a command reuses a context already pushed)."""
    with other_app.app_context():
        return other_app.test_cli_runner().invoke(args=args)


def _restore(archive_path, url, restored_folders):
    return services.restore_backup(archive_path, url, restored_folders, migrations_dir=MIGRATIONS)


def _backup(app, folders, **kwargs):
    return services.create_backup(app.config["SQLALCHEMY_DATABASE_URI"], folders, app.config["BACKUP_DIR"],
                                  **kwargs)


def _rewrite(source, target, change):
    """A copy of an archive with `change(name, data) -> data` applied to its
    members and SHA256SUMS recomputed, as a forger (or a newer portal)
    would write it; the .sha256 beside it is recomputed too."""
    with tarfile.open(source, "r:gz") as tar:
        members = [(member.name, tar.extractfile(member).read()) for member in tar]
    with archive.open_private(target) as handle:
        writer = archive.ArchiveWriter(handle, 0)
        for name, data in members:
            if name != archive.SUMS:
                writer.add_bytes(name, change(name, data))
        writer.close()
    archive.write_checksum(target)
    return target


# --- the round trip ---------------------------------------------------------------------------------

def test_backup_and_restore_give_back_every_row_and_every_file(app, folders, empty_database, restored_folders):
    """The real commands on a populated demo database: every table row by
    row, the schema with the audit triggers, every file byte for byte."""
    from portal.plans.models import PlanVersion
    from portal.residents.models import Resident

    _populate(app, folders, full=True)
    source_url = app.config["SQLALCHEMY_DATABASE_URI"]
    before = _rows(source_url)
    for table in ("service", "provider", "resident", "request", "assessment", "assessment_sensitive", "plan",
                  "plan_version", "plan_signature", "monitoring_entry", "plan_closure", "event", "notice",
                  "kiosk_screen", "kiosk_heartbeat", "audit_event", "user_account", "user_session", "search_count"):
        assert before[table], f"the demo left {table} empty"
    assert db.session.scalar(select(db.func.count()).select_from(PlanVersion).where(PlanVersion.pdf.is_not(None)))
    person = db.session.scalars(select(Resident).where(Resident.pesel.is_not(None))).first()

    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    backups = app.config["BACKUP_DIR"]
    names = sorted(os.listdir(backups))
    assert len(names) == 2 and archive.NAME_RE.match(names[0]) and names[1] == names[0] + ".sha256"
    path = os.path.join(backups, names[0])
    assert "Backup written" in result.output and names[0] in result.output
    # Counts only: nobody's name or PESEL in the output.
    assert person.pesel not in result.output and person.last_name not in result.output
    # Personal data: the archive and its checksum 0600, the folder 0700.
    assert stat.S_IMODE(os.stat(backups).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path + ".sha256").st_mode) == 0o600
    # `sha256sum -c` reads the checksum file.
    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    with open(path + ".sha256") as handle:
        assert handle.read() == f"{digest}  {names[0]}\n"
    with tarfile.open(path) as tar:
        members = tar.getnames()
        meta = archive.read(path).meta
    assert members[-1] == "SHA256SUMS" and "meta.json" in members
    assert meta["database"]["kind"] == make_url(source_url).get_backend_name()
    with db.engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert meta["database"]["schema_revisions"] == [revision]
    assert meta["files"] == {"event_media": 1, "plan_scans": 1}

    target = make_app(empty_database, EVENT_MEDIA_DIR=restored_folders["event_media"],
                      PLAN_SCAN_DIR=restored_folders["plan_scans"])
    result = _invoke(target, ["restore", path])
    assert result.exit_code == 0, result.output
    assert "Checksums match" in result.output and "Restored" in result.output
    assert person.pesel not in result.output

    assert _rows(empty_database) == before
    restored, source = _schema(empty_database), _schema(source_url)
    for kind in source:
        # Named differences first: a bare dict comparison hides them in thousands of lines.
        assert set(restored[kind]) ^ set(source[kind]) == set(), kind
        assert restored[kind] == source[kind], kind
    shown = _files(folders["event_media"])
    del shown[".0123.png.tmp"]
    assert _files(restored_folders["event_media"]) == shown
    assert _files(restored_folders["plan_scans"]) == _files(folders["plan_scans"])
    for folder in restored_folders.values():
        for name in os.listdir(folder):
            assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600
    if empty_database.startswith("sqlite"):
        assert stat.S_IMODE(os.stat(make_url(empty_database).database).st_mode) == 0o600
    _audit_is_append_only(empty_database)

    # The restored portal works: a staff page and a stored plan PDF.
    with target.app_context():
        version = db.session.scalars(select(PlanVersion).where(PlanVersion.pdf.is_not(None))).first()
        assert hashlib.sha256(version.pdf).hexdigest() == version.pdf_sha256
        db.session.remove()
        db.engine.dispose()


# --- refusals ---------------------------------------------------------------------------------------

def test_an_archive_with_one_byte_changed_is_refused(app, folders, empty_database, restored_folders, tmp_path):
    _populate(app, folders, full=False)
    path = _backup(app, folders).path
    with open(path, "rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 2] ^= 0x01
    damaged = str(tmp_path / os.path.basename(path))
    with open(damaged, "wb") as handle:
        handle.write(data)
    shutil.copy(path + ".sha256", damaged + ".sha256")

    with pytest.raises(BackupError, match="Suma kontrolna archiwum się nie zgadza") as refused:
        _restore(damaged, empty_database, restored_folders)
    assert "checksum does not match" in refused.value.english
    # Without the .sha256 beside it, the archive's own reading refuses it.
    os.remove(damaged + ".sha256")
    with pytest.raises(BackupError, match="Nic nie zostało przywrócone"):
        _restore(damaged, empty_database, restored_folders)
    assert not os.path.exists(restored_folders["event_media"])
    _assert_still_empty(empty_database)


def test_a_member_changed_behind_the_manifest_is_refused(app, folders, empty_database, restored_folders, tmp_path):
    """A well-formed archive whose SHA256SUMS no longer matches a member."""
    _populate(app, folders, full=False)
    path = _backup(app, folders).path
    with tarfile.open(path, "r:gz") as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar]
    forged = str(tmp_path / "forged.tar.gz")
    with tarfile.open(forged, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            if member.name.startswith("files/event_media/"):
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            tar.addfile(member, io.BytesIO(data))

    with pytest.raises(BackupError, match="Sumy kontrolne w archiwum się nie zgadzają") as refused:
        _restore(forged, empty_database, restored_folders)
    assert "members changed: 1" in refused.value.english
    _assert_still_empty(empty_database)


def _assert_still_empty(url):
    from portal.backup import databases

    assert databases.objects_in(url) == 0


def test_restore_into_a_database_that_is_not_empty_is_refused(app, folders, tmp_path):
    """Through the real command, pointed at the populated database itself."""
    from portal.catalogue.models import Service

    _populate(app, folders, full=False)
    path = _backup(app, folders).path
    services_before = db.session.scalar(select(db.func.count()).select_from(Service))
    media_before = _files(folders["event_media"])

    result = app.test_cli_runner().invoke(args=["restore", path])
    assert result.exit_code != 0
    assert "nie jest pusta" in result.output and "is not empty" in result.output
    assert "Przywrócono" not in result.output
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count()).select_from(Service)) == services_before
    assert _files(folders["event_media"]) == media_before


def test_an_archive_from_newer_code_is_refused(app, folders, empty_database, restored_folders, tmp_path):
    import json

    _populate(app, folders, full=False)
    path = _backup(app, folders).path

    def future(name, data):
        if name != archive.META:
            return data
        meta = json.loads(data)
        meta["database"]["schema_revisions"] = ["0099_from_the_future"]
        return archive.meta_bytes(meta)

    newer = _rewrite(path, str(tmp_path / "newer.tar.gz"), future)
    result = _invoke(make_app(empty_database), ["restore", newer])
    assert result.exit_code != 0
    assert "z nowszej wersji portalu" in result.output and "from a newer version" in result.output
    assert "0099_from_the_future" in result.output
    with pytest.raises(BackupError, match="nowszej wersji"):
        services.verify(newer, migrations_dir=MIGRATIONS)
    _assert_still_empty(empty_database)
    assert not os.path.exists(restored_folders["plan_scans"])


def test_an_archive_of_the_other_kind_of_database_is_refused(app, folders, empty_database, restored_folders,
                                                             tmp_path):
    import json

    _populate(app, folders, full=False)
    path = _backup(app, folders).path
    other = "postgresql" if empty_database.startswith("sqlite") else "sqlite"

    def other_kind(name, data):
        if name != archive.META:
            return data
        meta = json.loads(data)
        meta["database"]["kind"] = other
        return archive.meta_bytes(meta)

    crossed = _rewrite(path, str(tmp_path / "crossed.tar.gz"), other_kind)
    with pytest.raises(BackupError, match="Przenoszenia kopii między rodzajami baz nie ma") as refused:
        _restore(crossed, empty_database, restored_folders)
    assert "across kinds of database is not supported" in refused.value.english
    _assert_still_empty(empty_database)


def test_a_file_of_another_content_under_the_same_name_is_refused(app, folders, empty_database, restored_folders):
    _populate(app, folders, full=False)
    path = _backup(app, folders).path
    name = next(n for n in os.listdir(folders["event_media"]) if not n.startswith("."))
    os.makedirs(restored_folders["event_media"])
    with open(os.path.join(restored_folders["event_media"], name), "wb") as handle:
        handle.write(b"another picture")

    with pytest.raises(BackupError, match="już inny plik o tej samej nazwie"):
        _restore(path, empty_database, restored_folders)
    _assert_still_empty(empty_database)
    assert not os.path.exists(restored_folders["plan_scans"])


# --- the audit log after a restore ------------------------------------------------------------------

def test_the_audit_log_refuses_update_and_delete_after_a_restore(app, folders, empty_database, restored_folders):
    from portal.audit.models import AuditEvent
    from portal.audit.services import record

    _populate(app, folders, full=False)
    record("export", None, actor=None, summary="kopia", object_type="backup")
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    _restore(_backup(app, folders).path, empty_database, restored_folders)

    _audit_is_append_only(empty_database)
    # Appending still works (the id sequence came back too).
    engine = create_engine(empty_database, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(AuditEvent.__table__.insert().values(action="view", object_type="resident",
                                                                summary="", at=datetime.now(timezone.utc)))
    engine.dispose()


# --- while the portal writes ------------------------------------------------------------------------

def _writer(database_url):
    """(insert(query), close) on a connection of its own. On SQLite with no
    busy wait at all: a backup that took a lock would fail it at once with
    "database is locked"."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(make_url(database_url).database, timeout=0, isolation_level=None,
                                     check_same_thread=False)

        def insert(query, commit=True):
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO search_count (day, query, searches, misses, results, last_at, handled) "
                               "VALUES (?, ?, 1, 1, 0, ?, 0)",
                               (datetime.now(timezone.utc).date().isoformat(), query,
                                datetime.now(timezone.utc).isoformat(" ")))
            if commit:
                connection.execute("COMMIT")

        def finish():
            if connection.in_transaction:
                connection.execute("COMMIT")
            connection.close()

        return insert, finish
    engine = create_engine(database_url, poolclass=NullPool)
    connection = engine.connect()

    def insert(query, commit=True):
        connection.execute(text("INSERT INTO search_count (day, query, searches, misses, results, last_at, handled) "
                                "VALUES (current_date, :q, 1, 1, 0, now(), false)"), {"q": query})
        if commit:
            connection.commit()

    def finish():
        connection.commit()
        connection.close()
        engine.dispose()

    return insert, finish


def test_backup_runs_while_another_connection_writes(app, folders, database_url, empty_database,
                                                     restored_folders):
    from portal.catalogue.models import SearchCount

    _populate(app, folders, full=False)
    misses = db.session.scalar(select(db.func.count()).select_from(SearchCount))
    db.session.remove()

    # A write transaction held open for the whole backup: the backup neither
    # waits for it nor sees its row.
    insert, finish = _writer(database_url)
    try:
        insert("niezatwierdzone", commit=False)
        first = _backup(app, folders, now=datetime(2026, 12, 4, 21, 30, tzinfo=timezone.utc))
    finally:
        finish()
    assert first.meta["database"]["tables"]["search_count"] == misses

    # A writer committing row after row while backups run.
    errors, written, started, stop = [], [], threading.Event(), threading.Event()

    def write():
        insert, finish = _writer(database_url)
        try:
            while not stop.is_set():
                insert(f"w-{len(written):05d}")
                written.append(len(written))
                started.set()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            started.set()
            finish()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        started.wait()
        results = [_backup(app, folders, now=datetime(2026, 12, 5, 2, 15, second, tzinfo=timezone.utc))
                   for second in range(3)]
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert written

    # The last archive restores, and holds a consistent prefix of the writes.
    _restore(results[-1].path, empty_database, restored_folders)
    engine = create_engine(empty_database, poolclass=NullPool)
    with engine.connect() as connection:
        queries = list(connection.execute(text("SELECT query FROM search_count WHERE query LIKE 'w-%' "
                                               "ORDER BY query")).scalars())
    engine.dispose()
    assert queries == [f"w-{n:05d}" for n in range(len(queries))]
    assert len(queries) == results[-1].meta["database"]["tables"]["search_count"] - misses - 1


# --- old archives -----------------------------------------------------------------------------------

def test_keep_removes_only_older_archives(app, folders):
    """`flask backup --keep 2`: the new archive and the newest older one stay."""
    _populate(app, folders, full=False)
    backups = app.config["BACKUP_DIR"]
    start = datetime(2026, 11, 1, 2, 15, tzinfo=timezone.utc)
    older = [_backup(app, folders, now=start + timedelta(days=day)).path for day in range(3)]
    with open(os.path.join(backups, "notatki.txt"), "w") as handle:
        handle.write("not ours")

    result = app.test_cli_runner().invoke(args=["backup", "--keep", "2"])
    assert result.exit_code == 0, result.output
    assert "Older backups removed: 2" in result.output
    left = sorted(os.listdir(backups))
    newest = [n for n in left if n.endswith(".tar.gz") and n != os.path.basename(older[-1])]
    assert left == sorted([os.path.basename(older[-1]), os.path.basename(older[-1]) + ".sha256",
                           newest[0], newest[0] + ".sha256", "notatki.txt"])
    assert services.prune(backups, 5) == []


def test_check_verifies_an_archive_without_restoring(app, folders):
    _populate(app, folders, full=False)
    path = _backup(app, folders).path
    result = app.test_cli_runner().invoke(args=["restore", "--check", path])
    assert result.exit_code == 0, result.output
    assert "The archive is sound" in result.output and "Checksums match" in result.output
