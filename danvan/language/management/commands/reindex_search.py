"""`manage.py reindex_search [--source NAME ...]`: rebuild the search index from its sources.

The sources are what higher apps register with `search.register_source` (this app may not
import them); without --source every registered one is rebuilt.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.language.search import optimize, registered_sources, reindex


class Command(BaseCommand):
    help = "Rebuild the search index of every registered source (or of the ones named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", action="append", default=[], help="a registered source, e.g. case"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sources = registered_sources()
        names = options["source"] or sorted(sources)
        unknown = sorted(set(names) - set(sources))
        if unknown:
            known = ", ".join(sorted(sources)) or "none"
            raise CommandError(f"unknown source {', '.join(unknown)} (registered: {known})")
        for name in names:
            count = reindex(name, sources[name]())
            self.stdout.write(f"{name}={count}")
        optimize()
