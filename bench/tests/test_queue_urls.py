"""The cases benchmark times each queue figure over many URLs, each one a filter the queue
reads (no database: the URLs are built from ids)."""

from urllib.parse import parse_qsl, urlsplit

from bench.cases import QUEUE, Ids, queue_urls

IDS = Ids(searches=["đất đai", "rác thải"], communes=[1], topics=[3, 4, 5], visible=[], codes=[])
KNOWN = {"q", "kind", "status", "topic", "unit", "due", "overdue", "mine"}  # views.queue


def test_every_figure_but_the_first_page_varies_its_url():
    urls = queue_urls(IDS)
    assert urls["queue_first"] == [QUEUE]
    assert len(urls["queue_filtered"]) == 14
    assert urls["queue_topic"] == [f"{QUEUE}?topic={pk}" for pk in (3, 4, 5)]
    assert [dict(parse_qsl(urlsplit(u).query)) for u in urls["queue_search"]] == [
        {"q": "đất đai"},
        {"q": "rác thải"},
    ]
    for figure in urls.values():
        assert len(set(figure)) == len(figure)


def test_every_url_is_the_queue_with_parameters_it_reads():
    for figure in queue_urls(IDS).values():
        for url in figure:
            parts = urlsplit(url)
            assert parts.path == QUEUE
            assert {name for name, _ in parse_qsl(parts.query)} <= KNOWN
