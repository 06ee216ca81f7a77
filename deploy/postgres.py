"""Persistent PostgreSQL clusters for the one-machine production layout: a primary on
127.0.0.1 and a streaming replica made with `pg_basebackup -R`.

Debian's binaries, found (and installed when missing) by `deploy.binaries`; unlike the
tests' throwaway server (`testsupport.postgres_server`), these clusters keep their data under `var/prod/pg/`,
listen on TCP (loopback only), ask for passwords (scram-sha-256) and keep PostgreSQL's
durability (fsync, synchronous commit). Each server runs in the foreground as a child
process of the layout, so the layout sees it die. PostgreSQL refuses to run as root: under
root the clusters belong to the `postgres` user (made by Debian's package), else `nobody`.
"""

import os
import pwd
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy.binaries import PostgresUnavailable, postgres_bin_dir

SUPERUSER = "postgres"
APP_ROLE = "danvan"
APP_DATABASE = "danvan"
INITDB = ["-E", "UTF8", "--locale=C.UTF-8", "--no-instructions", "-A", "scram-sha-256"]
READY_TIMEOUT = 120

# Sizes for one machine with a few GB of memory to spare; see docs/production.md.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "200",
    "shared_buffers": "'512MB'",
    "effective_cache_size": "'4GB'",
    "work_mem": "'16MB'",
    "maintenance_work_mem": "'512MB'",
    "wal_level": "replica",
    "max_wal_senders": "5",
    "wal_keep_size": "'1GB'",
    "max_wal_size": "'4GB'",
    "checkpoint_timeout": "'15min'",
    "hot_standby": "on",
    "jit": "off",
    "log_min_duration_statement": "1000",
}


def owner() -> pwd.struct_passwd | None:
    """Who runs the servers: us, unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return pwd.getpwnam("nobody")


@dataclass
class Cluster:
    """One cluster: its data directory, port and the directory of its Unix socket."""

    root: Path  # var/prod/pg/<name>
    port: int
    bin_dir: Path = field(default_factory=postgres_bin_dir)
    user: pwd.struct_passwd | None = field(default_factory=owner)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    def exists(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def argv(self) -> list[str]:
        """The server in the foreground (the layout's child; SIGINT = fast shutdown)."""
        return [str(self.bin_dir / "postgres"), "-D", str(self.data)]

    def popen_options(self) -> dict[str, Any]:
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def write_settings(self) -> None:
        """`danvan.conf`, included by postgresql.conf: written again at every start."""
        lines = [f"{name} = {value}" for name, value in SETTINGS.items()]
        lines += [f"port = {self.port}", f"unix_socket_directories = '{self.socket_dir}'"]
        self._write(self.data / "danvan.conf", "\n".join(lines) + "\n")

    def prepare_dirs(self) -> None:
        for path in (self.root, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
            path.chmod(0o700)
            self._chown(path)

    def init_primary(self, superuser_password: str) -> None:
        """initdb with a superuser password; postgresql.conf includes danvan.conf."""
        self.prepare_dirs()
        pwfile = self.root / "initdb.pw"
        self._write(pwfile, superuser_password + "\n")
        try:
            self.run("initdb", "-D", self.data, "-U", SUPERUSER, f"--pwfile={pwfile}", *INITDB)
        finally:
            pwfile.unlink(missing_ok=True)
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude_if_exists = 'danvan.conf'\n")

    def init_replica(self, primary: "Cluster", superuser_password: str) -> None:
        """A copy of the primary that follows it (`standby.signal`, `primary_conninfo`)."""
        self.prepare_dirs()
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", SUPERUSER,
            "-D", self.data, "-R", "-X", "stream", "-c", "fast",
            env={"PGPASSWORD": superuser_password},
        )  # fmt: skip

    def wait_ready(self, process: subprocess.Popen[bytes], timeout: float = READY_TIMEOUT) -> None:
        """Until it accepts connections (after crash recovery, if any)."""
        deadline = time.monotonic() + timeout
        ready = [str(self.bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise PostgresUnavailable(f"postgres on port {self.port} exited")
            if subprocess.run(ready, check=False).returncode == 0:  # noqa: S603
                return
            time.sleep(0.2)
        raise PostgresUnavailable(f"postgres on port {self.port} not ready in {timeout}s")

    def psql(self, sql: str, password: str, database: str = "postgres") -> str:
        command = [str(self.bin_dir / "psql"), "-X", "-qAt", "-v", "ON_ERROR_STOP=1",
                   "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-d", database,
                   "-c", sql]  # fmt: skip
        env = {**os.environ, "PGPASSWORD": password}
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)  # noqa: S603
        return done.stdout

    def run(self, program: str, *args: object, env: dict[str, str] | None = None) -> None:
        """One of the cluster's programs, as its owner."""
        command = [str(self.bin_dir / program), *(str(arg) for arg in args)]
        try:
            subprocess.run(  # noqa: S603 - Debian's binaries with our own arguments
                command, check=True, capture_output=True, cwd="/",
                env={**os.environ, **(env or {})}, **self.popen_options(),
            )  # fmt: skip
        except subprocess.CalledProcessError as error:
            output = (error.stdout + error.stderr).decode(errors="replace")
            raise PostgresUnavailable(f"{program} failed: {output}") from error

    def _write(self, path: Path, text: str) -> None:
        path.write_text(text)
        path.chmod(0o600)
        self._chown(path)

    def _chown(self, path: Path) -> None:
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)


def create_app_database(primary: Cluster, superuser_password: str, app_password: str) -> None:
    """The application's own role (not a superuser), owner of its database."""
    primary.psql(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{app_password}'", superuser_password)
    primary.psql(f"CREATE DATABASE {APP_DATABASE} OWNER {APP_ROLE}", superuser_password)


def app_url(primary: Cluster, app_password: str) -> str:
    return f"postgres://{APP_ROLE}:{app_password}@127.0.0.1:{primary.port}/{APP_DATABASE}"


def superuser_url(primary: Cluster, superuser_password: str, database: str = APP_DATABASE) -> str:
    return f"postgres://{SUPERUSER}:{superuser_password}@127.0.0.1:{primary.port}/{database}"
