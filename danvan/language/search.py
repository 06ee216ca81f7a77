"""Search across the platform's texts: accent-insensitive, typo-tolerant, exact accents first.

Higher apps keep their objects in the index with `index_document` and `remove_document`
(called from their services, in the same transaction as the change) and register a source
for `manage.py reindex_search`. A search returns `Hit`s (source_id, score, exact) that the
app turns into its own objects; `scope_ids` limits it to the agencies an officer may see.

How a query runs, the same on SQLite (FTS5) and PostgreSQL (tsvector):
1. Words: the query's folded words (no diacritics, lower case), at most MAX_TERMS.
2. Typos: when the words as typed match fewer than FEW documents, each word held by fewer
   than FEW gets its typo variants (`highlight.is_typo_of`: edit distance 1, 2 from
   LONG_TERM letters, same first letter) that the index holds, each database its own way
   (`neighbours`): SQLite looks up the words `search_sqlite.typo_variants` spells out in
   its FTS5 vocabulary; PostgreSQL asks its vocabulary table for the words nearest by
   trigram similarity (pg_trgm) and keeps those within the edits. The variants join the
   word as alternatives, nearest then most frequent first, at most MAX_VARIANTS. If the word
   itself is held by some documents, only a variant RARE_FACTOR times as frequent joins it:
   "bnag" typed once does not hide "bang".
3. Match: the newest `ranking.WINDOW` documents of the source (and scopes) holding every
   word or one of its variants, ranked in Python (`ranking`): the words as a phrase first,
   then by term frequency.
4. Exact accents: when the query carries diacritics, the best RERANK_WINDOW matches are
   read again and those holding every accented query word as typed (tone placement aside:
   "hoà" is "hòa") come first. Ties go to the newer object (higher source_id).
"""

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import NamedTuple, Protocol

from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet
from django.utils import timezone

from . import ranking, search_postgres, search_sqlite
from .highlight import typo_limit
from .models import SearchDoc
from .ranking import Candidate, Ranked
from .text import fold, normalize, tokens

MAX_TERMS = 16
FEW = 3
RARE_FACTOR = 20
MAX_VARIANTS = 4
COUNT_CAP = 100  # documents counted per word: enough to tell rare from common
RERANK_WINDOW = 200
MAX_LIMIT = 2000
BATCH = 1000  # rows per transaction when reindexing: other writers get their turn

Row = tuple[int, int | None, str, str]  # source_id, scope_id, title, body
_SOURCES: dict[str, Callable[[], Iterable[Row]]] = {}


@dataclass(frozen=True)
class Hit:
    source_id: int
    score: float  # higher is better; compare only within one search
    exact: bool  # holds every accented word of the query with its accents


class _Doc(NamedTuple):
    source_id: int
    scope_id: int | None
    title: str
    body: str
    folded: str


Indexed = tuple[int, str, int | None, str]  # SearchDoc id, source, scope_id, folded


class _Backend(Protocol):
    def added(self, cursor: CursorWrapper, rows: Sequence[Indexed]) -> None: ...
    def removed(self, cursor: CursorWrapper, rows: Sequence[Indexed]) -> None: ...
    def counts(self, cursor: CursorWrapper, terms: Sequence[str], cap: int) -> dict[str, int]: ...
    def neighbours(
        self, cursor: CursorWrapper, terms: Sequence[str]
    ) -> dict[str, dict[str, int]]: ...
    def known(self, cursor: CursorWrapper, terms: Sequence[str], cap: int) -> dict[str, int]: ...
    def match(
        self,
        cursor: CursorWrapper,
        groups: Sequence[Sequence[str]],
        *,
        source: str,
        scope_ids: Collection[int] | None,
        limit: int,
    ) -> list[Candidate]: ...
    def optimize(self, cursor: CursorWrapper) -> None: ...


def register_source(name: str, rows: Callable[[], Iterable[Row]]) -> None:
    """Let `reindex_search` rebuild source `name` from `rows()`; call from AppConfig.ready()."""
    _SOURCES[name] = rows


def registered_sources() -> dict[str, Callable[[], Iterable[Row]]]:
    return dict(_SOURCES)


def index_document(
    *,
    source: str,
    source_id: int,
    scope_id: int | None,
    title: str,
    body: str,
    using: str = DEFAULT_DB_ALIAS,
    new: bool = False,
) -> None:
    """Add or update one document; indexing the same text again changes nothing.

    `new`: the object was created in this transaction, so nothing is indexed for it yet.
    """
    _store(source, [_prepared((source_id, scope_id, title, body))], using=using, new=new)


def remove_document(*, source: str, source_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    _remove(SearchDoc.objects.filter(source=source, source_id=source_id), using=using)


def reindex(source: str, rows: Iterable[Row], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Make the index of `source` hold exactly `rows`; returns how many objects it holds.

    BATCH rows per transaction, so the platform keeps writing meanwhile; unchanged rows
    are not written again, and documents whose object is gone are removed at the end.
    """
    seen: set[int] = set()
    for batch in batched(rows, BATCH):
        _store(source, [_prepared(row) for row in batch], using=using)
        seen.update(row[0] for row in batch)
    stored = SearchDoc.objects.using(using).filter(source=source)
    gone = [pk for pk, source_id in stored.values_list("pk", "source_id") if source_id not in seen]
    for chunk in batched(gone, BATCH):
        _remove(SearchDoc.objects.filter(pk__in=chunk), using=using)
    return len(seen)


def optimize(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """After a bulk load: merge the SQLite index, refresh PostgreSQL's statistics."""
    with connections[using].cursor() as cursor:
        _backend(using).optimize(cursor)


def search(
    query: str,
    *,
    source: str,
    scope_ids: Collection[int] | None,
    limit: int = 200,
    using: str = DEFAULT_DB_ALIAS,
) -> list[Hit]:
    """The best `limit` (at most MAX_LIMIT) documents of `source` for `query`, best first.

    `scope_ids` None searches every scope (auditors); an empty collection finds nothing.
    """
    terms = list(dict.fromkeys(tokens(query, folded=True)))[:MAX_TERMS]
    if not terms or limit <= 0 or (scope_ids is not None and not scope_ids):
        return []
    limit = min(limit, MAX_LIMIT)
    accented = {word for word in tokens(query) if fold(word) != word}
    groups, found = _matches(
        terms, source=source, scope_ids=scope_ids, limit=ranking.window(limit), using=using
    )
    rows = ranking.rank(groups, found)[: max(limit, RERANK_WINDOW) if accented else limit]
    exact = _holding(rows, accented, using=using) if accented else set()
    hits = [Hit(source_id, score, pk in exact) for pk, source_id, score in rows]
    hits.sort(key=lambda hit: (not hit.exact, -hit.score, -hit.source_id))
    return hits[:limit]


def _matches(
    terms: list[str], *, source: str, scope_ids: Collection[int] | None, limit: int, using: str
) -> tuple[list[list[str]], list[Candidate]]:
    """The newest `limit` matches, with typo variants for the words that need them, and the
    words (each with its variants) that found them.

    The words are tried as typed first: if that finds FEW documents or more, every word is
    held by at least FEW, so none would take variants and counting them is saved (a common
    word's count costs PostgreSQL the whole of its list).
    """
    backend = _backend(using)
    with connections[using].cursor() as cursor:

        def match(groups: list[list[str]]) -> list[Candidate]:
            return backend.match(cursor, groups, source=source, scope_ids=scope_ids, limit=limit)

        typed = [[term] for term in terms]
        rows = match(typed)
        if len(rows) >= FEW:
            return typed, rows
        groups = _with_variants(cursor, backend, terms)
        if all(len(group) == 1 for group in groups):
            return typed, rows
        return groups, match(groups)


def _with_variants(cursor: CursorWrapper, backend: _Backend, terms: list[str]) -> list[list[str]]:
    """Each query word with the typo variants that should match in its place."""
    checkable = [term for term in terms if typo_limit(term)]
    counts = backend.counts(cursor, checkable, COUNT_CAP) if checkable else {}
    unsure = [term for term in checkable if counts.get(term, 0) < FEW]
    variants = backend.neighbours(cursor, unsure) if unsure else {}
    pool = sorted({word for found in variants.values() for word in found})
    known = backend.known(cursor, pool, COUNT_CAP) if pool else {}
    return [
        [term, *_best_variants(counts.get(term, 0), variants.get(term, {}), known)]
        for term in terms
    ]


def _best_variants(count: int, candidates: dict[str, int], known: dict[str, int]) -> list[str]:
    usable = [
        word
        for word in candidates
        if word in known and (count == 0 or known[word] >= RARE_FACTOR * count)
    ]
    usable.sort(key=lambda word: (candidates[word], -known[word], word))
    return usable[:MAX_VARIANTS]


def _holding(rows: list[Ranked], accented: set[str], *, using: str) -> set[int]:
    """The documents among `rows` that hold every word of `accented` as written."""
    docs = SearchDoc.objects.using(using).filter(pk__in=[pk for pk, _, _ in rows])
    # A substring test first: most documents lack some accented word, and `in` is cheap.
    patterns = [(word, re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])")) for word in accented]
    held = set()
    for pk, title, body in docs.values_list("pk", "title", "body"):
        text = f"{title}\n{body}".lower()
        if all(word in text and pattern.search(text) for word, pattern in patterns):
            held.add(pk)
    return held


def _prepared(row: Row) -> _Doc:
    source_id, scope_id, title, body = row
    title, body = normalize(title), normalize(body)
    # fold(normalize(x)) is search_form(x), without cleaning the text a second time.
    return _Doc(source_id, scope_id, title, body, fold(f"{title}\n{body}"))


def _store(source: str, docs: list[_Doc], *, using: str, new: bool = False) -> None:
    """Insert or update `docs` and the full-text index with them, in one transaction
    (the caller's, if any: a failure here fails it, as it should fail a new letter)."""
    latest = {doc.source_id: doc for doc in docs}  # a source_id twice: the last one wins
    backend = _backend(using)
    atomic = transaction.atomic(using=using, savepoint=False)
    with atomic, connections[using].cursor() as cursor:
        stored = SearchDoc.objects.using(using).filter(source=source, source_id__in=latest)
        fields = ("source", "source_id", "scope_id", "title", "body", "folded")
        old = {} if new else {d.source_id: d for d in stored.only(*fields)}
        fresh = [doc for doc in latest.values() if _changed(old.get(doc.source_id), doc)]
        if not fresh:
            return
        replaced = [old[doc.source_id] for doc in fresh if doc.source_id in old]
        if replaced:
            backend.removed(cursor, [_indexed(d) for d in replaced])
        now = timezone.now()
        saved = SearchDoc.objects.using(using).bulk_create(
            [SearchDoc(source=source, updated_at=now, **doc._asdict()) for doc in fresh],
            update_conflicts=True,
            unique_fields=["source", "source_id"],
            update_fields=["scope_id", "title", "body", "folded", "updated_at"],
        )
        backend.added(cursor, [_indexed(d) for d in saved])


def _indexed(doc: SearchDoc) -> Indexed:
    return doc.pk, doc.source, doc.scope_id, doc.folded


def _changed(old: SearchDoc | None, doc: _Doc) -> bool:
    return old is None or (old.scope_id, old.title, old.body) != doc[1:4]


def _remove(docs: QuerySet[SearchDoc], *, using: str) -> None:
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        rows = list(docs.using(using).values_list("pk", "source", "scope_id", "folded"))
        _backend(using).removed(cursor, rows)
        SearchDoc.objects.using(using).filter(pk__in=[row[0] for row in rows]).delete()


def _backend(using: str) -> _Backend:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return search_sqlite
    if vendor == "postgresql":
        return search_postgres
    raise NotSupportedError(f"search needs SQLite or PostgreSQL, not {vendor}")
