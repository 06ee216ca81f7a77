"""Backup and restore of the database and the media files, as one tar archive.

An archive holds, in this order:

- `database.sqlite3` (SQLite, through the online backup API: a consistent copy while the
  platform serves) or `database.pgdump` (PostgreSQL, `pg_dump -Fc` in the snapshot the
  counts were read in);
- `media/<name>` for every file of the default storage (attachments, documents...);
- `manifest.json`: the format, when, Django's version, the database vendor, the numbers of
  cases and attachments in the dump, the applied migrations, and the sha256 and size of
  every other member.

The database is copied first, then the files: a file a case of the copy refers to was
stored before that case was committed (`case_submit` stores files first), so it is there
when the files are read; a file added later is simply extra.

A restore checks every member against the manifest before it writes anything, refuses to
overwrite a database that has tables unless forced, then restores the database and the
files and checks the numbers of cases and attachments.
"""

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from danvan.cases.models import Attachment, Case

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024
SPOOL_BYTES = 16 * CHUNK  # a restored file larger than this is copied through a temporary file


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


@dataclass
class Report:
    archive: Path
    cases: int
    attachments: int
    files: int
    notes: list[str] = field(default_factory=list)


# Backup


def backup(
    output: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage = default_storage,
    now: datetime | None = None,
) -> Report:
    """Write `danvan-backup-<UTC time>.tar` into `output` (made private: it holds personal
    data); a half-written archive is `*.tar.partial`, renamed only when complete."""
    connection = connections[using]
    dump_name = DUMPS.get(connection.vendor)
    if dump_name is None:
        raise BackupError(f"cannot back up a {connection.vendor} database")
    now = now or datetime.now(tz=UTC)
    output.mkdir(parents=True, exist_ok=True)
    final = output / f"danvan-backup-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar"
    partial = final.with_name(final.name + ".partial")
    files: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="danvan-backup-") as work:
        dump = Path(work) / dump_name
        if connection.vendor == "sqlite":
            state = _dump_sqlite(connection, dump)
        else:
            state = _dump_postgres(connection, dump)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
                with dump.open("rb") as source:
                    files[dump_name] = _add(tar, dump_name, source, dump.stat().st_size)
                for name in media_files(storage):
                    with storage.open(name, "rb") as source:
                        files[MEDIA + name] = _add(tar, MEDIA + name, source, storage.size(name))
                manifest = {
                    "format": FORMAT,
                    "created_at": now.isoformat(),
                    "django": django.get_version(),
                    "vendor": connection.vendor,
                    "database": dump_name,
                    **state,
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
                tar.addfile(info, _Hashing(_bytes_reader(data)))
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    counts = state["counts"]
    return Report(final, counts["cases"], counts["attachments"], len(files) - 1)


def media_files(storage: Storage, top: str = "") -> Iterator[str]:
    """Every file of the storage, directories walked in name order."""
    try:
        directories, names = storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield f"{top}/{name}" if top else name
    for directory in sorted(directories):
        yield from media_files(storage, f"{top}/{directory}" if top else directory)


def _add(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(datetime.now(tz=UTC).timestamp())
    reader = _Hashing(source)
    tar.addfile(info, reader)
    return {"sha256": reader.hexdigest(), "size": size}


class _Hashing:
    """A file reader that hashes what passes through it."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.hash.update(data)
        return data

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def _bytes_reader(data: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(data)


def _dump_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> dict[str, Any]:
    """The online backup API: a consistent copy, while others keep reading and writing."""
    name = _sqlite_file(connection)
    if not Path(name).is_file():
        raise BackupError(f"no SQLite database file at {name!r}")
    source = sqlite3.connect(name, timeout=60)
    target = sqlite3.connect(dump)
    try:
        source.backup(target)
        return _state(target.cursor())
    finally:
        target.close()
        source.close()


def _sqlite_file(connection: BaseDatabaseWrapper) -> str:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("an in-memory SQLite database has no file to back up or restore")
    return name


def _dump_postgres(connection: BaseDatabaseWrapper, dump: Path) -> dict[str, Any]:
    """`pg_dump -Fc` in the very snapshot the counts and migrations are read in."""
    if connection.in_atomic_block:
        raise BackupError("cannot back up from inside a transaction")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        row = cursor.fetchone()
        assert row is not None  # noqa: S101 - the function always returns a row
        state = _state(cursor)
        command = [_pg_binary("pg_dump"), "-Fc", f"--snapshot={row[0]}", "-f", str(dump)]
        _run_pg(connection, [*command, str(connection.settings_dict["NAME"])])
    return state


def _state(cursor: Any) -> dict[str, Any]:
    """Numbers of cases and attachments, and the applied migrations, read through `cursor`."""
    counts = {}
    for key, model in (("cases", Case), ("attachments", Attachment)):
        cursor.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}")  # noqa: S608 - a model's table
        counts[key] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return {"counts": counts, "migrations": migrations}


def _pg_binary(name: str) -> str:
    """From PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parents[1].name),
    )
    if not versions:
        raise BackupError(f"{name} not found (install postgresql-client)")
    return versions[-1]


def _run_pg(connection: BaseDatabaseWrapper, command: list[str]) -> None:
    """Run a PostgreSQL client with the connection's settings in its environment (so the
    password is never on a command line)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", settings.get("PORT")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGSSLMODE", settings.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    result = subprocess.run(command, capture_output=True, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        message = (result.stderr or result.stdout).decode(errors="replace").strip()
        raise BackupError(f"{Path(command[0]).name} failed: {message}")


# Restore


def restore(
    archive: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage = default_storage,
    force: bool = False,
) -> Report:
    """Restore the database and the files of `archive` (see the module's docstring)."""
    connection = connections[using]
    if connection.introspection.table_names() and not force:
        raise BackupError(
            "the database is not empty; restoring would replace it (use --force to do so)"
        )
    with tarfile.open(archive, mode="r:") as tar:
        manifest = verify(tar)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"the archive holds a {manifest['vendor']} database, this is {connection.vendor}"
            )
        with tempfile.TemporaryDirectory(prefix="danvan-restore-") as work:
            dump = Path(work) / manifest["database"]
            _extract(tar, manifest, manifest["database"], dump)
            connection.close()
            if connection.vendor == "sqlite":
                _restore_sqlite(connection, dump)
            else:
                command = [_pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner"]
                command += ["--no-privileges", "--single-transaction", "--exit-on-error"]
                command += ["-d", str(connection.settings_dict["NAME"]), str(dump)]
                _run_pg(connection, command)
        media = sorted(name for name in manifest["files"] if name.startswith(MEDIA))
        for name in media:
            _restore_file(tar, manifest, name, storage)
    cases, attachments = Case.objects.using(using).count(), Attachment.objects.using(using).count()
    expected = manifest["counts"]
    if (cases, attachments) != (expected["cases"], expected["attachments"]):
        raise BackupError(
            f"restored {cases} cases and {attachments} attachments, "
            f"the manifest says {expected['cases']} and {expected['attachments']}"
        )
    return Report(archive, cases, attachments, len(media), _migration_notes(manifest))


def verify(tar: tarfile.TarFile) -> dict[str, Any]:
    """The manifest, once every member is checked: a regular file with a safe name, listed
    in the manifest with its sha256, and nothing listed missing."""
    try:
        member = tar.getmember(MANIFEST)
        source = tar.extractfile(member)
        assert source is not None  # noqa: S101 - getmember gave a regular file
        manifest: dict[str, Any] = json.loads(source.read())
    except (KeyError, ValueError) as error:
        raise BackupError(f"not a Dân Vận backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    files: dict[str, dict[str, Any]] = manifest["files"]
    seen = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if not member.isfile() or not _safe(member.name) or member.name not in files:
            raise BackupError(f"unexpected member in the archive: {member.name!r}")
        if _sha256(tar, member) != files[member.name]["sha256"]:
            raise BackupError(f"{member.name}: sha256 differs from the manifest")
        seen.add(member.name)
    if missing := sorted(set(files) - seen):
        raise BackupError(f"missing from the archive: {', '.join(missing[:5])}")
    if manifest["database"] not in files:
        raise BackupError("the archive holds no database")
    return manifest


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name in DUMPS.values() or (name.startswith(MEDIA) and len(path.parts) > 1))
    )


def _sha256(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    source = tar.extractfile(member)
    assert source is not None  # noqa: S101 - members are checked to be regular files
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _extract(tar: tarfile.TarFile, manifest: dict[str, Any], name: str, target: Path) -> None:
    with target.open("wb") as out:
        _copy_checked(tar, manifest, name, out)


def _copy_checked(
    tar: tarfile.TarFile, manifest: dict[str, Any], name: str, out: IO[bytes]
) -> None:
    """Copy member `name` into `out`, hashing it on the way: verify() read it once already,
    and this copy is the one restored, so it is checked again."""
    source = tar.extractfile(name)
    assert source is not None  # noqa: S101 - verified
    reader = _Hashing(source)
    shutil.copyfileobj(reader, out, CHUNK)
    if reader.hexdigest() != manifest["files"][name]["sha256"]:
        raise BackupError(f"{name}: sha256 differs from the manifest")


def _restore_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """Copy the dump into the database file through the backup API (a WAL-mode file and
    its -wal and -shm files stay consistent)."""
    name = _sqlite_file(connection)
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(name, timeout=60)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_file(
    tar: tarfile.TarFile, manifest: dict[str, Any], member: str, storage: Storage
) -> None:
    """Copy the member aside, checked, then store it: the storage gets a seekable file it
    may read twice (S3 uploads rewind), and a damaged copy is never stored."""
    name = member.removeprefix(MEDIA)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as copy:
        _copy_checked(tar, manifest, member, copy)
        copy.seek(0)
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, File(copy, name=name))
    if saved != name:
        raise BackupError(f"{member}: the storage saved it as {saved!r}")


def _migration_notes(manifest: dict[str, Any]) -> list[str]:
    """What to do when the archive's migrations and this code's differ."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    notes = []
    if unknown := sorted(applied - known):
        notes.append(
            f"the backup has {len(unknown)} migration(s) this code does not know "
            f"(e.g. {unknown[0][0]}.{unknown[0][1]}): restore with the code it was made with"
        )
    if applied and (missing := sorted(known - applied)):
        notes.append(f"{len(missing)} migration(s) not applied yet: run `manage.py migrate`")
    return notes
