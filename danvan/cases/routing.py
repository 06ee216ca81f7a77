"""Which agency is competent: the routing table an administrator edits, most specific first."""

from django.db.models import Q

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
    topics = [t.pk for t in _topic_chain(topic)]
    units = [unit.pk, unit.parent_id, None]
    rules = list(
        RoutingRule.objects.filter(topic_id__in=topics, kind__in=[kind, ""])
        .filter(Q(unit_id__in=[u for u in units if u]) | Q(unit__isnull=True))
        .select_related("agency")
    )
    if rules:
        best = min(
            rules,
            key=lambda r: (topics.index(r.topic_id), units.index(r.unit_id), 0 if r.kind else 1),
        )
        return best.agency
    return Agency.objects.get(type=Agency.Type.PEOPLES_COMMITTEE, home_unit=unit)
