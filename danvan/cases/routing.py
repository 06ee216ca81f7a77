"""Which agency is competent: the routing table an administrator edits, most specific first."""

from danvan.places.models import Agency, Unit

from .models import RoutingRule, Topic


def _topic_chain(topic: Topic | None) -> list[Topic]:
    chain = []
    while topic is not None:
        chain.append(topic)
        topic = topic.parent
    return chain


def competent_agency(*, topic: Topic | None, unit: Unit, kind: str) -> Agency:
    """Topic (then its parents) × unit (then its province, then anywhere) × kind (then any).

    With no rule, the People's Committee of the unit is competent.
    """
    topics = _topic_chain(topic)
    units = [unit.pk, unit.parent_id, None]
    rules = list(
        RoutingRule.objects.filter(topic__in=topics, kind__in=[kind, ""]).filter(
            unit_id__in=[u for u in units if u]
        )
        | RoutingRule.objects.filter(topic__in=topics, kind__in=[kind, ""], unit__isnull=True)
    )

    def rank(rule: RoutingRule) -> tuple[int, int, int]:
        return (topics.index(rule.topic), units.index(rule.unit_id), 0 if rule.kind else 1)

    if rules:
        return min(rules, key=rank).agency
    return Agency.objects.get(type=Agency.Type.PEOPLES_COMMITTEE, home_unit=unit)
