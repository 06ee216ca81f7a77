"""Reference data kept per process: reused, dropped on a change here, on a change elsewhere."""

import pytest
from django.contrib.auth.models import Group
from django.db.models import F

from danvan.core import refcache
from danvan.core.models import Generation

pytestmark = pytest.mark.django_db
loads: list[str] = []


@refcache.reference(Group)
def group_names(prefix: str) -> list[str]:
    loads.append(prefix)
    return sorted(Group.objects.filter(name__startswith=prefix).values_list("name", flat=True))


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, settings) -> Clock:
    """Another process is assumed to exist: look at the counter every second, on a clock
    the test moves."""
    settings.DANVAN_REFERENCE_CHECK_SECONDS = 1.0
    fake = Clock()
    monkeypatch.setattr(refcache.time, "monotonic", fake)
    monkeypatch.setitem(refcache.state, "checked", float("-inf"))
    loads.clear()
    return fake


def test_a_value_is_read_once_then_kept(django_assert_num_queries) -> None:
    Group.objects.create(name="ref-a")
    loads.clear()
    with django_assert_num_queries(1):
        assert group_names("ref-") == ["ref-a"]
    with django_assert_num_queries(0):
        assert group_names("ref-") == ["ref-a"]
        assert group_names("ref-") == ["ref-a"]
    assert loads == ["ref-"]
    with django_assert_num_queries(1):  # another argument is another value
        assert group_names("none-") == []
    with pytest.raises(TypeError):
        group_names(prefix="ref-")


def test_a_save_or_delete_in_this_process_drops_the_values_at_once() -> None:
    first = Group.objects.create(name="ref-a")
    assert group_names("ref-") == ["ref-a"]
    Group.objects.create(name="ref-b")
    assert group_names("ref-") == ["ref-a", "ref-b"]
    first.delete()
    assert group_names("ref-") == ["ref-b"]


def test_a_change_in_another_process_is_seen_within_the_interval(clock: Clock) -> None:
    group = Group.objects.create(name="ref-a")
    assert group_names("ref-") == ["ref-a"]
    # Another process renames it: no signal here, only the counter it bumped after commit.
    Group.objects.filter(pk=group.pk).update(name="ref-z")
    Generation.objects.filter(name=refcache.NAME).update(value=F("value") + 1)
    clock.now += 0.5
    assert group_names("ref-") == ["ref-a"]  # not looked at again yet
    clock.now += 0.6
    assert group_names("ref-") == ["ref-z"]
    clock.now += 5
    loads.clear()
    assert group_names("ref-") == ["ref-z"]  # looked, unchanged: kept
    assert loads == []


def test_one_bump_per_transaction_after_commit(django_capture_on_commit_callbacks) -> None:
    before = Generation.objects.get(name=refcache.NAME).value
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Group.objects.create(name="ref-a")
        Group.objects.create(name="ref-b")
        refcache.changed()
    assert len(callbacks) == 1
    assert Generation.objects.get(name=refcache.NAME).value == before + 1


def test_a_value_loaded_while_it_changed_is_not_kept() -> None:
    Group.objects.create(name="ref-a")

    @refcache.reference(Group)
    def racing() -> list[str]:
        names = group_names("ref-")
        Group.objects.create(name=f"ref-{len(names)}")  # a change lands during the load
        return names

    assert racing() == ["ref-a"]
    assert racing() == ["ref-1", "ref-a"]  # loaded again, not the stale list


def test_the_values_of_one_function_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refcache, "MAX_ENTRIES", 2)
    for prefix in ("a", "b", "c", "d", "e"):
        group_names(prefix)
    memo = next(m for m in refcache.memos if m.load is group_names.__wrapped__)
    assert len(memo.values) <= 2
