"""A throwaway PostgreSQL server for tests: Debian's binaries, a temporary cluster, a socket.

    with postgres_server() as server:
        entry = server.migrated_database("danvan_test")  # a DATABASES entry for Django
        ...                                               # or server.url("danvan_test")

The cluster lives in a temporary directory and listens only on a Unix socket in that
directory (no TCP port, so nothing can collide with or reach another server), with
durability switched off because the data is thrown away. If Debian's binaries are missing
they are installed with apt-get (`deploy.binaries`). PostgreSQL refuses to run as
root, so under root the cluster belongs to `nobody`.

As a command, it runs another command against a fresh server (how `make pytest-postgres`
runs the suite on PostgreSQL), exiting with that command's code:

    python -m testsupport.postgres_server -- pytest -q -m "not e2e"

The command sees the server's URL in DANVAN_TEST_DATABASE_URL (`config.settings_test` then
uses it instead of SQLite in memory); pytest-django creates `test_danvan` on it.
"""

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from deploy.binaries import PostgresUnavailable, postgres_bin_dir

PORT = 5432  # only names the socket file inside our own directory
START_TIMEOUT = 30
FAST_UNSAFE = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
URL_VARIABLE = "DANVAN_TEST_DATABASE_URL"
INITDB = ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"]
START = ["-w", "-t", str(START_TIMEOUT)]
MANAGE = Path(__file__).resolve().parents[1] / "manage.py"
MIGRATE_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_SECRET_KEY": "postgres-test-only-secret-key",
    "DANVAN_IDENTITY_KEYS": "cG9zdGdyZXMtdGVzdC1vbmx5LWlkZW50aXR5LWtleS0=",
}


@dataclass(frozen=True)
class PostgresServer:
    socket_dir: Path
    bin_dir: Path
    user: str = "postgres"

    def url(self, database: str = "postgres") -> str:
        """A DATABASE_URL for `database` (the socket directory percent-encoded as the host)."""
        host = quote(str(self.socket_dir), safe="")
        return f"postgres://{self.user}@{host}:{PORT}/{database}"

    def database(self, name: str) -> dict[str, Any]:
        """Create database `name` and return a Django DATABASES entry for it."""
        self.psql(f'CREATE DATABASE "{name}"')
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": self.user,
            "HOST": str(self.socket_dir),
            "PORT": str(PORT),
            "TEST": {"NAME": name},
        }

    def migrated_database(self, name: str) -> dict[str, Any]:
        """Create database `name` with every migration of the project applied.

        `manage.py migrate` runs in its own process, where this database is the default one:
        data migrations write to the default database whatever alias is being migrated.
        """
        entry = self.database(name)
        env = {**os.environ, **MIGRATE_ENV, "DATABASE_URL": self.url(name)}
        for name in ("DATABASE_URL", "DJANGO_SECRET_KEY", "DANVAN_IDENTITY_KEYS"):
            env.pop(f"{name}_FILE", None)  # a *_FILE variable would win over the value
        command = [sys.executable, str(MANAGE), "migrate", "--no-input", "-v", "0"]
        try:
            subprocess.run(command, check=True, capture_output=True, env=env, cwd=MANAGE.parent)  # noqa: S603
        except subprocess.CalledProcessError as error:
            output = (error.stdout + error.stderr).decode(errors="replace")
            raise PostgresUnavailable(f"migrate failed: {output}") from error
        return entry

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run one statement as the superuser; returns its rows, unaligned."""
        psql = [str(self.bin_dir / "psql"), "-X", "-qAt", "-v", "ON_ERROR_STOP=1"]
        where = ["-h", str(self.socket_dir), "-p", str(PORT), "-U", self.user, "-d", database]
        command = [*psql, *where, "-c", sql]
        result = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
        return result.stdout


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a fresh cluster; stop it and delete its files on the way out."""
    bin_dir = postgres_bin_dir()
    owner = _unprivileged_owner()
    root = Path(tempfile.mkdtemp(prefix="danvan-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if owner is not None:
        for path in (root, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    try:
        _run(owner, bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", *INITDB)
        options = f"-k {sockets} -p {PORT} -c listen_addresses='' {FAST_UNSAFE}"
        log = root / "server.log"
        _run(owner, bin_dir / "pg_ctl", "-D", data, "-l", log, "-o", options, *START, "start")
        try:
            yield PostgresServer(socket_dir=sockets, bin_dir=bin_dir)
        finally:
            _run(owner, bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _unprivileged_owner() -> pwd.struct_passwd | None:
    """Who runs the server: us, unless we are root (PostgreSQL refuses root)."""
    return pwd.getpwnam("nobody") if os.geteuid() == 0 else None


def _run(owner: pwd.struct_passwd | None, *args: object) -> None:
    ids: dict[str, Any] = {}
    if owner is not None:
        ids = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    try:
        subprocess.run(  # noqa: S603 - Debian's binaries with our own arguments
            [str(arg) for arg in args], check=True, capture_output=True, cwd="/", **ids
        )
    except subprocess.CalledProcessError as error:
        output = (error.stdout + error.stderr).decode(errors="replace")
        raise PostgresUnavailable(f"{Path(str(args[0])).name} failed: {output}") from error


def main(argv: list[str]) -> int:
    """Start a server, run `argv` (after an optional `--`) with its URL, return its code."""
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        sys.stderr.write("usage: python -m testsupport.postgres_server -- COMMAND...\n")
        return 2
    try:
        with postgres_server() as server:
            env = {**os.environ, URL_VARIABLE: server.url("danvan")}
            return subprocess.run(command, env=env, check=False).returncode  # noqa: S603
    except PostgresUnavailable as error:
        sys.stderr.write(f"PostgreSQL: {error}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
