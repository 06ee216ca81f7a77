"""Which agency is competent: the routing table an administrator edits, most specific first."""

from danvan.places.models import Agency, Unit

from ..models import Topic
from .reference import committees, routes, topic_chain


def competent_agency(*, topic: Topic | None, unit: Unit, kind: str) -> Agency:
    """Topic (then its parents) × unit (then its province, then anywhere) × kind (then any).

    With no rule, the People's Committee of the unit is competent. Reads the table kept in
    memory: no query once it is loaded.
    """
    table = routes()
    places = [unit.pk, *([unit.parent_id] if unit.parent_id else []), None]
    for topic_id in topic_chain(topic.pk if topic else None):
        for place in places:
            for wanted in (kind, ""):
                if (found := table.get((topic_id, place, wanted))) is not None:
                    return found
    try:
        return committees()[unit.pk]
    except KeyError:
        raise Agency.DoesNotExist(f"no People's Committee for unit {unit.pk}") from None
