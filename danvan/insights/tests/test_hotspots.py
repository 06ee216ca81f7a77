"""Hot issues: a spike against a unit's own history, a cluster of similar new letters."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from danvan.accounts.roles import Role
from danvan.cases.models import Case, Topic
from danvan.insights.hotspots import current_hot_issues, detect
from danvan.insights.models import HotIssue

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def back(case, days):
    Case.objects.filter(pk=case.pk).update(received_at=case.received_at - timedelta(days=days))


def test_a_spike_against_the_units_own_history(submit):
    waste = Topic.objects.get(code="rac-thai")
    for week in range(1, 9):  # one letter a week for two months
        back(submit(topic=waste, title=f"Rác tuần {week}"), 7 * week + 1)
    for n in range(6):  # then six this week
        submit(topic=waste, title=f"Rác ùn ứ {n}")
    report = detect(TODAY)
    assert report.spikes == 1
    issue = HotIssue.objects.get(kind="spike")
    assert (issue.topic, issue.count, issue.baseline) == (waste, 6, 1.0)
    assert issue.cases.count() == 6


def test_a_steady_topic_is_not_hot(submit):
    lights = Topic.objects.get(code="ha-tang")
    for week in range(9):
        for n in range(3):
            back(submit(topic=lights, title=f"Đèn {week}-{n}"), 7 * week + 1)
    assert detect(TODAY).spikes == 0


def test_a_cluster_of_similar_letters_without_a_topic(submit):
    text = ("Xe tải chở đất của công trình khu đô thị mới chạy qua đường liên thôn {} làm rơi "
            "vãi đất cát, bụi mù mịt, đường hỏng nặng; đề nghị kiểm tra và yêu cầu che chắn.")  # fmt: skip
    for place in ("Đông", "Đoài", "Nam", "Bắc"):
        submit(topic=None, title="Xe chở đất gây bụi", content=text.format(place))
    submit(topic=None, title="Mất điện", content="Khu phố mất điện cả ngày hôm qua.")
    assert detect(TODAY).clusters == 1
    issue = HotIssue.objects.get(kind="cluster")
    assert issue.count == 4


def test_detection_reruns_replace_the_days_findings(submit, capsys):
    waste = Topic.objects.get(code="rac-thai")
    for n in range(4):
        submit(topic=waste, title=f"Rác {n}")
    call_command("detect_hot_issues", "--date", "2026-11-23")
    call_command("detect_hot_issues", "--date", "2026-11-23")
    assert capsys.readouterr().out.strip().endswith("spikes=1 clusters=0")
    assert HotIssue.objects.count() == 1


def test_the_staff_home_shows_hot_issues_of_the_officers_agency(submit, client_as):
    waste = Topic.objects.get(code="rac-thai")
    for n in range(4):
        submit(topic=waste, title=f"Rác {n}")
    detect(TODAY)
    page = client_as(Role.HANDLING_OFFICER).get("/staff/").content.decode()
    assert "Rác thải, vệ sinh môi trường" in page
    assert current_hot_issues(user=AnonymousUser(), agency_ids={-1}) == []


# Issue 16: hot issues list only letters the viewer may open, never a sealed one's text -------

DUST = ("Xe tải chở đất của công trình khu đô thị mới chạy qua đường liên thôn {} làm rơi "
        "vãi đất cát, bụi mù mịt, đường hỏng nặng; đề nghị kiểm tra và yêu cầu che chắn.")  # fmt: skip
SEALED_TITLE = "Tố cáo chủ thầu xe chở đất đưa tiền cho cán bộ"


@pytest.fixture
def mixed_cluster(submit, pho_hien):
    """A cluster: first a denunciation, then three letters here, two in another commune."""
    from datetime import date as day

    from danvan.accounts.models import Membership, User

    sealed = submit(kind="denunciation", topic=None, title=SEALED_TITLE,
                    content=DUST.format("Trung"))  # fmt: skip
    back(sealed, 1)
    ours = [submit(topic=None, title="Xe chở đất gây bụi", content=DUST.format(p))
            for p in ("Đông", "Đoài", "Nam")]  # fmt: skip
    other_unit = pho_hien.parent.children.exclude(pk=pho_hien.pk).filter(valid_until=None)[0]
    theirs = [submit(topic=None, unit=other_unit, title="Bụi đường liên xã",
                     content=DUST.format(p)) for p in ("Thượng", "Hạ")]  # fmt: skip
    officer = User.objects.create_user(email="xuly@khac.danvan.vn", full_name="Cán bộ khác",
                                       password="x")  # fmt: skip
    Membership.objects.create(user=officer, agency=theirs[0].agency, role="handling_officer",
                              started_on=day(2025, 7, 1))  # fmt: skip
    assert detect(TODAY).clusters == 1
    return sealed, ours, theirs, officer


def _page(client):
    return client.get("/staff/").content.decode()


def test_a_hot_issue_lists_only_the_letters_the_viewer_may_open(mixed_cluster, client_as):
    from django.test import Client

    sealed, ours, theirs, officer = mixed_cluster
    page = _page(client_as(Role.HANDLING_OFFICER))
    assert all(f"/staff/cases/{c.pk}/" in page for c in [sealed, *ours])
    assert not any(f"/staff/cases/{c.pk}/" in page for c in theirs)
    other = Client()
    other.force_login(officer, backend="danvan.accounts.backends.EmailOrPhoneBackend")
    page = _page(other)
    assert all(f"/staff/cases/{c.pk}/" in page for c in theirs)
    assert not any(f"/staff/cases/{c.pk}/" in page for c in [sealed, *ours])
    page = _page(client_as(Role.SUPERVISOR))  # statistics, not letters
    assert "Xe chở đất gây bụi" in page
    assert not any(f"/staff/cases/{c.pk}/" in page for c in [sealed, *ours, *theirs])


@pytest.mark.parametrize("role", [Role.HANDLING_OFFICER, Role.SUPERVISOR, Role.AUDITOR])
def test_a_hot_issue_never_shows_a_sealed_letters_subject(mixed_cluster, client_as, role):
    sealed = mixed_cluster[0]
    issue = HotIssue.objects.get(kind="cluster")
    assert issue.label == "Xe chở đất gây bụi"  # named after the first plain letter
    page = _page(client_as(role))
    assert sealed.title not in page
    assert "chủ thầu" not in page


def test_a_cluster_named_after_a_sealed_letter_before_is_named_after_a_plain_one(
    mixed_cluster, client_as
):
    sealed = mixed_cluster[0]
    HotIssue.objects.filter(kind="cluster").update(label=sealed.title)  # stored before the rule
    page = _page(client_as(Role.SUPERVISOR))
    assert "chủ thầu" not in page
    assert "Xe chở đất gây bụi" in page


def test_the_admin_shows_no_letter_of_a_hot_issue(mixed_cluster, client_as):
    sealed = mixed_cluster[0]
    issue = HotIssue.objects.get(kind="cluster")
    page = client_as(Role.ADMINISTRATOR).get(f"/admin/insights/hotissue/{issue.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Xe chở đất gây bụi" in text  # the label, named after a plain letter
    assert sealed.tracking_code not in text
    assert "chủ thầu" not in text
