"""Back up and restore: plain functions with explicit arguments (a database
URL, the upload folders by key, a backup folder), no app or request needed.

`create_backup` writes `<dir>/cus-backup-<UTC time>.tar.gz` (0600, in a
0700 folder) through a hidden `.part` file that is renamed only when
complete, then the `.sha256` beside it. The database is copied first and
the uploaded files after it: files are written before the row that names
them is committed, so every file the copied database refers to is already
there; a file uploaded meanwhile is an orphan the portal tidies away.

`restore_backup` checks everything it can before it changes anything: the
checksums, the archive's format, the database kind, the schema revision
against the code's migrations, that the target database is empty, that no
uploaded file of another content sits under the same name. Then it writes
the files, restores the database (one transaction on PostgreSQL, one
backup-API copy on SQLite) and removes the files it wrote if that fails;
finally it compares the row counts with the archive's.
"""
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import BackupError, archive, databases

# The upload folders a backup carries, by the key used inside the archive.
# Not the catalogue import folder: its files live for minutes and are
# deleted once imported.
UPLOAD_FOLDERS = ("event_media", "plan_scans")


@dataclass
class BackupResult:
    path: str
    checksum: str
    size: int
    meta: dict
    removed: list = field(default_factory=list)


@dataclass
class RestoreResult:
    kind: str
    revisions: list
    tables: int
    rows: int
    files_written: int
    files_present: int
    heads: list
    outer_checksum: bool | None

    @property
    def needs_upgrade(self):
        return sorted(self.revisions) != sorted(self.heads)


def private_folder(path):
    """Create the folder 0700, or take group and other access away from it."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o700)
    except PermissionError:
        pass  # someone else's folder: the archives themselves are still 0600


def _upload_files(folders):
    """(key, file name, path) of each regular file, sorted. The folders are
    flat (random names); dot files are uploads still being written."""
    for key in sorted(folders):
        folder = folders[key]
        if not folder or not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if name.startswith(".") or os.path.islink(path) or not os.path.isfile(path):
                continue
            if archive.valid_member_path(f"{archive.FILES_PREFIX}{key}/{name}"):
                yield key, name, path


def create_backup(database_url, folders, backup_dir, *, now=None):
    """Write one archive and its checksum; returns a BackupResult."""
    kind = databases.kind_of(database_url)
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    private_folder(backup_dir)
    name = archive.archive_name(moment)
    final = os.path.join(backup_dir, name)
    if os.path.exists(final):
        raise BackupError(f"Archiwum {name} już istnieje; spróbuj za sekundę.",
                          f"The archive {name} already exists; try again in a second.")
    staging = tempfile.mkdtemp(prefix=".cus-backup-", dir=backup_dir)
    partial = os.path.join(backup_dir, f".{name}.part")
    try:
        copy = os.path.join(staging, databases.MEMBERS[kind])
        facts = databases.dump(database_url, copy)
        counts = dict.fromkeys(sorted(folders), 0)
        with archive.open_private(partial) as handle:
            writer = archive.ArchiveWriter(handle, moment.timestamp())
            writer.add_path(databases.MEMBERS[kind], copy)
            for key, relative, path in _upload_files(folders):
                if writer.add_path(f"{archive.FILES_PREFIX}{key}/{relative}", path):
                    counts[key] += 1
            meta = {
                "format": archive.FORMAT,
                "format_version": archive.FORMAT_VERSION,
                "created_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "database": {
                    "kind": kind,
                    "schema_revisions": facts.revisions,
                    "server_version": facts.server_version,
                    "member": databases.MEMBERS[kind],
                    "tables": facts.tables,
                },
                "files": counts,
            }
            writer.add_bytes(archive.META, archive.meta_bytes(meta))
            writer.close()
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, final)
        digest = archive.write_checksum(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if os.path.exists(partial):
            os.remove(partial)
    return BackupResult(path=final, checksum=digest, size=os.path.getsize(final), meta=meta)


def prune(backup_dir, keep):
    """Remove all but the newest `keep` archives (and their .sha256); only
    files named like our archives are ever touched. Returns the names removed."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    if not os.path.isdir(backup_dir):
        return []
    names = sorted((n for n in os.listdir(backup_dir) if archive.NAME_RE.match(n)), reverse=True)
    removed = []
    for name in names[keep:]:
        path = os.path.join(backup_dir, name)
        os.remove(path)
        if os.path.exists(archive.checksum_path(path)):
            os.remove(archive.checksum_path(path))
        removed.append(name)
    return removed


def _known_revisions(migrations_dir):
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(migrations_dir)
    return {revision.revision for revision in script.walk_revisions()}, sorted(script.get_heads())


def check_revisions(revisions, migrations_dir):
    """The code's heads; refuses an archive whose schema this code does not know."""
    known, heads = _known_revisions(migrations_dir)
    if not revisions:
        raise BackupError("Archiwum nie zapisało rewizji schematu bazy (alembic_version): nie da się go "
                          "bezpiecznie przywrócić.",
                          "The archive records no schema revision (alembic_version): it cannot be restored "
                          "safely.")
    unknown = [revision for revision in revisions if revision not in known]
    if unknown:
        shown = ", ".join(unknown)[:200]
        raise BackupError(
            f"Archiwum pochodzi z nowszej wersji portalu: rewizji schematu {shown} nie ma w migracjach tego "
            "kodu. Zainstaluj wersję portalu, z której pochodzi kopia, i przywróć ją tamtą wersją.",
            f"The archive comes from a newer version of the portal: schema revision {shown} is not among this "
            "code's migrations. Install the portal version the backup came from and restore with it.")
    return heads


def _check_kind(meta, database_url):
    archived = (meta.get("database") or {}).get("kind")
    target = databases.kind_of(database_url)
    if archived not in databases.LABELS:
        raise BackupError("Archiwum nie mówi, z jakiej bazy danych pochodzi.",
                          "The archive does not say which kind of database it came from.")
    if archived != target:
        raise BackupError(
            f"Kopia pochodzi z bazy {databases.LABELS[archived]}, a DATABASE_URL wskazuje bazę "
            f"{databases.LABELS[target]}. Przenoszenia kopii między rodzajami baz nie ma: przywróć ją do "
            f"bazy {databases.LABELS[archived]}.",
            f"The backup comes from {databases.LABELS[archived]} but DATABASE_URL names "
            f"{databases.LABELS[target]}. Restoring across kinds of database is not supported: restore it "
            f"into {databases.LABELS[archived]}.")
    return databases.MEMBERS[archived]


def verify(path, *, migrations_dir=None):
    """Check an archive without restoring it; returns its meta."""
    if not os.path.isfile(path):
        raise BackupError("Nie ma takiego pliku archiwum.", "No such archive file.")
    outer = archive.check_outer_checksum(path)
    contents = archive.read(path)
    if migrations_dir:
        check_revisions((contents.meta.get("database") or {}).get("schema_revisions"), migrations_dir)
    return contents.meta, outer


def _same_file(path, digest):
    return os.path.isfile(path) and archive.file_digest(path) == digest


def restore_backup(path, database_url, folders, *, migrations_dir):
    """Restore an archive into an empty database and the upload folders."""
    if not os.path.isfile(path):
        raise BackupError("Nie ma takiego pliku archiwum.", "No such archive file.")
    outer = archive.check_outer_checksum(path)
    # Before the archive is even unpacked: a refusal should not wait for it.
    objects = databases.objects_in(database_url)
    if objects:
        raise databases.not_empty(database_url, objects)
    staging = tempfile.mkdtemp(prefix="cus-restore-")
    written = []
    try:
        contents = archive.read(path, staging)
        meta = contents.meta
        member = _check_kind(meta, database_url)
        if contents.database_member != member:
            raise BackupError("Archiwum nie zawiera kopii bazy danych.", "The archive holds no database copy.")
        revisions = (meta.get("database") or {}).get("schema_revisions")
        heads = check_revisions(revisions, migrations_dir)

        plan, present = [], 0
        for key, file_name, member_name in contents.files():
            if key not in folders:
                raise BackupError(f"Archiwum zawiera pliki z folderu „{key}”, którego ten kod nie zna.",
                                  f"The archive holds files of a folder '{key}' this code does not know.")
            target = os.path.join(folders[key], file_name)
            if os.path.lexists(target):
                if not _same_file(target, contents.digests[member_name]):
                    raise BackupError(
                        f"W folderze „{key}” jest już inny plik o tej samej nazwie ({file_name[:80]}). "
                        "Przywracaj do pustych folderów albo przenieś te pliki.",
                        f"The folder '{key}' already holds a different file of the same name "
                        f"({file_name[:80]}). Restore into empty folders or move those files away.")
                present += 1
                continue
            plan.append((target, member_name))

        objects = databases.objects_in(database_url)  # again: unpacking took a while
        if objects:
            raise databases.not_empty(database_url, objects)
        for target, name in plan:
            folder = os.path.dirname(target)
            os.makedirs(folder, mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".restore")  # 0600
            try:
                with os.fdopen(handle, "wb") as out, open(contents.paths[name], "rb") as source:
                    shutil.copyfileobj(source, out)
            except BaseException:
                os.remove(temporary)
                raise
            mtime = contents.mtimes[name]
            os.utime(temporary, (mtime, mtime))
            os.replace(temporary, target)
            written.append(target)
        databases.restore(database_url, contents.paths[member])
    except BaseException:
        for target in written:
            if os.path.exists(target):
                os.remove(target)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    restored = databases.facts(database_url)
    expected = (meta.get("database") or {}).get("tables") or {}
    if restored.tables != expected:
        differing = sorted(set(restored.tables) ^ set(expected)
                           | {t for t in expected if restored.tables.get(t) != expected[t]})
        raise BackupError(
            f"Po przywróceniu liczby wierszy różnią się od zapisanych w archiwum (tabele: {', '.join(differing)}). "
            "Nie używaj tej bazy; przywróć ją ponownie do nowej, pustej bazy.",
            f"After the restore the row counts differ from the archive's (tables: {', '.join(differing)}). "
            "Do not use this database; restore again into a new, empty one.")
    return RestoreResult(kind=restored.kind, revisions=restored.revisions, tables=len(restored.tables),
                         rows=sum(restored.tables.values()), files_written=len(written),
                         files_present=present, heads=heads, outer_checksum=outer)

