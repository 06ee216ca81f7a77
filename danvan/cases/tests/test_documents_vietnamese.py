"""Every document a case produces is Vietnamese throughout and signed by the agency's head."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.utils import translation
from docx import Document

from danvan.accounts.models import Membership
from danvan.cases.outgoing import case_document
from danvan.cases.workflow import DeclineReason
from danvan.places.models import Agency
from danvan.rulebook.words import basis_in_document

# Words of English that are not also Vietnamese syllables without marks ("to", "in", "no"
# and "an" are Vietnamese, so they are not listed). A heuristic: a word outside the list
# passes unseen, which is why the planted phrase below must be caught.
_WORDS = """
the of and by set deadline art article clause province for with is not head chairperson
chief inspector decision decree circular law notice answer amending on behalf time days
letter complaint denunciation feedback petition reason slip forwarding acceptance
decline case agency committee people signature seal
"""
ENGLISH = frozenset(_WORDS.split())


def english_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.casefold()) if word in ENGLISH}


def document_text(attachment) -> str:
    with attachment.file.open("rb") as handle:
        document = Document(BytesIO(handle.read()))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(texts)


def test_the_word_list_catches_the_english_the_old_letter_carried():
    old = "Căn cứ QĐ 31/2021/QĐ-TTg Art. 43(2); deadline set by the province"
    assert english_words(old) == {"art", "deadline", "set", "by", "the", "province"}
    assert english_words("Căn cứ khoản 2 Điều 43 Quyết định số 31/2021/QĐ-TTg") == set()


@pytest.mark.parametrize(
    ("basis", "words"),
    [
        ("QĐ 31/2021/QĐ-TTg Art. 43(2); deadline set by the province",
         "khoản 2 Điều 43 Quyết định số 31/2021/QĐ-TTg"),
        ("Luật Khiếu nại 2011 Art. 28", "Điều 28 Luật Khiếu nại năm 2011"),
        ("Luật Tố cáo 2018 Art. 30; NĐ 31/2019/NĐ-CP Art. 3",
         "Điều 30 Luật Tố cáo năm 2018; Điều 3 Nghị định số 31/2019/NĐ-CP"),
        ("TT 05/2021/TT-TTCP; TTHC xử lý đơn (dichvucong 315145)",
         "Thông tư số 05/2021/TT-TTCP"),
        ("Luật 136/2025/QH15 (amending Luật Khiếu nại)", "Luật số 136/2025/QH15"),
    ],
)  # fmt: skip
def test_a_basis_is_cited_in_words_with_only_its_legal_acts(basis, words):
    with translation.override("vi"):
        assert basis_in_document(basis) == words


@pytest.fixture
def documents(submit, handler):
    """One of each kind a case produces: a complaint's notices, slip and decision and a
    feedback letter's answer."""
    complaint = submit(kind="complaint", address="Số 12 phố Nguyễn Văn Linh")
    complaint.decline_reason = DeclineReason.choices[0][0]
    complaint.process_rule, complaint.resolve_rule = "KN-1", "KN-2"
    complaint.resolve_due = date(2027, 1, 15)
    complaint.answer = "Giữ nguyên quyết định hành chính bị khiếu nại."
    feedback = submit()
    feedback.answer = "Đã thay bóng đèn."
    feedback.resolve_rule = "KNPA-2"  # its basis carries "deadline set by the province"
    other = Agency.objects.exclude(pk=complaint.agency_id).first()
    return [
        case_document(case=complaint, kind="acceptance_notice", by=handler),
        case_document(case=complaint, kind="forwarding_slip", by=handler, to=other),
        case_document(case=complaint, kind="decline_notice", by=handler, note="Đơn thiếu chữ ký."),
        case_document(case=complaint, kind="answer", by=handler),
        case_document(case=feedback, kind="answer", by=handler),
    ]


def test_no_document_of_a_case_carries_an_english_word(documents):
    for attachment in documents:
        text = document_text(attachment)
        assert english_words(text) == set(), attachment.document_kind
        assert "Căn cứ " in text
        for code in ("Art.", "KN-", "KNPA-"):
            assert code not in text


def test_documents_are_signed_by_the_agency_head_not_a_placeholder(documents):
    agency = documents[0].case.agency
    head = Membership.objects.get(agency=agency, role="head", ended_on__isnull=True)
    for attachment in documents:
        text = document_text(attachment)
        assert head.user.full_name in text
        assert "Chữ ký, dấu" not in text
        assert "THỦ TRƯỞNG CƠ QUAN" not in text


def test_a_new_head_signs_from_the_day_the_membership_ends(submit, handler):
    case = submit(kind="complaint", address="Số 12 phố Nguyễn Văn Linh")
    case.resolve_due = date(2027, 1, 15)
    old = Membership.objects.get(agency=case.agency, role="head", ended_on__isnull=True)
    old.ended_on = old.started_on
    old.save()
    text = document_text(case_document(case=case, kind="acceptance_notice", by=handler))
    assert old.user.full_name not in text
    assert "CHỦ TỊCH" in text or "THỦ TRƯỞNG" in text


def test_a_complaint_decision_is_numbered_as_a_decision_and_a_letter_is_not(documents):
    decision, letter = documents[3], documents[4]
    assert re.search(r"Số: \d+/QĐ-UBND\n", document_text(decision))
    assert re.search(r"Số: \d+/UBND\n", document_text(letter))
    assert re.search(r"Số: \d+/TB-UBND\n", document_text(documents[0]))
