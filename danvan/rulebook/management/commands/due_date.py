from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.deadlines.compute import ExtensionNotAllowed, Pause, due_date
from danvan.deadlines.rules import RuleNotInForce, UnknownRule
from danvan.rulebook.store import current_calendar, current_rulebook


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from error


def _pause(text: str) -> Pause:
    first, _, last = text.partition(":")
    return Pause(_date(first), _date(last or first))


class Command(BaseCommand):
    help = "When is it due? Prints the legal basis and, last, due=YYYY-MM-DD."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rule", nargs="?", help="rule code, e.g. KN-2, TC-5 (see --list)")
        parser.add_argument("start", nargs="?", help="date of the triggering event, YYYY-MM-DD")
        parser.add_argument(
            "--variant", help="e.g. remote, complex, remote+complex, especially_complex"
        )
        parser.add_argument("--extensions", type=int, default=0)
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="FIRST[:LAST]",
            help="days that do not count (waiting for the citizen); repeatable",
        )
        parser.add_argument(
            "--list", action="store_true", help="list the rule codes and their basis"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rulebook = current_rulebook()
        if options["list"]:
            self._list(rulebook.codes(), rulebook)
            return
        if not options["rule"] or not options["start"]:
            raise CommandError("give RULE and START, or --list")
        start = _date(options["start"])
        try:
            rule = rulebook.rule(options["rule"].upper(), on=start)
            result = due_date(
                rule,
                start,
                current_calendar(),
                variant=options["variant"],
                extensions=options["extensions"],
                pauses=[_pause(p) for p in options["pause"]],
            )
        except (UnknownRule, RuleNotInForce, ExtensionNotAllowed, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"rule={rule.code} {rule.procedure}/{rule.step}")
        self.stdout.write(f"basis={rule.legal_basis} ({rule.confidence})")
        self.stdout.write(result.explain())
        self.stdout.write(f"due={result.due.isoformat()}")

    def _list(self, codes: list[str], rulebook: Any) -> None:
        for code in codes:
            for rule in rulebook.versions(code):
                span = f"{rule.effective_from.isoformat()}..{rule.effective_to or ''}"
                days = f"{rule.days} {rule.day_type}" if rule.is_deadline else "-"
                self.stdout.write(f"{code:<7} {days:<14} {span:<23} {rule.legal_basis}")
