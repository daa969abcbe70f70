"""The RSS 2.0 and Atom feeds, parsed with feedparser: well-formed (bozo 0), with titles,
links and dates, only public items, and filtered by area and topic."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from torget.dialogues.tests.factories import cast, initiative
from torget.geo.tests.factories import AreaFactory
from torget.organisation.tests.factories import TopicFactory
from torget.proposals.models import Outcome, Status
from torget.proposals.tests.factories import ProposalFactory, SigningProposalFactory
from torget.results.tests import factories as results

pytestmark = pytest.mark.django_db

FEEDS = ["dialogues", "proposals", "decisions", "results"]
FLAVOURS = ["rss", "atom"]


@pytest.fixture
def site():
    """A dialogue in Berga with its decision and published summary; a planned initiative
    (not public); proposals: one signing, one decided, one waiting for moderation."""
    w = results.world()  # an open dialogue in the area Berga
    results.to_decision_made(w)
    from torget.results import services as result_services

    result_services.summary_publish(
        dialogue=w.dialogue, actor=w.people.official, text="Så här gick det."
    )
    hidden = initiative(cast(), title="Hemligt initiativ")
    berga = w.dialogue.areas.get()
    topic = TopicFactory(name="Trafik", slug="trafik")
    other_topic = TopicFactory(name="Skola", slug="skola")
    signing = SigningProposalFactory(title="Cykelbana längs ån", area=berga, topic=topic)
    decided = SigningProposalFactory(
        title="Fler papperskorgar",
        topic=other_topic,
        status=Status.DECIDED,
        decided_on=datetime.date(2027, 4, 1),
        outcome=Outcome.APPROVED,
        answer="Nämnden sätter upp tio nya papperskorgar.",
    )
    waiting = ProposalFactory(title="Väntar på granskning", area=berga, topic=topic)
    return {
        "world": w,
        "hidden": hidden,
        "berga": berga,
        "topic": topic,
        "signing": signing,
        "decided": decided,
        "waiting": waiting,
    }


def fetch(client, kind, flavour, query=""):
    response = client.get(reverse(f"opendata:{kind}_{flavour}") + query)
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("kind", FEEDS)
def test_every_feed_parses_with_titles_links_and_dates(client, site, kind, flavour):
    response, feed = fetch(client, kind, flavour)
    assert response.status_code == 200
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == ("rss20" if flavour == "rss" else "atom10")
    expected_type = "application/rss+xml" if flavour == "rss" else "application/atom+xml"
    assert response["Content-Type"].startswith(expected_type)
    assert feed.feed.title
    assert feed.feed.link.startswith("http")
    assert feed.entries, kind
    for entry in feed.entries:
        assert entry.title
        assert entry.link.startswith("http://testserver/")
        assert entry.get("published_parsed") or entry.get("updated_parsed")
        assert entry.id


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_only_public_items(client, site, flavour):
    _response, dialogues = fetch(client, "dialogues", flavour)
    titles = [entry.title for entry in dialogues.entries]
    assert site["world"].dialogue.title in titles
    assert "Hemligt initiativ" not in titles
    _response, proposals = fetch(client, "proposals", flavour)
    titles = [entry.title for entry in proposals.entries]
    assert "Cykelbana längs ån" in titles
    assert "Väntar på granskning" not in titles


def test_no_private_names_in_proposal_items(client, site):
    response, _feed = fetch(client, "proposals", "atom")
    assert site["signing"].author_name not in response.content.decode()


def test_decisions_are_proposals_and_dialogues_newest_first(client, site):
    _response, feed = fetch(client, "decisions", "rss")
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Beslut om förslaget: Fler papperskorgar",  # 2027-04-01
        f"Beslut efter dialogen: {site['world'].dialogue.title}",  # 2027-03-15
    ]
    assert "tio nya papperskorgar" in feed.entries[0].summary
    assert feed.entries[0].link.endswith(f"/forslag/{site['decided'].pk}/#decision-heading")


def test_results_are_the_published_summaries(client, site):
    _response, feed = fetch(client, "results", "atom")
    assert [entry.title for entry in feed.entries] == [
        f"Resultat från dialogen: {site['world'].dialogue.title}"
    ]
    assert "Så här gick det." in feed.entries[0].summary


@pytest.mark.parametrize("kind", FEEDS)
def test_area_filter(client, site, kind):
    _response, inside = fetch(client, kind, "rss", "?omrade=" + site["berga"].slug)
    AreaFactory(slug="tom")
    _response, empty = fetch(client, kind, "rss", "?omrade=tom")
    assert inside.bozo == 0 and empty.bozo == 0
    assert empty.entries == []
    assert site["berga"].name in inside.feed.title
    if kind != "decisions":
        assert inside.entries
    titles = " ".join(entry.title for entry in inside.entries)
    assert "Fler papperskorgar" not in titles  # no area


@pytest.mark.parametrize("kind", ["dialogues", "proposals", "decisions", "results"])
def test_an_area_includes_the_areas_inside_it(client, site, kind):
    soder = AreaFactory(name="Söder", slug="soder")
    berga = site["berga"]
    berga.parent = soder
    berga.save()
    _response, inside = fetch(client, kind, "atom", "?omrade=" + berga.slug)
    _response, above = fetch(client, kind, "atom", "?omrade=soder")
    assert [entry.id for entry in above.entries] == [entry.id for entry in inside.entries]
    if kind != "decisions":
        assert above.entries


def test_topic_filter(client, site):
    _response, feed = fetch(client, "proposals", "atom", "?amne=trafik")
    assert [entry.title for entry in feed.entries] == ["Cykelbana längs ån"]
    _response, feed = fetch(client, "decisions", "atom", "?amne=skola")
    assert [entry.title for entry in feed.entries] == ["Beslut om förslaget: Fler papperskorgar"]


@pytest.mark.parametrize(
    "query",
    ["?omrade=finns-inte", "?amne=finns-inte", "?omrade=", "?omrade=a&omrade=b", "?amne='; drop"],
)
def test_unknown_filter_is_404(client, site, query):
    response = client.get(reverse("opendata:proposals_rss") + query)
    assert response.status_code == 404


def test_control_characters_are_a_clear_400(client, site):
    assert client.get(reverse("opendata:proposals_rss") + "?amne=%00").status_code == 400


def test_item_count_is_a_setting(client, site, settings):
    settings.OPEN_DATA_FEED_ITEMS = 1
    for number in range(3):
        SigningProposalFactory(title=f"Förslag {number}")
    _response, feed = fetch(client, "proposals", "rss")
    assert len(feed.entries) == 1


@pytest.mark.parametrize("kind", FEEDS)
def test_query_count_does_not_grow_with_items(client, site, kind, django_assert_max_num_queries):
    for number in range(5):
        SigningProposalFactory(title=f"Förslag {number}")
    with django_assert_max_num_queries(6):
        client.get(reverse(f"opendata:{kind}_atom"))


def test_feed_is_swedish_whatever_the_reader_asks(client, site):
    _response, feed = fetch(client, "dialogues", "rss")
    response = client.get(reverse("opendata:dialogues_rss"), HTTP_ACCEPT_LANGUAGE="en")
    assert (
        feedparser.parse(response.content).feed.title == feed.feed.title == "Nya medborgardialoger"
    )


def test_list_pages_announce_their_feeds(client, site):
    text = client.get(reverse("dialogues:list")).content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in text
    assert reverse("opendata:dialogues_rss") in text
    text = client.get(reverse("proposals:list")).content.decode()
    assert reverse("opendata:proposals_atom") in text


def test_dates_are_the_items_own(client, site):
    _response, feed = fetch(client, "proposals", "atom")
    entry = next(e for e in feed.entries if e.title == "Cykelbana längs ån")
    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    assert abs(published - site["signing"].published_at) < datetime.timedelta(seconds=1)
    assert timezone.now() - published < datetime.timedelta(minutes=5)
