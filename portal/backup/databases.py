"""The database half of a backup, for each kind the portal runs on.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live
file page by page in one step under a read transaction. In WAL mode that
never blocks the portal's writers, and it sees exactly the committed state
at its start (a plain file copy could catch a half-written page or miss the
WAL). The copy is switched out of WAL so that it is one self-contained file.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; pg_dump
(custom format) dumps from that very snapshot, and the schema revision and
row counts are read in it too, so `meta.json` describes exactly the dump.
pg_dump dumps the schema as well as the data: the audit log's append-only
function and trigger come back with `pg_restore`, exactly as they were.

The tools come from Debian's postgresql-client (`apt-get install
postgresql-client`): found on PATH, else the newest
/usr/lib/postgresql/<version>/bin. Their error output is filtered before it
is shown, since a failed COPY can quote a row.
"""
import glob
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from . import BackupError
from .archive import open_private

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
MEMBERS = {SQLITE: "database.sqlite3", POSTGRESQL: "database.dump"}
LABELS = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")


@dataclass
class Facts:
    """What a backup records about its database (no content of any row)."""

    kind: str
    revisions: list
    tables: dict = field(default_factory=dict)   # table -> row count
    server_version: str | None = None


def kind_of(url):
    backend = make_url(url).get_backend_name()
    if backend not in (SQLITE, POSTGRESQL):
        raise BackupError(f"Nieobsługiwany rodzaj bazy danych: {backend}.",
                          f"Unsupported kind of database: {backend}.")
    return backend


def _database_name(url):
    return make_url(url).database or "?"


# --- SQLite ---------------------------------------------------------------------------------------

def sqlite_path(url):
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Kopia zapasowa potrzebuje bazy SQLite w pliku (DATABASE_URL=sqlite:////ścieżka/plik).",
                          "A backup needs an SQLite database in a file (DATABASE_URL=sqlite:////path/file).")
    return os.path.abspath(database)


def _sqlite_existing(path):
    """A connection that never creates the file (mode=rw)."""
    return sqlite3.connect(Path(path).as_uri() + "?mode=rw", uri=True, timeout=30)


def _quote(identifier):
    return '"' + identifier.replace('"', '""') + '"'


def _sqlite_facts(connection):
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    tables = {name: connection.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0] for name in names}
    revisions = []
    if "alembic_version" in tables:
        revisions = sorted(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))
    return Facts(SQLITE, revisions, tables, sqlite3.sqlite_version)


def _sqlite_objects(connection):
    return connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]


def _integrity(connection):
    result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError("Kopia bazy SQLite nie przeszła sprawdzenia spójności (PRAGMA integrity_check).",
                          "The SQLite copy failed its integrity check (PRAGMA integrity_check).")


def dump_sqlite(url, target):
    path = sqlite_path(url)
    if not os.path.isfile(path):
        raise BackupError("Nie ma pliku bazy danych SQLite wskazanego przez DATABASE_URL.",
                          "The SQLite database file named by DATABASE_URL does not exist.")
    open_private(target).close()
    # The portal's connections wait up to 10 s for a lock; so does this one.
    source = sqlite3.connect(path, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one step: the whole file from one read transaction
            copy.execute("PRAGMA journal_mode=DELETE")
            _integrity(copy)
            return _sqlite_facts(copy)
        finally:
            copy.close()
    finally:
        source.close()


def _sqlite_not_empty(count):
    return BackupError(
        f"Baza danych docelowa nie jest pusta (obiektów w schemacie: {count}). Przywracanie odbywa się tylko "
        "do nowej, pustej bazy: wskaż w DATABASE_URL nowy plik SQLite.",
        f"The target database is not empty ({count} schema objects). A restore only goes into a new, empty "
        "database: point DATABASE_URL at a new SQLite file.")


def sqlite_is_empty(url):
    path = sqlite_path(url)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return 0
    connection = _sqlite_existing(path)
    try:
        return _sqlite_objects(connection)
    except sqlite3.DatabaseError:
        raise BackupError("Plik wskazany w DATABASE_URL istnieje, ale nie jest bazą SQLite.",
                          "The file DATABASE_URL names exists but is not an SQLite database.") from None
    finally:
        connection.close()


def restore_sqlite(url, copy):
    """Copy the archived file into the (empty) target through the backup API."""
    path = sqlite_path(url)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    created = not os.path.exists(path)
    if created:
        open_private(path).close()
    try:
        target = sqlite3.connect(path, timeout=30)
        try:
            objects = _sqlite_objects(target)
            if objects:
                raise _sqlite_not_empty(objects)
            source = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                source.close()
            _integrity(target)
        finally:
            target.close()
    except BaseException:
        if created:
            for suffix in ("", "-journal", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
        raise
    os.chmod(path, 0o600)


# --- PostgreSQL -----------------------------------------------------------------------------------

def find_tool(name):
    """pg_dump / pg_restore: on PATH (Debian's pg_wrapper picks the version
    for the server), else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found

    def version(path):
        match = re.search(r"/postgresql/(\d+)", path)
        return int(match.group(1)) if match else 0

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if candidates:
        return candidates[-1]
    raise BackupError(
        f"Nie znaleziono programu {name}. Zainstaluj klienta PostgreSQL: "
        "apt-get install postgresql-client (albo make backup-deps).",
        f"{name} was not found. Install the PostgreSQL client: "
        "apt-get install postgresql-client (or make backup-deps).")


def _libpq(url):
    """A libpq connection string for the tools; the password goes through
    PGPASSWORD, never onto a command line other users can read in `ps`."""
    parsed = make_url(url)

    def quote(value):
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    params = {"dbname": parsed.database, "host": parsed.host, "port": parsed.port, "user": parsed.username}
    params.update({key: value for key, value in parsed.query.items() if isinstance(value, str)})
    conninfo = " ".join(f"{key}={quote(value)}" for key, value in params.items() if value not in (None, ""))
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return conninfo, env


def _run(tool, arguments, url):
    conninfo, env = _libpq(url)
    result = subprocess.run([find_tool(tool), f"--dbname={conninfo}", *arguments], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, errors="replace", check=False)
    if result.returncode != 0:
        # Only the tool's own error lines: DETAIL / CONTEXT / "Command was"
        # lines can quote rows.
        lines = [line.split("DETAIL:")[0].strip()[:300] for line in result.stderr.splitlines()
                 if line.startswith(f"{tool}: error:")][:3]
        shown = "\n".join(lines) or f"{tool}: exit {result.returncode}"
        raise BackupError(f"{tool} zakończył się błędem:\n{shown}", f"{tool} failed:\n{shown}")


def _engine(url):
    return create_engine(url, poolclass=NullPool)


def _cannot_connect(url):
    name = _database_name(url)
    return BackupError(
        f"Nie można połączyć się z bazą danych „{name}”. Sprawdź DATABASE_URL; nową bazę tworzy "
        f"się poleceniem createdb.",
        f"Cannot connect to the database '{name}'. Check DATABASE_URL; create a new one with createdb.")


def _postgres_facts(connection):
    rows = connection.execute(text(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY table_schema, table_name")).all()
    tables = {}
    for schema, name in rows:
        key = name if schema == "public" else f"{schema}.{name}"
        tables[key] = connection.execute(text(f"SELECT count(*) FROM {_quote(schema)}.{_quote(name)}")).scalar_one()
    revisions = []
    if "alembic_version" in tables:
        revisions = sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    server = connection.execute(text("SHOW server_version")).scalar_one()
    return Facts(POSTGRESQL, revisions, tables, server)


def dump_postgres(url, target):
    find_tool("pg_dump")  # a missing tool is said before anything else happens
    open_private(target).close()
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                connection.execute(text("SET TRANSACTION READ ONLY"))
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                facts = _postgres_facts(connection)
                # The snapshot lives as long as this transaction: pg_dump runs inside it.
                _run("pg_dump", ["--format=custom", "--no-password", f"--snapshot={snapshot}",
                                 f"--file={target}"], url)
        return facts
    except OperationalError:
        raise _cannot_connect(url) from None
    finally:
        engine.dispose()


def postgres_objects(url):
    """Relations and functions in the database's own schemas (extension
    members aside): zero for a database fresh from createdb."""
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%') "
                "     + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass "
                "                        AND d.objid = p.oid AND d.deptype = 'e'))")).scalar_one()
    except OperationalError:
        raise _cannot_connect(url) from None
    finally:
        engine.dispose()


def restore_postgres(url, dump):
    """pg_restore in one transaction: the whole database or nothing. Owners
    and grants are left out, so the objects belong to DATABASE_URL's user."""
    _run("pg_restore", ["--exit-on-error", "--single-transaction", "--no-owner", "--no-acl", "--no-password",
                        dump], url)


# --- both -----------------------------------------------------------------------------------------

def dump(url, target):
    return dump_sqlite(url, target) if kind_of(url) == SQLITE else dump_postgres(url, target)


def objects_in(url):
    """How many schema objects the target holds (0: empty)."""
    return sqlite_is_empty(url) if kind_of(url) == SQLITE else postgres_objects(url)


def not_empty(url, count):
    if kind_of(url) == SQLITE:
        return _sqlite_not_empty(count)
    name = _database_name(url)
    return BackupError(
        f"Baza danych docelowa „{name}” nie jest pusta (obiektów w schemacie: {count}). Przywracanie odbywa "
        "się tylko do nowej, pustej bazy: utwórz ją (createdb) i wskaż w DATABASE_URL.",
        f"The target database '{name}' is not empty ({count} schema objects). A restore only goes into a "
        "new, empty database: create one (createdb) and point DATABASE_URL at it.")


def restore(url, copy):
    if kind_of(url) == SQLITE:
        restore_sqlite(url, copy)
    else:
        restore_postgres(url, copy)


def facts(url):
    """Revision and row counts of a database, read the same way as at backup."""
    if kind_of(url) == SQLITE:
        connection = _sqlite_existing(sqlite_path(url))
        try:
            return _sqlite_facts(connection)
        finally:
            connection.close()
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return _postgres_facts(connection)
    finally:
        engine.dispose()
