"""Backup and restore, end to end: letters with files in a file database (SQLite, then a
real PostgreSQL server), backed up, wiped, restored, and every letter and file found again."""

import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings

from danvan.cases.models import Attachment, Case
from danvan.ops.backup import MANIFEST
from danvan.ops.tests.s3_support import BUCKET, objects
from danvan.places.models import Agency, Unit
from testsupport.postgres_server import MANAGE, MIGRATE_ENV, postgres_server

FILES = [
    ("don-thu.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4),
    ("ảnh hiện trường.jpg", b"\xff\xd8\xff\xe0" + b"\x00\x01" * 300),
]


def media_storage(root):
    return {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def add_alias(alias, entry):
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS], alias: entry}
    )
    connections.settings[alias] = configured[alias]


def remove_alias(alias):
    connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def seed(using):
    """Three letters with two files each, in a unit and agency of their own."""
    unit = Unit.objects.using(using).create(
        level="commune", code="99001", name="Xã Thử Nghiệm", short_name="Thử Nghiệm", kind="Xã"
    )
    agency = Agency.objects.using(using).create(
        code="ubnd-thu-nghiem", name="UBND Xã Thử Nghiệm", type="peoples_committee",
        home_unit=unit,
    )  # fmt: skip
    for n in range(3):
        case = Case.objects.using(using).create(
            tracking_code=f"TN-{n:04d}", kind="feedback", title=f"Kiến nghị {n}",
            content="Đường làng ngập nước sau mưa.", unit=unit, agency=agency,
            rulebook_edition=date(2026, 1, 1),
        )  # fmt: skip
        for name, data in FILES:
            data = data + str(n).encode()
            stored = default_storage.save(f"cases/2026/11/{n}-{name}", ContentFile(data))
            Attachment.objects.using(using).create(
                case=case, file=stored, name=name, content_type="application/octet-stream",
                size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            )  # fmt: skip


def snapshot(using):
    """Every case, and every attachment with its file's bytes."""
    cases = sorted(Case.objects.using(using).values_list("pk", "tracking_code", "title"))
    files = {}
    for attachment in Attachment.objects.using(using).order_by("pk"):
        name = str(attachment.file.name)
        with default_storage.open(name, "rb") as f:
            files[(attachment.pk, attachment.case_id, name)] = f.read()
    return cases, files


def only_archive(directory):
    (archive,) = directory.iterdir()
    assert archive.name.startswith("danvan-backup-")
    assert archive.suffix == ".tar"
    assert archive.stat().st_mode & 0o077 == 0  # private: it holds personal data
    return archive


# SQLite

SQLITE = "ops_backup_sqlite"


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory, django_db_setup, django_db_blocker):
    """A file copy of the migrated test database, demo data included (once: no test's
    transaction is open yet)."""
    path = tmp_path_factory.mktemp("template") / "danvan.sqlite3"
    source = connections[DEFAULT_DB_ALIAS]
    if source.vendor != "sqlite":  # the suite runs on PostgreSQL: migrate a file of its own
        env = {**os.environ, **MIGRATE_ENV, "DATABASE_URL": f"sqlite:///{path}"}
        command = [sys.executable, str(MANAGE), "migrate", "--no-input", "-v", "0"]
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=MANAGE.parent)
        return path
    with django_db_blocker.unblock():
        source.ensure_connection()
        copy = sqlite3.connect(path)
        source.connection.backup(copy)
        copy.close()
    return path


@pytest.fixture
def sqlite_file(migrated_sqlite, tmp_path, db, django_db_blocker):
    """A fresh copy of that database as alias SQLITE, the media in a directory of its own."""
    path = tmp_path / "db" / "danvan.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(migrated_sqlite, path)
    with django_db_blocker.unblock():
        add_alias(SQLITE, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)})
        try:
            with override_settings(STORAGES=media_storage(tmp_path / "media")):
                yield path
        finally:
            remove_alias(SQLITE)


def test_sqlite_backup_then_restore_finds_every_case_and_file(
    sqlite_file, tmp_path, django_db_blocker
):
    with django_db_blocker.unblock():
        seed(SQLITE)
        before = snapshot(SQLITE)
        assert len(before[0]) >= 3
        assert len(before[1]) >= 6
        out = io.StringIO()
        call_command("backup", output=tmp_path / "backups", database=SQLITE, stdout=out)
        archive = only_archive(tmp_path / "backups")
        assert out.getvalue().split()[-3:] == [
            f"cases={len(before[0])}",
            f"attachments={len(before[1])}",
            f"files={len(before[1])}",
        ]

        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(archive), database=SQLITE)

        connections[SQLITE].close()
        for leftover in sqlite_file.parent.iterdir():
            leftover.unlink()  # the database, its -wal and -shm
        shutil.rmtree(tmp_path / "media")
        call_command("restore", str(archive), database=SQLITE, stdout=io.StringIO())

        assert snapshot(SQLITE) == before
        # and once more over the restored one, forced
        call_command("restore", str(archive), database=SQLITE, force=True, stdout=io.StringIO())
        assert snapshot(SQLITE) == before


def test_restore_refuses_an_archive_whose_file_was_altered(
    sqlite_file, tmp_path, django_db_blocker
):
    with django_db_blocker.unblock():
        seed(SQLITE)
        call_command("backup", output=tmp_path / "backups", database=SQLITE, stdout=io.StringIO())
        archive = only_archive(tmp_path / "backups")
        altered = tmp_path / "altered.tar"
        with tarfile.open(archive) as source, tarfile.open(altered, "w") as target:
            for member in source.getmembers():
                data = source.extractfile(member).read()
                if member.name.startswith("media/") and member.name.endswith(".pdf"):
                    data = data[:-1] + b"X"
                target.addfile(member, io.BytesIO(data))
        connections[SQLITE].close()
        sqlite_file.unlink()
        with pytest.raises(CommandError, match=r"media/cases/.*\.pdf: sha256 differs"):
            call_command("restore", str(altered), database=SQLITE)
        assert not connections[SQLITE].introspection.table_names()  # nothing was written


def test_a_backup_has_a_manifest_with_counts_hashes_and_migrations(
    sqlite_file, tmp_path, django_db_blocker
):
    import json

    with django_db_blocker.unblock():
        seed(SQLITE)
        call_command("backup", output=tmp_path, database=SQLITE, stdout=io.StringIO())
        archive = next(tmp_path.glob("danvan-backup-*.tar"))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        names = tar.getnames()
    assert names[0] == "database.sqlite3"
    assert names[-1] == MANIFEST
    assert manifest["counts"] == {"cases": 3, "attachments": 6}
    assert manifest["vendor"] == "sqlite"
    assert "0010_case_due_status" in manifest["migrations"]["cases"]
    assert set(manifest["files"]) == set(names) - {MANIFEST}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())


# PostgreSQL

POSTGRES = "ops_backup_postgres"


@pytest.fixture
def postgres_database(tmp_path, django_db_blocker):
    with postgres_server() as server:
        entry = server.migrated_database("danvan_backup")
        with django_db_blocker.unblock():
            add_alias(POSTGRES, entry)
            try:
                with override_settings(STORAGES=media_storage(tmp_path / "media")):
                    yield server
            finally:
                remove_alias(POSTGRES)


def test_postgres_backup_then_restore_finds_every_case_and_file(
    postgres_database, tmp_path, django_db_blocker
):
    server = postgres_database
    with django_db_blocker.unblock():
        seed(POSTGRES)
        before = snapshot(POSTGRES)
        call_command("backup", output=tmp_path / "backups", database=POSTGRES, stdout=io.StringIO())
        archive = only_archive(tmp_path / "backups")

        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(archive), database=POSTGRES)

        connections[POSTGRES].close()
        server.psql('DROP DATABASE "danvan_backup"')
        server.psql('CREATE DATABASE "danvan_backup"')
        shutil.rmtree(tmp_path / "media")
        call_command("restore", str(archive), database=POSTGRES, stdout=io.StringIO())
        assert snapshot(POSTGRES) == before

        call_command("restore", str(archive), database=POSTGRES, force=True, stdout=io.StringIO())
        assert snapshot(POSTGRES) == before


def test_backup_then_restore_finds_every_case_and_file_in_the_bucket(
    sqlite_file, bucket, tmp_path, django_db_blocker
):
    with django_db_blocker.unblock():
        seed(SQLITE)
        before = snapshot(SQLITE)
        assert len(before[1]) >= 6
        call_command("backup", output=tmp_path / "backups", database=SQLITE, stdout=io.StringIO())
        archive = only_archive(tmp_path / "backups")
        connections[SQLITE].close()
        for leftover in sqlite_file.parent.iterdir():
            leftover.unlink()
        for key in objects(bucket):
            bucket.delete_object(Bucket=BUCKET, Key=key)
        assert not default_storage.exists(next(iter(before[1]))[2])
        call_command("restore", str(archive), database=SQLITE, stdout=io.StringIO())
        assert snapshot(SQLITE) == before
        assert len(objects(bucket)) == len(before[1])
    shutil.rmtree(tmp_path / "backups")
