"""The archive format: a gzipped tar with a SHA-256 manifest inside and a
`.sha256` file beside it.

    database.sqlite3 | database.dump     the database copy
    files/<folder>/<name>                each uploaded file, by folder key
    meta.json                            kind, schema revision, row counts
    SHA256SUMS                           "<hex>  <member>" for every member above

Reading is strict: only regular files with the names above, no duplicates,
no path that could leave the extraction folder, every member in the
manifest with a matching digest and nothing in the manifest missing.
"""
import hashlib
import io
import json
import os
import re
import tarfile
import zlib
from dataclasses import dataclass, field

from . import BackupError

FORMAT = "portal-cus-backup"
FORMAT_VERSION = 1
META = "meta.json"
SUMS = "SHA256SUMS"
DATABASE_MEMBERS = ("database.sqlite3", "database.dump")
FILES_PREFIX = "files/"
NAME_RE = re.compile(r"^cus-backup-\d{4}-\d{2}-\d{2}T\d{6}Z\.tar\.gz$")
SUMS_LINE_RE = re.compile(r"^([0-9a-f]{64})  (\S.*)$")
FOLDER_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SMALL_MEMBER_LIMIT = 4 * 1024 * 1024  # meta.json and SHA256SUMS are read into memory
CHUNK = 1024 * 1024


def archive_name(moment):
    """cus-backup-2026-12-04T213005Z.tar.gz for an aware UTC datetime."""
    return f"cus-backup-{moment.strftime('%Y-%m-%dT%H%M%SZ')}.tar.gz"


def checksum_path(path):
    return f"{path}.sha256"


def open_private(path):
    """A new file only its owner can read (0600 whatever the umask)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_checksum(path):
    """Write `<archive>.sha256` in the format `sha256sum -c` reads."""
    digest = file_digest(path)
    with open_private(checksum_path(path)) as handle:
        handle.write(f"{digest}  {os.path.basename(path)}\n".encode())
    return digest


def check_outer_checksum(path):
    """True when the `.sha256` beside the archive matches, None when there is
    none; a mismatch is refused."""
    sums = checksum_path(path)
    if not os.path.exists(sums):
        return None
    with open(sums, "rb") as handle:
        text = handle.read(4096).decode("ascii", "replace").strip()
    match = SUMS_LINE_RE.match(text)
    if not match or file_digest(path) != match.group(1):
        raise BackupError(
            "Suma kontrolna archiwum się nie zgadza (plik .sha256): archiwum jest uszkodzone albo zmienione. "
            "Nic nie zostało przywrócone.",
            "The archive's checksum does not match (the .sha256 file): the archive is damaged or altered. "
            "Nothing was restored.")
    return True


def valid_member_path(name):
    """files/<folder key>/<file name>: the upload folders are flat, so a
    restore never creates a subfolder or follows one; no '..', no
    backslashes or control characters."""
    if not name.startswith(FILES_PREFIX):
        return False
    parts = name[len(FILES_PREFIX):].split("/")
    if len(parts) != 2 or not FOLDER_KEY_RE.match(parts[0]):
        return False
    part = parts[1]
    return part not in ("", ".", "..") and len(part) <= 255 and "\\" not in part \
        and not any(ord(c) < 32 for c in part)


class _Hashing:
    """Hands tarfile the bytes it reads and hashes exactly those."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


class ArchiveWriter:
    """Adds members while hashing them; `close()` appends SHA256SUMS."""

    def __init__(self, fileobj, mtime):
        self.mtime = int(mtime)
        self.sums = {}
        self.tar = tarfile.open(fileobj=fileobj, mode="w:gz", format=tarfile.PAX_FORMAT)

    def _info(self, name, size, mtime=None):
        if name in self.sums:
            raise ValueError(f"duplicate member {name}")
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(mtime if mtime is not None else self.mtime)
        info.mode = 0o600
        info.uname = info.gname = ""
        return info

    def add_path(self, name, path):
        """Add a file; returns False when it vanished before it was opened."""
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            return False
        with handle:
            stat = os.fstat(handle.fileno())
            hashing = _Hashing(handle)
            self.tar.addfile(self._info(name, stat.st_size, stat.st_mtime), hashing)
        self.sums[name] = hashing.digest.hexdigest()
        return True

    def add_bytes(self, name, data):
        self.tar.addfile(self._info(name, len(data)), io.BytesIO(data))
        self.sums[name] = hashlib.sha256(data).hexdigest()

    def close(self):
        lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(self.sums.items()))
        data = lines.encode()
        info = self._info(SUMS, len(data))
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()


@dataclass
class Contents:
    meta: dict
    digests: dict                                  # member -> sha256, as read
    paths: dict = field(default_factory=dict)      # member -> extracted path
    mtimes: dict = field(default_factory=dict)     # member -> mtime

    @property
    def database_member(self):
        return next((name for name in DATABASE_MEMBERS if name in self.digests), None)

    def files(self):
        """(folder key, file name, member) of every uploaded file."""
        for name in sorted(self.digests):
            if name.startswith(FILES_PREFIX):
                key, relative = name[len(FILES_PREFIX):].split("/", 1)
                yield key, relative, name


def _damaged():
    return BackupError(
        "Archiwum jest uszkodzone (nie da się go odczytać do końca). Nic nie zostało przywrócone.",
        "The archive is damaged (it cannot be read to the end). Nothing was restored.")


def _checksum_mismatch(detail_pl, detail_en):
    return BackupError(
        f"Sumy kontrolne w archiwum się nie zgadzają ({detail_pl}): archiwum jest uszkodzone albo zmienione. "
        "Nic nie zostało przywrócone.",
        f"The checksums inside the archive do not match ({detail_en}): the archive is damaged or altered. "
        "Nothing was restored.")


def _refused_member(name):
    shown = name[:80].encode("ascii", "replace").decode()
    return BackupError(f"Archiwum zawiera nieoczekiwany element „{shown}”. Nic nie zostało przywrócone.",
                       f"The archive holds an unexpected member '{shown}'. Nothing was restored.")


def read(path, staging=None):
    """Read the whole archive, checking every member against SHA256SUMS.
    With `staging` (a private folder) the members are extracted there."""
    digests, paths, mtimes, small = {}, {}, {}, {}
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for index, member in enumerate(tar):
                name = member.name
                allowed = name in (META, SUMS) or name in DATABASE_MEMBERS or valid_member_path(name)
                if not allowed or not member.isfile():
                    raise _refused_member(name)
                if name in digests:
                    raise _refused_member(name)
                source = tar.extractfile(member)
                digest = hashlib.sha256()
                if name in (META, SUMS):
                    if member.size > SMALL_MEMBER_LIMIT:
                        raise _refused_member(name)
                    data = source.read()
                    digest.update(data)
                    small[name] = data
                elif staging is not None:
                    target = os.path.join(staging, f"member-{index}")
                    with open_private(target) as out:
                        for chunk in iter(lambda: source.read(CHUNK), b""):
                            digest.update(chunk)
                            out.write(chunk)
                    paths[name] = target
                else:
                    for chunk in iter(lambda: source.read(CHUNK), b""):
                        digest.update(chunk)
                digests[name] = digest.hexdigest()
                mtimes[name] = member.mtime
    except BackupError:
        raise
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        raise _damaged() from None
    if SUMS not in small or META not in small:
        raise _checksum_mismatch("brak SHA256SUMS albo meta.json", "SHA256SUMS or meta.json is missing")
    listed = {}
    for line in small[SUMS].decode("utf-8", "replace").splitlines():
        match = SUMS_LINE_RE.match(line)
        if not match or match.group(2) in listed:
            raise _checksum_mismatch("nieczytelny wiersz SHA256SUMS", "an unreadable SHA256SUMS line")
        listed[match.group(2)] = match.group(1)
    members = {name: digest for name, digest in digests.items() if name != SUMS}
    if set(listed) != set(members):
        raise _checksum_mismatch("lista elementów", "the list of members")
    changed = sorted(name for name in members if members[name] != listed[name])
    if changed:
        raise _checksum_mismatch(f"zmienione elementy: {len(changed)}", f"members changed: {len(changed)}")
    try:
        meta = json.loads(small[META])
    except ValueError:
        raise _refused_member(META) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BackupError("To nie jest archiwum kopii zapasowej Portalu CUS.",
                          "This is not a Portal CUS backup archive.")
    if meta.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Archiwum ma format w wersji {meta.get('format_version')!r}, której ten kod nie zna.",
            f"The archive's format version {meta.get('format_version')!r} is unknown to this code.")
    contents = Contents(meta=meta, digests=members, paths=paths, mtimes=mtimes)
    if contents.database_member is None or sum(name in members for name in DATABASE_MEMBERS) != 1:
        raise _refused_member("database")
    return contents


def meta_bytes(meta):
    return json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"
