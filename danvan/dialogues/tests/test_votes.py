"""Votes for a dialogue's questions: one per account; without an account, one per browser
session and at most DANVAN_VOTES_PER_ADDRESS per client address, counted and shown apart."""

import importlib

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from danvan.accounts.roles import Role
from danvan.dialogues import services as s
from danvan.dialogues.models import Question, QuestionVote
from danvan.dialogues.services import DialogueError

pytestmark = pytest.mark.django_db
ALREADY = "Bạn đã bình chọn câu hỏi này rồi."
CAPPED = "Đã có nhiều lượt bình chọn không đăng nhập cho câu hỏi này từ mạng của bạn."


@pytest.fixture
def question(dialogue):
    return s.question_submit(dialogue=dialogue, text="Bao giờ làm đường?")


def vote_url(question):
    return f"/doi-thoai/{question.dialogue_id}/cau-hoi/{question.pk}/binh-chon/"


def tally(question):
    question.refresh_from_db()
    return question.account_votes, question.anonymous_votes


def test_one_vote_per_account_and_per_browser_session(question, client_as):
    citizen = client_as(Role.CITIZEN)
    visitor, other_visitor = Client(), Client()
    for client in (citizen, citizen, visitor, visitor, visitor, other_visitor):
        assert client.post(vote_url(question)).status_code == 302
    assert tally(question) == (1, 2)
    assert QuestionVote.objects.filter(question=question).count() == 3


def test_a_second_vote_of_an_account_changes_nothing_and_says_so(question, client_as):
    citizen = client_as(Role.CITIZEN)
    citizen.post(vote_url(question))
    page = citizen.post(vote_url(question), follow=True).content.decode()
    assert ALREADY in page
    assert tally(question) == (1, 0)
    assert s.question_vote(question=question, voter="u:999999") is True
    assert s.question_vote(question=question, voter="u:999999") is False
    assert tally(question) == (2, 0)


def test_fresh_cookieless_clients_from_one_address_cannot_stuff_votes(question, client_as):
    """A script that throws its cookies away gets a new session for every vote."""
    with override_settings(DANVAN_VOTES_PER_ADDRESS=10):
        for _ in range(30):
            Client(REMOTE_ADDR="203.0.113.7").post(vote_url(question))
        assert tally(question) == (0, 10)
        refused = Client(REMOTE_ADDR="203.0.113.7").post(vote_url(question), follow=True)
        assert CAPPED in refused.content.decode()
        assert tally(question) == (0, 10)
        # Another household's address, and an account on the capped one, still count.
        Client(REMOTE_ADDR="198.51.100.4").post(vote_url(question))
        client_as(Role.CITIZEN).post(vote_url(question), REMOTE_ADDR="203.0.113.7")
    assert tally(question) == (1, 11)
    assert QuestionVote.objects.filter(question=question).count() == 12


def test_refused_votes_leave_no_session_behind(question):
    with override_settings(DANVAN_VOTES_PER_ADDRESS=2):
        for _ in range(2):
            Client(REMOTE_ADDR="203.0.113.7").post(vote_url(question))
        sessions = Session.objects.count()
        for _ in range(20):
            Client(REMOTE_ADDR="203.0.113.7").post(vote_url(question))
    assert Session.objects.count() == sessions
    assert tally(question) == (0, 2)


def test_a_browser_that_voted_before_voting_keys_is_still_known(question):
    """Sessions from before kept `True`, and the vote was keyed by the session's key."""
    visitor = Client()
    session = visitor.session
    session["dialogue_voter"] = True
    session.save()
    s.question_vote(question=question, voter=f"s:{session.session_key}", address="203.0.113.7")
    page = visitor.post(vote_url(question), follow=True).content.decode()
    assert ALREADY in page
    assert tally(question) == (0, 1)


def test_behind_the_proxy_the_cap_counts_the_address_the_proxy_saw(question):
    """What a client writes to the left of X-Forwarded-For is its own say: ignored."""
    with override_settings(DANVAN_VOTES_PER_ADDRESS=3, DANVAN_PROXY_COUNT=1):
        for n in range(10):
            Client(REMOTE_ADDR="10.0.0.2").post(
                vote_url(question), HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7"
            )
    assert tally(question) == (0, 3)


def test_the_cap_is_per_question(dialogue, question):
    other = s.question_submit(dialogue=dialogue, text="Bao giờ có nước sạch?")
    with override_settings(DANVAN_VOTES_PER_ADDRESS=2):
        for n, target in enumerate((question, question, other, other)):
            assert s.question_vote(question=target, voter=f"s:{n}", address="203.0.113.7")
        with pytest.raises(DialogueError) as caught:
            s.question_vote(question=question, voter="s:late", address="203.0.113.7")
    assert caught.value.code == "address_limit"
    assert (tally(question), tally(other)) == ((0, 2), (0, 2))


def test_no_address_is_kept_only_a_keyed_hash_of_it(question):
    s.question_vote(question=question, voter="s:abc", address="203.0.113.7")
    s.question_vote(question=question, voter="u:1")
    anonymous, account = QuestionVote.objects.order_by("voter").values_list("address", flat=True)
    assert len(anonymous) == 64
    assert "203.0.113.7" not in anonymous
    assert account == ""


def test_the_page_shows_account_votes_apart_from_the_others(question, client_as):
    for role in (Role.CITIZEN, Role.HEAD):
        client_as(role).post(vote_url(question))
    for n in range(3):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(vote_url(question))
    page = Client().get(f"/doi-thoai/{question.dialogue_id}/").content.decode()
    assert "2 lượt bình chọn của tài khoản, 3 lượt không đăng nhập" in page
    staff = client_as(Role.HEAD).get(f"/staff/dialogues/{question.dialogue_id}/")
    assert "2 lượt bình chọn của tài khoản, 3 lượt không đăng nhập" in staff.content.decode()


def test_an_htmx_vote_says_in_place_why_it_was_not_counted(question):
    with override_settings(DANVAN_VOTES_PER_ADDRESS=1):
        Client(REMOTE_ADDR="203.0.113.7").post(vote_url(question))
        fragment = Client(REMOTE_ADDR="203.0.113.7").post(
            vote_url(question), HTTP_HX_REQUEST="true"
        )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith(f'<li id="q{question.pk}">')
    assert CAPPED in html
    assert "0 lượt bình chọn của tài khoản, 1 lượt không đăng nhập" in html


def test_the_migration_counts_earlier_votes_apart(question):
    for voter in ("u:1", "u:2", "s:abc", "demo:0"):
        QuestionVote.objects.create(question=question, voter=voter)
    Question.objects.filter(pk=question.pk).update(votes=4, anonymous_votes=0)
    migration = importlib.import_module(
        "danvan.dialogues.migrations.0004_votes_apart_and_capped_per_address"
    )
    migration.count_votes_apart(apps, None)
    assert tally(question) == (2, 2)


COUNTED = "Đã ghi nhận bình chọn của bạn. Cảm ơn bạn."


def test_a_counted_vote_is_confirmed_with_and_without_htmx(question, client_as):
    page = client_as(Role.CITIZEN).post(vote_url(question), follow=True).content.decode()
    assert COUNTED in page
    fragment = Client().post(vote_url(question), HTTP_HX_REQUEST="true").content.decode()
    assert COUNTED in fragment
    assert tally(question) == (1, 1)


def test_an_ipv6_household_counts_as_one_address(question):
    """A subscriber holds a whole /64 and may vote from a fresh address of it each time."""
    with override_settings(DANVAN_VOTES_PER_ADDRESS=3):
        for n in range(10):
            Client(REMOTE_ADDR=f"2001:db8:12:34::{n + 1:x}").post(vote_url(question))
        assert tally(question) == (0, 3)
        Client(REMOTE_ADDR="2001:db8:12:34:ffff:ffff:ffff:fffe").post(vote_url(question))
        assert tally(question) == (0, 3)
        Client(REMOTE_ADDR="2001:db8:12:35::1").post(vote_url(question))  # the next household
        assert tally(question) == (0, 4)


def test_an_ipv4_mapped_address_counts_as_its_ipv4(question):
    with override_settings(DANVAN_VOTES_PER_ADDRESS=2):
        for remote in ("203.0.113.7", "::ffff:203.0.113.7", "::ffff:cb00:7107"):
            Client(REMOTE_ADDR=remote).post(vote_url(question))
    assert tally(question) == (0, 2)
