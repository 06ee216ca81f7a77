"""A throwaway Redis server for tests: Debian's `redis-server` on a Unix socket in a temp dir.

    with redis_server() as url:   # "unix:///tmp/danvan-redis-.../redis.sock"
        ...

No TCP port (nothing can collide with or reach another server), no persistence. If the
binary is missing it is installed with apt-get (`deploy.binaries`).
"""

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.binaries import RedisUnavailable, redis_binary

START_TIMEOUT = 15


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
