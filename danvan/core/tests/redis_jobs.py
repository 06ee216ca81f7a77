"""Tasks and a file-backed SMS gateway for the Redis worker tests (run in worker processes)."""

import os
import time
from pathlib import Path

from django.tasks import TaskContext, task


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def fail() -> None:
    raise ValueError("on purpose")


@task(takes_context=True)
def slow(context: TaskContext[..., int], log: str) -> int:
    """Notes each attempt in `log`; the first one hangs (to be killed), later ones finish."""
    with Path(log).open("a") as out:
        out.write(f"start {context.attempt} pid={os.getpid()}\n")
    if context.attempt == 1:
        time.sleep(120)
    with Path(log).open("a") as out:
        out.write(f"done {context.attempt}\n")
    return context.attempt


class FileSmsBackend:
    """The gateway's log survives the worker: one line per message it accepted.

    While the file `$DANVAN_TEST_SMS_HANG` exists, sending hangs (the gateway has not
    answered yet) after touching `<hang>.sending`, so a test can kill the worker mid-send.
    """

    def send(self, to: str, text: str, reference: str = "") -> None:
        hang = Path(os.environ["DANVAN_TEST_SMS_HANG"])
        if hang.exists():
            Path(f"{hang}.sending").touch()
            time.sleep(120)
        with Path(os.environ["DANVAN_TEST_SMS_LOG"]).open("a") as out:
            out.write(f"{to} {text}\n")
