"""The search index on SQLite: a contentless FTS5 table; `ranking` orders what
it finds.

The FTS5 table holds only the index; the text lives in language_searchdoc. A contentless
table cannot read the old text of a changed row, so every change is told to it here:
removal with the values that were indexed, addition with the new ones.

Two columns are indexed: `folded`, the text, and `tags`, a token for the source and one for
the scope, so that a search filters by source and agency inside the index and ranks only
what the officer may see. Tags hold digits, so they are never mistaken for typo variants
(those are letters only), and queries are confined to `folded`.
"""

from collections.abc import Collection, Sequence

from django.db.backends.utils import CursorWrapper

from .highlight import typo_limit

FTS = "language_searchfts"
VOCAB = "language_searchvocab"
CHUNK = 5000  # placeholders per statement, well under SQLite's limit
Indexed = tuple[int, str, int | None, str]  # SearchDoc id, source, scope_id, folded
ALPHABET = "abcdefghijklmnopqrstuvwxyz"  # folded text: variants need no other letters


def added(cursor: CursorWrapper, rows: Sequence[Indexed]) -> None:
    cursor.executemany(
        f"INSERT INTO {FTS}(rowid, folded, tags) VALUES (%s, %s, %s)",  # noqa: S608
        [(pk, folded, tags(source, scope_id)) for pk, source, scope_id, folded in rows],
    )


def removed(cursor: CursorWrapper, rows: Sequence[Indexed]) -> None:
    cursor.executemany(
        f"INSERT INTO {FTS}({FTS}, rowid, folded, tags) VALUES ('delete', %s, %s, %s)",  # noqa: S608
        [(pk, folded, tags(source, scope_id)) for pk, source, scope_id, folded in rows],
    )


def tags(source: str, scope_id: int | None) -> str:
    """The `tags` of a row: its source ("case" -> s63617365) and its source and scope
    together (s63617365a7), so that a search in some agencies reads only their lists."""
    source_tag = "s" + source.encode().hex()
    return source_tag if scope_id is None else f"{source_tag} {source_tag}a{scope_id}"


def counts(cursor: CursorWrapper, terms: Sequence[str], cap: int) -> dict[str, int]:
    """How many documents hold each of a few query words, up to `cap` (none: left out).

    A MATCH stops reading after `cap` rows, where the vocabulary table would read the whole
    list of a common word.
    """
    one = f"SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s LIMIT %s))"  # noqa: S608
    cursor.execute(
        " UNION ALL ".join([one] * len(terms)),
        [value for term in terms for value in (term, "folded : " + _quoted(term), cap)],
    )
    return {term: int(count) for term, count in cursor.fetchall() if count}


def neighbours(cursor: CursorWrapper, terms: Sequence[str]) -> dict[str, dict[str, int]]:
    """Each term's typo variants with their distance, spelt out here; `known` then tells
    which of them the index holds (a few hundred to a few thousand words a term)."""
    return {term: typo_variants(term) for term in terms}


def typo_variants(term: str) -> dict[str, int]:
    """Words within `typo_limit(term)` edits of `term` with its first letter, with their
    distance: one edit of any kind (a letter dropped, added, changed, or two swapped) and,
    for long words, two slips (a letter dropped, doubled, or two swapped: "fcaeboook").
    Not every pair of edits: that would be hundreds of thousands of words to look up.
    """
    limit = typo_limit(term)
    if not limit:
        return {}
    found = dict.fromkeys(_edits(term), 1)
    if limit > 1:
        for slip in _slips(term):
            for further in _slips(slip):
                found.setdefault(further, 2)
    return {word: d for word, d in found.items() if word[:1] == term[:1] and word != term}


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    changed = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    added = {a + c + b for a, b in splits for c in ALPHABET}
    return _slips(word) | changed | added


def _slips(word: str) -> set[str]:
    """A letter dropped, two neighbours swapped, or a letter doubled."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    dropped = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    doubled = {a + b[0] + b for a, b in splits if b}
    return dropped | swapped | doubled


def known(cursor: CursorWrapper, terms: Sequence[str], cap: int) -> dict[str, int]:
    """Which of many candidate words the index holds, with their document counts up to `cap`.

    A vocabulary lookup costs one descent of the index per word, so thousands are cheap.
    """
    found: dict[str, int] = {}
    for start in range(0, len(terms), CHUNK):
        chunk = terms[start : start + CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"SELECT term, doc FROM {VOCAB} WHERE term IN ({marks})", chunk)  # noqa: S608
        found.update((term, min(int(count), cap)) for term, count in cursor.fetchall())
    return found


def match(
    cursor: CursorWrapper,
    groups: Sequence[Sequence[str]],
    *,
    source: str,
    scope_ids: Collection[int] | None,
    limit: int,
) -> list[tuple[int, int, str]]:
    """(SearchDoc id, source_id, folded) of the newest `limit` documents holding a term of
    every group, newest first: the index's own order, so nothing else is read."""
    sql = (
        f"SELECT d.id, d.source_id, d.folded FROM (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"  # noqa: S608
        " ORDER BY rowid DESC LIMIT %s) AS m JOIN language_searchdoc d ON d.id = m.rowid"
        " ORDER BY d.id DESC"
    )
    cursor.execute(sql, [fts_query(groups, source=source, scope_ids=scope_ids), limit])
    return [(int(pk), int(source_id), folded) for pk, source_id, folded in cursor.fetchall()]


def fts_query(
    groups: Sequence[Sequence[str]], *, source: str, scope_ids: Collection[int] | None
) -> str:
    """`folded : (("giai") AND ("bnag" OR "bang")) AND tags : ("s63617365a7" OR ...)`.

    Every word is quoted, so it is a phrase of the tokenizer's own tokens ("1.200.000" ->
    1 200 000) and never FTS5 syntax.
    """
    words = " AND ".join("(" + " OR ".join(_quoted(t) for t in group) + ")" for group in groups)
    if scope_ids is None:
        return f"folded : ({words}) AND tags : {_quoted(tags(source, None))}"
    scopes = [_quoted(tags(source, None) + f"a{int(pk)}") for pk in sorted(scope_ids)]
    return f"folded : ({words}) AND tags : ({' OR '.join(scopes)})"


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def optimize(cursor: CursorWrapper) -> None:
    """Merge the index's segments into one after a bulk load: faster queries."""
    cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")  # noqa: S608
