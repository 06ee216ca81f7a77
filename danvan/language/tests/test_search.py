"""Search: accent-insensitive, typo-tolerant, exact accents first; highlighting and snippets.

`TestContract` is the results contract of both databases: it runs here on SQLite (the test
database) and, through `test_search_postgres`, on a throwaway PostgreSQL server.
"""

import re
import unicodedata
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from danvan.language import ranking
from danvan.language import search as search_module
from danvan.language.highlight import edit_distance_within, highlight, is_typo_of, snippet
from danvan.language.models import SearchDoc
from danvan.language.search import (
    Hit,
    index_document,
    register_source,
    reindex,
    remove_document,
    search,
)
from danvan.language.search_sqlite import typo_variants

COMMUNE_A, COMMUNE_B = 11, 22
WORD = re.compile(r"[^\W_]+")  # how FTS5's unicode61 cuts folded text

# source_id: (scope_id, title, body) — letters as citizens write them.
LETTERS = {
    1: (
        COMMUNE_A,
        "Đề nghị giải phóng mặt bằng đúng quy định",
        "Gia đình tôi ở thôn Đông, xã Tân Hưng có đất bị thu hồi để giải phóng mặt bằng làm "
        "đường liên xã nhưng đến nay chưa được bồi thường thỏa đáng.",
    ),
    2: (
        COMMUNE_A,
        "giai phong mat bang",
        "giai phong mat bang cham, giai phong mat bang khong den bu",  # typed on a phone
    ),
    3: (
        COMMUNE_B,
        "Phản ánh ô nhiễm tiếng ồn",
        "Xưởng cưa gỗ hoạt động ban đêm gây ô nhiễm tiếng ồn, ảnh hưởng sức khỏe người dân "
        "khu phố Hoà Bình. Chủ xưởng có trang Facebook nhưng không trả lời.",
    ),
    4: (
        COMMUNE_B,
        "Khiếu nại về hoà giải tranh chấp đất đai",
        "Tổ hoà giải ở cơ sở chưa tổ chức hòa giải tranh chấp ranh giới đất giữa hai hộ.",
    ),
    5: (
        None,
        "Kiến nghị sửa đường",
        "Đường liên thôn bị hư hỏng nặng, mặt đường nhiều ổ gà, đề nghị xã sửa chữa sớm.",
    ),
}


def index_letters(using, letters=LETTERS, source="case"):
    for source_id, (scope_id, title, body) in letters.items():
        index(using, source_id, title, body, scope_id=scope_id, source=source)


def index(using, source_id, title, body, *, scope_id=None, source="case"):
    index_document(
        source=source, source_id=source_id, scope_id=scope_id, title=title, body=body, using=using
    )


def found(query, using, scope_ids=None, source="case"):
    return [hit.source_id for hit in search(query, source=source, scope_ids=scope_ids, using=using)]


def assert_index_consistent(using):
    """SQLite: the FTS5 index holds exactly the words of every row, no more (a removal told
    the wrong text leaves words behind). PostgreSQL generates its vector from the row."""
    if connections[using].vendor != "sqlite":
        return
    with connections[using].cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE temp.search_instances"
            " USING fts5vocab(main, language_searchfts, instance)"
        )
        cursor.execute("SELECT doc, term FROM temp.search_instances WHERE col = 'folded'")
        indexed = Counter(cursor.fetchall())
        cursor.execute("DROP TABLE temp.search_instances")
    rows = SearchDoc.objects.using(using).values_list("pk", "folded")
    assert indexed == Counter((pk, word) for pk, folded in rows for word in WORD.findall(folded))


@pytest.fixture
def using(db):
    return DEFAULT_DB_ALIAS


class TestContract:
    def test_unaccented_query_finds_the_accented_letter_too(self, using):
        index_letters(using)
        hits = search("giai phong mat bang", source="case", scope_ids=None, using=using)
        assert sorted(hit.source_id for hit in hits) == [1, 2]
        assert not any(hit.exact for hit in hits)  # no accents typed: none to respect

    def test_accented_query_ranks_the_exact_accent_match_first(self, using):
        index_letters(using)
        hits = search("giải phóng mặt bằng", source="case", scope_ids=None, using=using)
        # Letter 2 says it three times in a few words: it ranks first without accents.
        assert found("giai phong mat bang", using)[0] == 2
        assert [(hit.source_id, hit.exact) for hit in hits] == [(1, True), (2, False)]
        assert min(hit.score for hit in hits) > 0

    def test_only_the_accented_words_of_a_query_must_match_exactly(self, using):
        index_letters(using)
        hits = search("giải phong", source="case", scope_ids=None, using=using)
        assert [(hit.source_id, hit.exact) for hit in hits] == [(1, True), (2, False)]

    def test_either_tone_placement_is_the_same_word(self, using):
        index_letters(using)
        for query in ("hòa giải", "hoà giải", "HOÀ GIẢI", unicodedata.normalize("NFD", "hòa giải")):
            hits = search(query, source="case", scope_ids=None, using=using)
            assert [(hit.source_id, hit.exact) for hit in hits] == [(4, True)], query

    def test_d_with_stroke_folds_to_d(self, using):
        index_letters(using)
        assert found("dat dai", using) == [4]
        assert found("đất đai", using) == [4]

    @pytest.mark.parametrize(
        ("query", "why"),
        [
            ("giai phong mat bnag", "two letters swapped"),
            ("giai phog mat bang", "a letter missing"),
            ("giaii phong mat bang", "a letter doubled"),
            ("giai phong mat bangg", "a letter doubled at the end"),
            ("giai phonh mat bang", "a neighbouring key"),
        ],
    )
    def test_a_typo_still_finds_the_letters(self, using, query, why):
        index_letters(using)
        assert sorted(found(query, using)) == [1, 2], why

    def test_long_words_tolerate_two_slips(self, using):
        index_letters(using)
        assert found("facebook", using) == [3]
        assert found("fcaeboook", using) == [3]  # swapped and doubled

    def test_short_words_tolerate_one_slip_only(self, using):
        index_letters(using)
        assert found("giai phong mat bnga", using) == []  # "bnga" is two edits from "bang"

    def test_a_typo_keeps_its_first_letter(self, using):
        index_letters(using)
        assert found("giai phong mat vang", using) == []

    def test_numbers_are_not_guessed(self, using):
        index(using, 7, "Tiền bồi thường", "Số tiền 1.200.000 đồng chưa nhận")
        assert found("1.200.000", using) == [7]
        assert found("1.300.000", using) == []

    def test_a_rare_spelling_also_finds_the_common_word(self, using):
        letters = {i: (None, "Mặt bằng", f"Thư số {i} về mặt bằng") for i in range(1, 61)}
        letters[99] = (None, "Mat bnag", "gõ nhầm mat bnag")
        index_letters(using, letters)
        hits = found("mat bnag", using)
        assert hits[0] == 99  # the rarer word weighs more
        assert sorted(hits) == [*range(1, 61), 99]

    def test_every_word_must_match(self, using):
        index_letters(using)
        assert found("giải phóng tiếng ồn", using) == []

    def test_scope_limits_results_to_the_agencies_given(self, using):
        index_letters(using)
        assert found("đất", using, scope_ids={COMMUNE_A}) == [1]
        assert sorted(found("đất", using, scope_ids=[COMMUNE_A, COMMUNE_B])) == [1, 4]
        assert sorted(found("đất", using)) == [1, 4]
        assert found("đất", using, scope_ids=[]) == []
        assert found("đường", using, scope_ids={COMMUNE_B}) == []
        assert sorted(found("đường", using)) == [1, 5]  # letter 5 has no agency yet

    def test_sources_do_not_mix(self, using):
        index_letters(using)
        index(using, 1, "Lấy ý kiến", "Dự thảo quy hoạch ô nhiễm", source="consultation")
        assert found("ô nhiễm", using) == [3]
        assert found("ô nhiễm", using, source="consultation") == [1]

    def test_limit_and_empty_queries(self, using):
        index_letters(using)
        assert len(search("đất đường", source="case", scope_ids=None, limit=1, using=using)) == 1
        assert search("", source="case", scope_ids=None, using=using) == []
        assert search(" ,.!? ", source="case", scope_ids=None, using=using) == []
        assert search("đất", source="case", scope_ids=None, limit=0, using=using) == []

    def test_query_syntax_is_only_text(self, using):
        index_letters(using)
        odd = ['"', "giai OR phong", "NEAR(giai phong)", "giai* -phong", "a:b", "' ; --"]
        odd += ["😀 đất", "土地", "ไทย", "½ ⅷ ²", "x" * 300, "đất " * 100]
        for query in odd:
            search(query, source="case", scope_ids=None, using=using)  # does not raise
        assert found('"giải phóng" mặt-bằng', using) == [1, 2]
        assert found(f"a{COMMUNE_A}", using) == []  # the index's own tags are not text
        assert found("s63617365", using) == []

    def test_stored_forms(self, using):
        index(using, 8, "  Uỷ ban  xã!!!", unicodedata.normalize("NFD", "Hoà giải"), scope_id=3)
        doc = SearchDoc.objects.using(using).get(source="case", source_id=8)
        assert (doc.title, doc.body, doc.scope_id) == ("Ủy ban xã!", "Hòa giải", 3)
        assert doc.folded == "uy ban xa!\nhoa giai"

    def test_indexing_again_updates_the_one_document(self, using):
        index_letters(using)
        index_letters(using)  # idempotent
        index(using, 3, "Phản ánh khói bụi", "Lò gạch gây khói bụi", scope_id=COMMUNE_A)
        assert SearchDoc.objects.using(using).filter(source="case").count() == 5
        assert found("tiếng ồn", using) == []
        assert found("khoi bui", using, scope_ids={COMMUNE_A}) == [3]
        assert_index_consistent(using)

    def test_moving_a_document_to_another_agency(self, using):
        index_letters(using)
        _, title, body = LETTERS[4]
        index(using, 4, title, body, scope_id=COMMUNE_A)
        assert found("hoà giải", using, scope_ids={COMMUNE_B}) == []
        assert found("hoà giải", using, scope_ids={COMMUNE_A}) == [4]

    def test_removal(self, using):
        index_letters(using)
        remove_document(source="case", source_id=1, using=using)
        remove_document(source="case", source_id=1, using=using)  # already gone: nothing
        remove_document(source="case", source_id=404, using=using)
        assert found("giải phóng", using) == [2]
        assert not SearchDoc.objects.using(using).filter(source="case", source_id=1).exists()
        assert_index_consistent(using)

    def test_reindex_many_documents(self, using):
        topics = ["giải phóng mặt bằng", "ô nhiễm tiếng ồn", "hòa giải đất đai", "sửa đường"]
        rows = [
            (i, i % 7, f"Đơn số {i}", f"Kiến nghị về {topics[i % 4]} tại thôn {i % 50}")
            for i in range(1, 2001)
        ]
        index_letters(using)  # five letters that are not in the rebuilt source
        assert reindex("case", rows, using=using) == 2000
        assert SearchDoc.objects.using(using).filter(source="case").count() == 2000
        hits = search("ô nhiễm", source="case", scope_ids={3}, limit=1000, using=using)
        assert sorted(hit.source_id for hit in hits) == [
            i for i in range(1, 2001) if i % 4 == 1 and i % 7 == 3
        ]
        assert all(hit.exact for hit in hits)
        with CaptureQueriesContext(connections[using]) as queries:
            assert reindex("case", rows, using=using) == 2000
        # Nothing changed, so nothing is written.
        verbs = {query["sql"].lstrip().split(None, 1)[0].upper() for query in queries}
        assert not verbs & {"INSERT", "UPDATE", "DELETE"}
        assert_index_consistent(using)

    def test_the_words_as_a_phrase_rank_before_the_words_scattered(self, using):
        index(using, 1, "Đơn", "Đề nghị giải phóng mặt bằng dự án đường")
        index(using, 2, "Đơn", "Mặt đường hỏng; chưa giải quyết, xin phóng viên về bằng được")
        index(using, 3, "Đơn", "Bằng lòng giải phóng mặt")
        # 2 and 3 are newer and 3 is shorter, but only 1 holds the phrase.
        hits = search("giai phong mat bang", source="case", scope_ids=None, using=using)
        assert [hit.source_id for hit in hits] == [1, 3, 2]
        assert hits[0].score > hits[1].score > hits[2].score

    def test_a_common_word_ranks_the_newest_window_of_its_matches(self, using, monkeypatch):
        monkeypatch.setattr(ranking, "WINDOW", 5)
        for source_id in range(1, 21):
            index(using, source_id, "Đơn", "Đường " * (21 - source_id) + "hỏng")
        # The oldest letters say "đường" most often, but only the newest 5 are ranked.
        hits = search("duong", source="case", scope_ids=None, limit=3, using=using)
        assert [hit.source_id for hit in hits] == [16, 17, 18]
        # A longer list ranks as many as it shows.
        hits = search("duong", source="case", scope_ids=None, limit=8, using=using)
        assert {hit.source_id for hit in hits} == set(range(13, 21))

    def test_results_are_hits_best_first(self, using):
        index_letters(using)
        hits = search("đường", source="case", scope_ids=None, using=using)
        assert all(isinstance(hit, Hit) for hit in hits)
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_reindex_command_rebuilds_registered_sources(db, monkeypatch, capsys):
    monkeypatch.setattr(search_module, "_SOURCES", {})
    register_source("case", lambda: [(1, None, "Đất đai", "Tranh chấp đất đai")])
    register_source("question", lambda: iter([(1, 5, "Hỏi", "Hỏi về đất"), (2, 5, "Hỏi", "x")]))
    call_command("reindex_search")
    assert capsys.readouterr().out.split() == ["case=1", "question=2"]
    call_command("reindex_search", "--source", "question")
    assert capsys.readouterr().out.split() == ["question=2"]
    assert found("dat", DEFAULT_DB_ALIAS, source="question") == [1]
    with pytest.raises(CommandError, match="unknown source consultation"):
        call_command("reindex_search", "--source", "consultation")


# Pure parts: no database.


@pytest.mark.parametrize(
    ("text", "query", "segments"),
    [
        ("Giải phóng mặt bằng chậm", "giai phong",
         [("Giải phóng", True), (" mặt bằng chậm", False)]),
        ("Tổ hòa giải ở cơ sở", "hoà giải", [("Tổ ", False), ("hòa giải", True), (" ở cơ sở", False)]),
        ("Tổ hoà giải", "hòa", [("Tổ ", False), ("hoà", True), (" giải", False)]),
        ("Đất đai, nhà ở", "dat dai nha", [("Đất đai", True), (", ", False), ("nhà", True), (" ở", False)]),
        ("khoa học", "khoa", [("khoa", True), (" học", False)]),
        ("khoa", "hoa", [("khoa", False)]),  # whole words, and typos keep the first letter
        ("Thuỷ lợi", "THỦY", [("Thuỷ", True), (" lợi", False)]),
        ("mặt bằng", "mat bnag", [("mặt bằng", True)]),  # the typo marks what it found
        ("bằng, bằng, bag", "bnag", [("bằng", True), (", ", False), ("bằng", True), (", bag", False)]),
        ("phong, phòng, phng", "phong", [("phong", True), (", ", False), ("phòng", True), (", phng", False)]),
        ("số 1.200.000 đồng", "1.200.000", [("số ", False), ("1.200.000", True), (" đồng", False)]),
        ("Không có gì", "", [("Không có gì", False)]),
        ("", "đất", []),
    ],
)  # fmt: skip
def test_highlight(text, query, segments):
    assert highlight(text, query) == segments


def test_highlight_keeps_decomposed_text_as_written():
    text = unicodedata.normalize("NFD", "Đường làng hỏng")
    segments = highlight(text, "duong hong")
    assert "".join(part for part, _ in segments) == text
    composed = [(unicodedata.normalize("NFC", part), hit) for part, hit in segments]
    assert composed == [("Đường", True), (" làng ", False), ("hỏng", True)]


def test_snippet_around_the_densest_matches():
    text = "Mở đầu lá thư. " * 20 + "Đề nghị giải phóng mặt bằng sớm.\n\nXin cảm ơn. "
    text += "Phần cuối rất dài. " * 20
    segments = snippet(text, "giai phong mat bang", width=80)
    shown = "".join(part for part, _ in segments)
    assert segments[0] == segments[-1] == ("…", False)
    assert ("giải phóng mặt bằng", True) in segments
    assert len(shown) <= 80 + 2
    assert "\n" not in shown


def test_snippet_without_a_match_is_the_beginning():
    text = "Kính gửi Ủy ban nhân dân xã. " * 10
    segments = snippet(text, "ô nhiễm", width=40)
    assert segments == [("Kính gửi Ủy ban nhân dân xã. Kính gửi", False), ("…", False)]


def test_snippet_of_a_short_text_is_all_of_it():
    assert snippet("Đất đai", "dat", width=160) == [("Đất", True), (" đai", False)]


@pytest.mark.parametrize(
    ("a", "b", "limit", "within"),
    [
        ("bang", "bang", 0, True),
        ("bnag", "bang", 1, True),  # a swap is one edit
        ("bag", "bang", 1, True),
        ("banng", "bang", 1, True),
        ("bnga", "bang", 1, False),
        ("bnga", "bang", 2, True),
        ("fcaeboook", "facebook", 2, True),
        ("fcaebooook", "facebook", 2, False),
        ("", "ab", 2, True),
    ],
)
def test_edit_distance_within(a, b, limit, within):
    assert edit_distance_within(a, b, limit) is within
    assert edit_distance_within(b, a, limit) is within


def test_typo_variants():
    variants = typo_variants("bnag")
    assert variants["bang"] == 1
    assert all(word[0] == "b" and distance == 1 for word, distance in variants.items())
    assert "bnag" not in variants
    assert typo_variants("ba") == {}  # too short to guess
    assert typo_variants("1200") == {}  # numbers are not guessed
    assert typo_variants("abcdefghijklmnopqrstu") == {}  # a code or junk, not a word
    assert typo_variants("fcaeboook")["facebook"] == 2
    assert all(is_typo_of(word, "bnag") for word in variants)
