"""The citizen rates an answer in words, from "Rất hài lòng" down to "Rất không hài lòng"."""

import pytest
from django.test import Client
from django.utils import translation

from danvan.accounts.models import User
from danvan.cases.forms import RateForm
from danvan.cases.models import Case
from danvan.core.ratings import RATING_CHOICES, rating_words
from danvan.demo.cases import demo_cases_load
from danvan.places.models import Unit


@pytest.mark.parametrize(
    ("value", "words"),
    [(5, "Rất hài lòng"), (4, "Hài lòng"), (3, "Bình thường"), (2, "Không hài lòng"),
     (1, "Rất không hài lòng"), (None, ""), (0, ""), (6, "")],
)  # fmt: skip
def test_each_rating_reads_in_words(value, words):
    with translation.override("vi"):
        assert rating_words(value) == words


def test_the_rating_form_offers_the_five_words_best_first():
    with translation.override("vi"):
        labels = [str(label) for _, label in RateForm().fields["rating"].choices]
    assert labels == ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng",
                      "Rất không hài lòng"]  # fmt: skip
    assert [value for value, _ in RATING_CHOICES] == [5, 4, 3, 2, 1]


@pytest.mark.django_db
def test_the_tracking_page_shows_the_given_rating_in_words():
    officer = User.objects.get(email="xuly@demo.danvan.vn")
    province = Unit.objects.get(level="province", code="33", valid_until__isnull=True)
    demo_cases_load(count=40, officer=officer, province=province)
    case = Case.objects.filter(rating__isnull=False).order_by("pk").first()
    page = Client().get(f"/tra-cuu/{case.tracking_code}/").content.decode()
    with translation.override("vi"):
        assert f"Đánh giá của bạn: {rating_words(case.rating)}" in page
    assert "/5" not in page
