"""Topics and the routing table as every letter filed reads them: kept in memory per process
(danvan.core.refcache), dropped when an administrator changes them. Never modify a value."""

from danvan.core.refcache import reference
from danvan.places.models import Agency

from ..models import RoutingRule, Topic

Route = tuple[int, int | None, str]  # topic, unit (None: anywhere), kind ("" : any)


@reference(Topic)
def topics() -> dict[int, Topic]:
    """Every topic by id, each linked to its parent without a query."""
    rows = {topic.pk: topic for topic in Topic.objects.all()}
    for topic in rows.values():
        if topic.parent_id is not None:
            topic.parent = rows[topic.parent_id]
    return rows


@reference(Topic)
def _topics_by_code() -> dict[str, Topic]:
    return {topic.code: topic for topic in topics().values()}


def topic_by_code(code: str, *, public: bool = False) -> Topic | None:
    """The active topic `code` (among those citizens may choose, if `public`)."""
    topic = _topics_by_code().get(code)
    if topic is None or not topic.is_active or (public and not topic.is_public):
        return None
    return topic


def topic_chain(topic_id: int | None) -> list[int]:
    """The topic's id, then its parents' up to the root."""
    chain, known = [], topics()
    while topic_id is not None and topic_id not in chain:
        chain.append(topic_id)
        topic_id = known[topic_id].parent_id if topic_id in known else None
    return chain


@reference(RoutingRule, Agency)
def routes() -> dict[Route, Agency]:
    return {
        (rule.topic_id, rule.unit_id, rule.kind): rule.agency
        for rule in RoutingRule.objects.select_related("agency")
    }


@reference(Agency)
def committees() -> dict[int, Agency]:
    """The People's Committee of each unit, by the unit's id."""
    found = Agency.objects.filter(type=Agency.Type.PEOPLES_COMMITTEE, home_unit__isnull=False)
    return {agency.home_unit_id: agency for agency in found}
