"""Debian's PostgreSQL and Redis binaries, installed with apt-get when missing (through sudo
when not root). The production layout and the tests' throwaway servers both start them."""

import glob
import os
import shutil
import subprocess
from pathlib import Path

REDIS_SERVER = "/usr/bin/redis-server"


class PostgresUnavailable(RuntimeError):
    """The server could not be installed, started or migrated (the message says why)."""


class RedisUnavailable(RuntimeError):
    """The server could not be installed or started (the message says why)."""


def postgres_bin_dir() -> Path:
    """The newest installed server's bin directory, installing Debian's package if needed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major_version)
    if not found:
        _install("postgresql", PostgresUnavailable)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major_version)
    if not found:
        raise PostgresUnavailable("apt-get installed no /usr/lib/postgresql/*/bin/initdb")
    return Path(found[-1]).parent


def redis_binary() -> str:
    found = shutil.which("redis-server") or (REDIS_SERVER if os.path.exists(REDIS_SERVER) else "")
    if not found:
        _install("redis-server", RedisUnavailable)
        found = shutil.which("redis-server") or ""
    if not found:
        raise RedisUnavailable("apt-get installed no redis-server")
    return found


def _major_version(initdb: str) -> int:
    return int(Path(initdb).parents[1].name)


def _install(package: str, failure: type[RuntimeError]) -> None:
    """apt-get install, after refreshing the package lists if the first try fails."""
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    apt = [*sudo, "apt-get", "-qq"]
    install = [*apt, "install", "-y", "--no-install-recommends", package]
    try:
        if _quietly(install) != 0 and (_quietly([*apt, "update"]) != 0 or _quietly(install) != 0):
            raise failure(f"apt-get could not install {package}")
    except (OSError, subprocess.SubprocessError) as error:
        raise failure(f"could not install {package}: {error}") from error


def _quietly(command: list[str]) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, capture_output=True, env=env, timeout=300).returncode  # noqa: S603
