"""What the platform's search reads: one row per searchable thing (a case, a consultation...)."""

from django.db import models


class SearchDoc(models.Model):
    """The searchable text of one object of a higher app, kept by `search.index_document`.

    `title` and `body` are in the normal form (`text.normalize`): shown in highlights and
    used to rank exact-accent matches first. `folded` (`text.search_form` of both) is what
    the full-text index covers: an FTS5 table over this column on SQLite, a stored tsvector
    column on PostgreSQL; neither is a Django field (see migration 0002).
    """

    source = models.CharField(max_length=20)  # "case", later "consultation", "question"
    source_id = models.BigIntegerField()
    # The agency that owns the object: officers search only what their agencies may see.
    # A plain integer, not a foreign key, so that any source can say what its scope is.
    scope_id = models.BigIntegerField(null=True, blank=True)
    title = models.TextField()
    body = models.TextField()
    folded = models.TextField(editable=False)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="searchdoc_source_unique"),
        ]
        indexes = [models.Index(fields=["source", "scope_id"], name="searchdoc_source_scope")]

    def __str__(self) -> str:
        return f"{self.source} {self.source_id}"
