"""The letter a logbook row files (reception.services.visitor_draft); no database."""

from datetime import datetime

from django.utils import timezone

from danvan.cases.draft import LetterDraft, Sender
from danvan.cases.models import Channel
from danvan.places.models import Unit
from danvan.reception.services import Visitor, visitor_draft

UNIT = Unit(pk=11953, code="11953", name="Phường Phố Hiến")
AT = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.get_default_timezone())


def test_a_visitor_files_in_their_own_name_with_the_row_in_the_retry_digest():
    visitor = Visitor(kind="complaint", content="Khiếu nại về  bồi thường\n đất.", name="Lê Văn C",
                      id_number="034090001234", address="Thôn 2", phone="+84987654321",
                      group_size=6, representatives=["Lê Văn C"], notes="Mang hồ sơ.")  # fmt: skip
    row = {"route": "case", "notes": "Mang hồ sơ."}
    draft = visitor_draft(visitor, unit=UNIT, received_at=AT, row=row)
    assert draft == LetterDraft(
        kind="complaint", title="Khiếu nại về bồi thường đất.",
        content="Khiếu nại về  bồi thường\n đất.", unit=UNIT,
        sender=Sender(name="Lê Văn C", phone="+84987654321", address="Thôn 2",
                      id_number="034090001234"),
        people_count=6, channel=Channel.RECEPTION, received_at=AT, extra=row,
    )  # fmt: skip
    assert draft.digest_fields()["notes"] == "Mang hồ sơ."


def test_a_long_matter_is_titled_by_its_first_eighty_characters():
    visitor = Visitor(kind="feedback", content="Đường " * 30)
    title = visitor_draft(visitor, unit=UNIT, received_at=AT, row={}).title
    assert len(title) == 80
    assert title.endswith("…")
