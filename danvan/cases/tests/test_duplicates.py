"""Likely duplicates on the case page; linking and merging keep both letters and tell both."""

import pytest
from django.test import Client

from danvan.accounts.roles import Role
from danvan.cases import services as s
from danvan.cases.duplicates import duplicate_candidates
from danvan.cases.models import Case, CaseLink, Notification
from danvan.cases.tests.letters import submit_letter

pytestmark = pytest.mark.django_db

LAND = ("Gia đình tôi bị thu hồi 360 m² đất nông nghiệp ở thôn Đông nhưng đơn giá bồi thường "
        "thấp hơn các hộ liền kề. Đề nghị Ủy ban xem xét điều chỉnh đơn giá bồi thường.")  # fmt: skip
LAND_UNACCENTED = ("Gia dinh toi bi thu hoi 360 m2 dat nong nghiep o thon Dong nhung don gia boi "
                   "thuong thap hon cac ho lien ke. De nghi Uy ban xem xet dieu chinh don gia.")  # fmt: skip
LIGHTS = "Đèn đường trước trường tiểu học hỏng hai tuần nay, buổi tối rất tối, đề nghị sửa."


@pytest.fixture
def pair(submit):
    first = submit(kind="complaint", title="Khiếu nại bồi thường", content=LAND)
    unrelated = submit(title="Đèn đường hỏng", content=LIGHTS)
    second = submit(kind="complaint", title="Khieu nai boi thuong", content=LAND_UNACCENTED,
                    name="Trần Thị Mai", phone="+84913222333", email="mai@example.vn")  # fmt: skip
    return first, second, unrelated


def test_a_reworded_unaccented_letter_is_found_with_its_score(pair, handler):
    first, second, unrelated = pair
    [candidate] = duplicate_candidates(case=second, user=handler)
    assert candidate.case == first
    assert 0.5 < candidate.score <= 1
    assert unrelated not in [c.case for c in duplicate_candidates(case=first, user=handler)]


def test_candidates_respect_access(pair, demo_user):
    _, second, _ = pair
    assert duplicate_candidates(case=second, user=demo_user(Role.SUPERVISOR)) == []


def test_the_case_page_shows_duplicates_and_linking_tells_both_citizens(
    pair, client_as, django_capture_on_commit_callbacks
):
    first, second, _ = pair
    client = client_as(Role.HANDLING_OFFICER)
    page = client.get(f"/staff/cases/{second.pk}/").content.decode()
    assert first.tracking_code in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/cases/{second.pk}/link/{first.pk}/")
    assert response.status_code == 302
    assert CaseLink.objects.filter(case=second, other=first).exists()
    assert CaseLink.objects.filter(case=first, other=second).exists()
    told = Notification.objects.filter(purpose="link").values_list("case_id", flat=True)
    assert set(told) == {first.pk, second.pk}
    # The other letter's code is never shown to the citizen.
    public = Client().get(f"/tra-cuu/{second.tracking_code}/").content.decode()
    assert first.tracking_code not in public


def test_a_linked_letter_is_no_longer_offered(pair, handler):
    first, second, _ = pair
    from danvan.cases.duplicates import case_link

    case_link(case=second, other=first, by=handler)
    assert duplicate_candidates(case=second, user=handler) == []


def test_merging_keeps_both_letters_and_the_citizen_hears_the_answer(pair, handler):
    first, second, _ = pair
    from danvan.cases.duplicates import case_merge

    merged = case_merge(case=second, into=first, by=handler)
    assert (merged.status, merged.merged_into) == ("closed", first)
    case = s.case_classify(case=first, by=handler, kind="complaint", topic=first.topic)
    case = s.case_accept(case=case, by=handler)
    case = s.case_start(case=case, by=handler)
    s.case_resolve(case=case, by=handler, answer="Điều chỉnh đơn giá bồi thường.")
    second = Case.objects.get(pk=second.pk)
    assert second.answer == "Điều chỉnh đơn giá bồi thường."
    assert second.events.filter(action="resolve").exists()
    assert Case.objects.count() == 3  # nothing dropped


def test_a_letter_being_handled_cannot_be_merged(pair, handler, client_as):
    first, second, _ = pair
    second = s.case_classify(case=second, by=handler, kind="complaint", topic=None)
    s.case_accept(case=second, by=handler)
    client = client_as(Role.HANDLING_OFFICER)
    client.post(f"/staff/cases/{second.pk}/merge/{first.pk}/")
    assert Case.objects.get(pk=second.pk).merged_into is None


def test_an_officer_cannot_link_to_a_letter_of_another_agency(pair, client_as):
    from danvan.places.models import Agency

    first, second, _ = pair
    Case.objects.filter(pk=first.pk).update(agency=Agency.objects.get(code="hy-cong-an"))
    response = client_as(Role.HANDLING_OFFICER).post(f"/staff/cases/{second.pk}/link/{first.pk}/")
    assert response.status_code == 404
    assert not CaseLink.objects.exists()


# Issue 16: a sealed letter is never offered or linked beside a plain one ----------------------


@pytest.fixture
def same_sender(submit):
    """The same person writes a complaint and, about the same matter, a denunciation."""
    plain = submit(kind="complaint", title="Khiếu nại bồi thường", content=LAND)
    sealed = submit(kind="denunciation", title="Tố cáo sai phạm bồi thường", topic=None,
                    content=LAND + " Cán bộ địa chính nhận tiền của các hộ liền kề.")  # fmt: skip
    return plain, sealed


def test_a_sealed_letter_is_never_a_candidate_beside_a_plain_one(same_sender, handler, head):
    plain, sealed = same_sender
    for user in (handler, head):
        assert duplicate_candidates(case=plain, user=user) == []
        assert duplicate_candidates(case=sealed, user=user) == []
    twin = submit_letter(kind="denunciation", title="Tố cáo", content=LAND, unit=sealed.unit)
    assert [c.case for c in duplicate_candidates(case=sealed, user=handler)] == [twin]


def test_the_pages_offer_no_such_pair_and_a_forged_link_is_refused(same_sender, client_as):
    plain, sealed = same_sender
    client = client_as(Role.HANDLING_OFFICER)
    for case, other in ((plain, sealed), (sealed, plain)):
        page = client.get(f"/staff/cases/{case.pk}/").content.decode()
        assert f"/staff/cases/{other.pk}/" not in page
        response = client.post(f"/staff/cases/{case.pk}/link/{other.pk}/")
        assert response.status_code == 302
        merged = client.post(f"/staff/cases/{case.pk}/merge/{other.pk}/")
        assert merged.status_code == 302
    assert not CaseLink.objects.exists()
    assert not Case.objects.filter(merged_into__isnull=False).exists()


def test_a_denunciation_split_from_a_plain_letter_is_shown_beside_it_only_to_its_handler(
    submit, handler, head, demo_user, client_as
):
    plain = submit(kind="petition")
    part = s.case_split(case=plain, by=handler, kind="denunciation", title="Tố cáo cán bộ",
                        content="Cán bộ địa chính nhận tiền.")  # fmt: skip
    assert part.identity_sealed
    assert not plain.identity_sealed
    officer = client_as(Role.HANDLING_OFFICER)
    assert (
        f"/staff/cases/{part.pk}/" not in officer.get(f"/staff/cases/{plain.pk}/").content.decode()
    )
    assert (
        f"/staff/cases/{plain.pk}/" not in officer.get(f"/staff/cases/{part.pk}/").content.decode()
    )
    s.case_assign(case=part, by=head, assignee=handler)
    assert f"/staff/cases/{part.pk}/" in officer.get(f"/staff/cases/{plain.pk}/").content.decode()
    auditor = client_as(Role.AUDITOR)
    assert f"/staff/cases/{plain.pk}/" in auditor.get(f"/staff/cases/{part.pk}/").content.decode()
