"""Rules told in words: the article and the law, never the internal code. No database."""

from datetime import date

import pytest
from django.utils import translation

from danvan.rulebook.store import legal_rulebook
from danvan.rulebook.words import TITLES, basis_in_words, rule_in_words, rule_title


@pytest.mark.parametrize(
    ("basis", "vietnamese", "english"),
    [
        ("Luật Khiếu nại 2011 Art. 28", "Điều 28 Luật Khiếu nại 2011",
         "Article 28 of Luật Khiếu nại 2011"),
        ("Luật Tố cáo 2018 Art. 24(1)", "Khoản 1 Điều 24 Luật Tố cáo 2018",
         "Clause 1, Article 24 of Luật Tố cáo 2018"),
        # two sources, and a phrase of the table that is not a law
        ("QĐ 31/2021/QĐ-TTg Art. 43(2); deadline set by the province",
         "Khoản 2 Điều 43 QĐ 31/2021/QĐ-TTg; thời hạn do tỉnh quy định",
         "Clause 2, Article 43 of QĐ 31/2021/QĐ-TTg; deadline set by the province"),
        ("Luật Tố cáo 2018 Art. 30; NĐ 31/2019/NĐ-CP Art. 3",
         "Điều 30 Luật Tố cáo 2018; Điều 3 NĐ 31/2019/NĐ-CP",
         "Article 30 of Luật Tố cáo 2018; Article 3 of NĐ 31/2019/NĐ-CP"),
        # a basis without an article is shown as the table has it
        ("TT 05/2021/TT-TTCP", "TT 05/2021/TT-TTCP", "TT 05/2021/TT-TTCP"),
    ],
)  # fmt: skip
def test_a_basis_reads_as_its_article_and_law(basis: str, vietnamese: str, english: str) -> None:
    with translation.override("vi"):
        assert basis_in_words(basis) == vietnamese
    with translation.override("en"):
        assert basis_in_words(basis) == english


def test_every_rule_of_the_table_has_a_title() -> None:
    assert set(legal_rulebook().codes()) <= set(TITLES)
    with translation.override("vi"):
        assert rule_title("KN-2") == "Thời hạn giải quyết khiếu nại lần đầu"
        assert rule_title("XX-9") == "Quy định về thời hạn"


@pytest.mark.django_db
def test_a_rule_in_words_is_the_version_in_force_that_day() -> None:
    with translation.override("vi"):
        assert rule_in_words("KN-2", on=date(2026, 3, 2)) == (
            "Thời hạn giải quyết khiếu nại lần đầu (Điều 28 Luật Khiếu nại 2011)"
        )
        # before the rule was in force: its title only, never the code
        assert rule_in_words("PDP-1", on=date(2020, 1, 1)) == (
            "Thời hạn trả lời yêu cầu về dữ liệu cá nhân"
        )
