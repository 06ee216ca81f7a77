from collections.abc import Iterator

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Citizens' letters: intake, routing, lifecycle, deadlines, tracking."""

    name = "danvan.cases"
    verbose_name = _("Letters and cases")

    def ready(self) -> None:
        from danvan.language.search import register_source

        register_source("case", _case_rows)


def _case_rows() -> Iterator[tuple[int, int | None, str, str]]:
    """Every letter for `reindex_search`: id, the agency whose officers may find it, text."""
    from .models import Case

    rows = Case.objects.order_by("pk").values_list("pk", "agency_id", "title", "content")
    yield from rows.iterator(chunk_size=2000)
