"""A throwaway Redis server for tests: Debian's `redis-server` on a Unix socket in a temp dir.

    with redis_server() as url:   # "unix:///tmp/danvan-redis-.../redis.sock"
        ...

No TCP port (nothing can collide with or reach another server), no persistence. If the
binary is missing it is installed with apt-get (through sudo when not root).
"""

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT = 15


class RedisUnavailable(RuntimeError):
    """The server could not be installed or started (the message says why)."""


@contextmanager
def redis_server() -> Iterator[str]:
    """Start a fresh server; stop it and delete its files on the way out. Yields its URL."""
    binary = redis_binary()
    root = Path(tempfile.mkdtemp(prefix="danvan-redis-"))
    sock = root / "redis.sock"
    options = ["--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
               "--save", "", "--appendonly", "no", "--dir", str(root)]  # fmt: skip
    log = (root / "redis.log").open("wb")
    server = subprocess.Popen([binary, *options], stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        _wait_for(sock, server, root / "redis.log")
        yield f"unix://{sock}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def redis_binary() -> str:
    found = shutil.which("redis-server") or (REDIS_SERVER if os.path.exists(REDIS_SERVER) else "")
    if not found:
        _install()
        found = shutil.which("redis-server") or ""
    if not found:
        raise RedisUnavailable("apt-get installed no redis-server")
    return found


def _install() -> None:
    """apt-get install, after refreshing the package lists if the first try fails."""
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    apt = [*sudo, "apt-get", "-qq"]
    install = [*apt, "install", "-y", "--no-install-recommends", "redis-server"]
    try:
        if _quietly(install) != 0 and (_quietly([*apt, "update"]) != 0 or _quietly(install) != 0):
            raise RedisUnavailable("apt-get could not install redis-server")
    except (OSError, subprocess.SubprocessError) as error:
        raise RedisUnavailable(f"could not install redis-server: {error}") from error


def _quietly(command: list[str]) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, capture_output=True, env=env, timeout=300).returncode  # noqa: S603


def _wait_for(sock: Path, server: subprocess.Popen[bytes], log: Path) -> None:
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RedisUnavailable(f"redis-server exited: {log.read_text(errors='replace')}")
        if sock.exists():
            try:
                if Redis(unix_socket_path=str(sock)).ping():
                    return
            except (OSError, RedisConnectionError):
                pass
        time.sleep(0.05)
    raise RedisUnavailable(f"redis-server did not answer within {START_TIMEOUT}s")
