"""Start the production layout on this machine, loopback only, until Ctrl-C.

    python -m deploy.run_prod [--web N] [--workers M] [--port 8000] [--no-replica]

nginx on 127.0.0.1:PORT balancing N web processes (gunicorn), M task workers (rqworker),
PostgreSQL with a streaming replica, Redis with its append-only file, the periodic sweeps,
every one a child process with its data under var/prod/ (docs/production.md). A child
that dies is reported and started again; Ctrl-C stops everything in order.
"""

import argparse
import signal
import sys
import time
from pathlib import Path

from deploy import REPO
from deploy.layout import Layout, LayoutFailed, Options


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m deploy.run_prod", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    defaults = Options()
    parser.add_argument("--web", type=int, default=defaults.web, help="web processes (N)")
    parser.add_argument("--web-workers", type=int, default=defaults.web_workers,
                        help="gunicorn workers in each web process")  # fmt: skip
    parser.add_argument("--threads", type=int, default=defaults.threads,
                        help="threads per gunicorn worker")  # fmt: skip
    parser.add_argument("--workers", type=int, default=defaults.workers, help="task workers (M)")
    parser.add_argument("--port", type=int, default=defaults.listen, help="the proxy's port")
    parser.add_argument("--web-port", type=int, default=defaults.web_port,
                        help="first web process's port (the others follow)")  # fmt: skip
    parser.add_argument("--pg-port", type=int, default=defaults.pg_port,
                        help="PostgreSQL primary (the replica: the next port)")  # fmt: skip
    parser.add_argument("--redis-port", type=int, default=defaults.redis_port)
    parser.add_argument("--no-replica", action="store_true", help="no streaming replica")
    parser.add_argument("--sweep-minutes", type=float, default=defaults.sweep_minutes,
                        help="sweep_deadlines and remind_commitments this often (0: never)")  # fmt: skip
    parser.add_argument("--root", type=Path, default=defaults.root, help="where the data lives")
    args = parser.parse_args(argv)
    if args.web < 1 or args.workers < 0:
        parser.error("--web must be at least 1 and --workers at least 0")
    return Options(
        root=args.root, web=args.web, web_workers=args.web_workers, threads=args.threads,
        workers=args.workers, listen=args.port, web_port=args.web_port, pg_port=args.pg_port,
        redis_port=args.redis_port, replica=not args.no_replica,
        sweep_minutes=args.sweep_minutes,
    )  # fmt: skip


def main(argv: list[str]) -> int:
    options = parse(argv)
    layout = Layout(options)
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    try:
        layout.start()
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        _summary(layout)
        while not stopping:
            layout.tick()
            time.sleep(0.5)
    except LayoutFailed as error:
        sys.stderr.write(f"run_prod: {error}\n")
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        sys.stderr.write("Stopping...\n")
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        layout.stop()
    return 0


def _summary(layout: Layout) -> None:
    o = layout.o
    rows = [
        f"proxy      nginx  http://127.0.0.1:{o.listen}/  (static files from var/static)",
        *(f"web-{n}      gunicorn 127.0.0.1:{port}  ({o.web_workers} worker x {o.threads} threads)"
          for n, port in enumerate(layout.web_ports(), start=1)),
        f"workers    {o.workers} x manage.py rqworker",
        f"postgres   127.0.0.1:{o.pg_port}  data {layout.primary.data}",
        f"replica    127.0.0.1:{o.pg_port + 1}  (streaming, read-only)" if o.replica else "",
        f"redis      127.0.0.1:{o.redis_port}  appendonly yes",
        f"media      {layout.root / 'media'}",
        f"logs       {layout.logs}/",
    ]  # fmt: skip
    sys.stdout.write("\n".join(row for row in rows if row) + "\n")
    sys.stdout.write(f"Serving http://127.0.0.1:{o.listen}/  (Ctrl+C to stop; cwd {REPO})\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
