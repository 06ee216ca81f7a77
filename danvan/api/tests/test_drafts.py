"""The APIs' letter, as both (REST and Open311) hand it to case_submit; no database."""

from danvan.api.intake import api_draft
from danvan.cases.draft import LetterDraft, Sender
from danvan.cases.models import Channel, Topic
from danvan.places.models import Unit

UNIT = Unit(pk=11953, code="11953", name="Phường Phố Hiến")
TOPIC = Topic(pk=7, code="ha-tang")


def cleaned(**changes):
    data = {"kind": "petition", "title": "", "description": "Đèn đường hỏng\nĐã hai tuần.",
            "lat": None, "long": None, "address_string": "Ngõ 5, Phố Hiến", "name": "",
            "phone": "", "email": "", "address": "", "media_url": ""}  # fmt: skip
    return {**data, **changes}


def test_a_named_letter_carries_its_sender_place_and_point():
    data = cleaned(title="Đèn", name="Trần Thị Bình", phone="+84912345678", lat=20.65,
                   long=106.05)  # fmt: skip
    assert api_draft(data, unit=UNIT, topic=TOPIC) == LetterDraft(
        kind="petition", title="Đèn", content="Đèn đường hỏng\nĐã hai tuần.", unit=UNIT,
        topic=TOPIC, sender=Sender(name="Trần Thị Bình", phone="+84912345678"),
        place="Ngõ 5, Phố Hiến", location=(20.65, 106.05), channel=Channel.API,
    )  # fmt: skip


def test_without_name_phone_or_email_it_is_anonymous_and_titled_by_its_first_line():
    draft = api_draft(cleaned(), unit=UNIT, topic=TOPIC)
    assert (draft.anonymous, draft.sender, draft.location) == (True, Sender(), None)
    assert draft.title == "Đèn đường hỏng"
    assert draft.citizen is None  # an API key files for no account


def test_an_email_alone_names_the_sender_and_a_photo_link_goes_into_the_text():
    draft = api_draft(cleaned(email="b@example.vn", media_url="https://anh.vn/1.jpg"),
                      unit=UNIT, topic=TOPIC)  # fmt: skip
    assert (draft.anonymous, draft.sender) == (False, Sender(email="b@example.vn"))
    assert draft.content == "Đèn đường hỏng\nĐã hai tuần.\n\nPhoto (link): https://anh.vn/1.jpg"
