"""Each channel of the cases app builds its LetterDraft one way, without the database (the
last test files one); the retry digest reads the same fields as before drafts existed, so
letters stored then still recognise their retries."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from danvan.accounts.models import User
from danvan.cases.draft import LetterDraft, Sender
from danvan.cases.idempotency import IdempotencyKeyReused, letter_digest
from danvan.cases.imports.checking import Identity, ImportRow
from danvan.cases.imports.writing import row_draft
from danvan.cases.letter_form import citizen_draft, paper_draft
from danvan.cases.models import Case, Channel, Topic
from danvan.cases.services import split_draft
from danvan.cases.submission import case_submit
from danvan.cases.workflow import Kind
from danvan.places.models import Unit

UNIT = Unit(pk=11953, code="11953", name="Phường Phố Hiến")
TOPIC = Topic(pk=7, code="ha-tang")
ZONE = timezone.get_default_timezone()
PERSON = {"name": "Nguyễn Văn An", "phone": "+84912345678", "email": "an@example.vn",
          "address": "Số 12 Nguyễn Văn Linh", "id_number": "034090001234"}  # fmt: skip


def form_data(**changes):
    data = {"kind": "feedback", "title": "Đèn đường hỏng", "content": "Đèn hỏng hai tuần.",
            "unit": UNIT, "topic": TOPIC, "anonymous": False, "place": "Ngõ 5", **PERSON}  # fmt: skip
    return {**data, **changes}


def test_the_citizen_form_files_from_the_account_with_the_sender_as_typed():
    citizen = User(pk=5, full_name="Nguyễn Văn An")
    draft = citizen_draft(form_data(), citizen=citizen)
    assert draft == LetterDraft(
        kind="feedback", title="Đèn đường hỏng", content="Đèn hỏng hai tuần.", unit=UNIT,
        topic=TOPIC, sender=Sender(**PERSON), citizen=citizen, place="Ngõ 5",
    )  # fmt: skip
    assert (draft.channel, draft.received_at, draft.extra) == (Channel.WEB, None, {})


def test_an_anonymous_letter_carries_nothing_personal_whatever_was_typed():
    draft = citizen_draft(form_data(anonymous=True), citizen=None)
    assert draft.sender == Sender()
    assert draft.anonymous is True
    assert draft.place == "Ngõ 5"  # where the matter is stays: it names no one


def test_a_paper_letter_of_an_earlier_day_counts_from_the_opening_of_that_day():
    data = form_data(channel=Channel.PAPER, people_count=3, received_on=date(2026, 11, 20))
    draft = paper_draft(data)
    assert draft.received_at == datetime(2026, 11, 20, 8, 0, tzinfo=ZONE)
    assert (draft.channel, draft.people_count) == (Channel.PAPER, 3)
    assert draft.extra == {"received_on": date(2026, 11, 20)}  # a changed day: another letter
    assert draft.sender == Sender(**PERSON)


def test_a_paper_letter_of_today_is_received_now():
    draft = paper_draft(form_data(channel=Channel.PAPER, people_count=1,
                                  received_on=date(2026, 11, 23)))  # fmt: skip
    assert draft.received_at == timezone.now()


def test_a_logbook_row_is_an_import_received_at_the_opening_hour():
    row = ImportRow(row=4, received=date(2025, 3, 2), kind=Kind.COMPLAINT, title="Đất đai",
                    content="Tranh chấp ranh giới.", unit=UNIT, topic=None,
                    identity=Identity(name="Lê Văn B", phone="+84987654321"), people_count=2,
                    reference="15")  # fmt: skip
    draft = row_draft(row)
    assert draft == LetterDraft(
        kind=Kind.COMPLAINT, title="Đất đai", content="Tranh chấp ranh giới.", unit=UNIT,
        sender=Sender(name="Lê Văn B", phone="+84987654321"), people_count=2,
        channel=Channel.IMPORT, received_at=datetime(2025, 3, 2, 8, 0, tzinfo=ZONE),
    )  # fmt: skip


def test_a_logbook_row_without_a_name_is_anonymous():
    row = ImportRow(row=5, received=date(2025, 3, 2), kind=Kind.FEEDBACK, title="Rác",
                    content="Rác thải.", unit=UNIT, topic=TOPIC, identity=Identity(),
                    people_count=1, reference="")  # fmt: skip
    draft = row_draft(row)
    assert (draft.anonymous, draft.sender) == (True, Sender())


def original(**changes):
    fields = {"pk": 40, "kind": Kind.COMPLAINT, "title": "Nhiều việc", "content": "Việc một.",
              "unit": UNIT, "citizen": User(pk=5), "anonymous": False, "address": "Ngõ 5",
              "people_count": 4, "channel": Channel.PAPER,
              "received_at": datetime(2026, 11, 2, 10, 0, tzinfo=ZONE),
              "submitter_name": "Nguyễn Văn An", "submitter_phone": "+84912345678",
              "submitter_email": "an@example.vn", "submitter_address": "Số 12"}  # fmt: skip
    return Case(**{**fields, **changes})


def test_a_split_part_is_received_with_the_original_from_the_same_sender():
    case = original()
    draft = split_draft(case, kind=Kind.PETITION, title="Việc hai", content="Nội dung hai.",
                        topic=TOPIC)  # fmt: skip
    assert draft == LetterDraft(
        kind=Kind.PETITION, title="Việc hai", content="Nội dung hai.", unit=UNIT, topic=TOPIC,
        sender=Sender(name="Nguyễn Văn An", phone="+84912345678", email="an@example.vn",
                      address="Số 12"),
        citizen=case.citizen, place="Ngõ 5", people_count=4, channel=Channel.PAPER,
        received_at=case.received_at, parent=case,
    )  # fmt: skip
    assert draft.sealed_from is None


def test_a_part_of_a_sealed_letter_carries_no_plain_sender():
    case = original(identity_sealed=True, submitter_name="", submitter_phone="",
                    submitter_email="", submitter_address="")  # fmt: skip
    draft = split_draft(case, kind=Kind.PETITION, title="Việc hai", content="Hai.", topic=None)
    assert draft.sender == Sender()
    assert draft.sealed_from is case  # sealed from its first write, with that letter's sender


def test_the_retry_digest_reads_the_fields_it_read_before_drafts():
    citizen = User(pk=5)
    draft = LetterDraft(kind="feedback", title=" Đèn ", content="Hỏng.", unit=UNIT,
                        topic=TOPIC, sender=Sender(**PERSON), citizen=citizen, place="Ngõ 5",
                        location=(20.65, 106.05), extra={"received_on": date(2026, 11, 20)})  # fmt: skip
    before = {"kind": "feedback", "title": " Đèn ", "content": "Hỏng.", "unit": UNIT,
              "topic": TOPIC, "citizen": citizen, "anonymous": False,
              "id_number": PERSON["id_number"], "place": "Ngõ 5", "location": (20.65, 106.05),
              "people_count": 1, "channel": Channel.WEB, "first_round": None, "parent": None,
              "submitter_name": PERSON["name"], "submitter_phone": PERSON["phone"],
              "submitter_email": PERSON["email"], "submitter_address": PERSON["address"],
              "received_on": date(2026, 11, 20)}  # fmt: skip
    assert draft.digest_fields() == before
    assert letter_digest(draft.digest_fields(), ["ab"]) == letter_digest(before, ["ab"])
    moved = LetterDraft(**{**draft.__dict__, "extra": {"received_on": date(2026, 11, 21)}})
    assert letter_digest(moved.digest_fields(), ["ab"]) != letter_digest(before, ["ab"])


def test_a_retry_gives_the_first_letter_not_created_and_another_letter_is_refused(db):
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    draft = LetterDraft(kind="feedback", title="Đèn", content="Đèn hỏng.", unit=unit,
                        sender=Sender(name="Nguyễn Văn An"))  # fmt: skip
    first, created = case_submit(draft=draft, by=None, idempotency_key="web:k1")
    again, created_again = case_submit(draft=draft, by=None, idempotency_key="web:k1")
    assert (again.pk, created, created_again) == (first.pk, True, False)
    other = LetterDraft(**{**draft.__dict__, "content": "Đèn hỏng cả ngõ."})
    with pytest.raises(IdempotencyKeyReused):
        case_submit(draft=other, by=None, idempotency_key="web:k1")
    assert Case.objects.filter(idempotency_key="web:k1").count() == 1
    assert first.events.get().actor is None  # `by`: an API key or anonymous web filing
