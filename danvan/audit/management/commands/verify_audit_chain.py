"""`manage.py verify_audit_chain`: recompute every audit entry's hash; fail on any break."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from danvan.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain: an edited, removed or inserted entry is reported. "
        "Last line: entries= broken="
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count, breaks = verify_chain()
        for problem in breaks:
            self.stdout.write(f"entry #{problem.seq}: {problem.problem}")
        self.stdout.write(f"entries={count} broken={len(breaks)}")
        if breaks:
            raise CommandError("the audit log's hash chain is broken")
