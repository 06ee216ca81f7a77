"""Hot issues: a spike against a unit's own history, a cluster of similar new letters."""

from datetime import date, timedelta

import pytest
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
    assert current_hot_issues(agency_ids={-1}) == []
