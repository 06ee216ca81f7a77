"""The soak test's SMS gateway: one line per accepted message, in a file the test reads.

Runs in the task workers (DANVAN_SMS_BACKEND=bench.soak_sms.FileSmsBackend). Each line
names the notification being delivered (the reference the platform gives every message),
so the test can tell a message sent once from one sent twice. `DANVAN_SOAK_SMS_DELAY_MS` imitates the gateway's
answer time, so that a worker killed at random is often killed in the middle of a send.
"""

import os
import time
from pathlib import Path


class FileSmsBackend:
    def send(self, to: str, text: str, reference: str = "") -> None:
        from rq import get_current_job

        delay = int(os.environ.get("DANVAN_SOAK_SMS_DELAY_MS") or 0)
        if delay:
            time.sleep(delay / 1000)
        job = get_current_job()
        line = f"{reference}\t{job.id if job else ''}\t{to}\n".encode()
        # One write of a short line in append mode: lines of several workers never mix.
        fd = os.open(
            Path(os.environ["DANVAN_SOAK_SMS_LOG"]), os.O_WRONLY | os.O_APPEND | os.O_CREAT
        )
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
