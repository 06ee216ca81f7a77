"""Topic and kind suggestions: keyword rules first, then models trained on confirmations."""

import pytest

from danvan.cases import services as s
from danvan.cases.models import SuggestionModel, SuggestionSettings, Topic
from danvan.cases.triage.suggest import suggest, train_version
from danvan.language import classifier

pytestmark = pytest.mark.django_db

LAND = "Tôi khiếu nại đơn giá bồi thường khi thu hồi đất nông nghiệp của gia đình ở thôn Đông."
WASTE = "Rác không được thu gom ba ngày, bãi rác đầu ngõ bốc mùi hôi, đề nghị xử lý."


def test_keyword_rules_suggest_a_topic_and_a_kind_even_without_accents():
    found = suggest("toi khieu nai don gia boi thuong khi thu hoi dat")
    assert found.topic.code == "boi-thuong"
    assert found.kind == "complaint"
    assert 0 < found.topic_confidence <= 1


def test_a_letter_without_a_topic_gets_the_suggestion_but_is_not_routed_by_it(submit):
    case = submit(topic=None, kind="complaint", content=LAND)
    assert case.suggested_topic.code == "boi-thuong"
    assert case.topic is None
    assert case.suggestion_source.startswith("rules")


def test_confident_suggestions_route_only_when_the_administrator_allows(submit):
    SuggestionSettings.objects.update_or_create(
        pk=1, defaults={"auto_route": True, "threshold": 0.5}
    )
    case = submit(topic=None, content=WASTE + " Rác thải ùn ứ, thu gom rác chậm.")
    assert case.topic.code == "rac-thai"
    SuggestionSettings.objects.filter(pk=1).update(threshold=0.99)
    assert submit(topic=None, content=WASTE).topic is None


def test_the_case_page_prefills_the_classification_with_the_suggestion(submit, client_as):
    from danvan.accounts.roles import Role

    case = submit(topic=None, content=LAND)
    page = client_as(Role.HANDLING_OFFICER).get(f"/staff/cases/{case.pk}/").content.decode()
    boi_thuong = Topic.objects.get(code="boi-thuong")
    assert f'<option value="{boi_thuong.pk}" selected>' in page


def test_a_model_learns_from_confirmed_classifications_and_keeps_its_figures(submit, handler):
    SuggestionSettings.objects.update_or_create(pk=1, defaults={"min_examples": 20})
    topics = {"boi-thuong": LAND, "rac-thai": WASTE}
    for n in range(15):
        for code, text in topics.items():
            case = submit(topic=None, content=f"{text} Lần {n}.")
            s.case_classify(
                case=case, by=handler, kind=case.kind, topic=Topic.objects.get(code=code)
            )
    version = train_version("topic")
    assert version.is_active
    assert (version.examples, version.tested_on) == (24, 6)
    assert version.macro_f1 == pytest.approx(1.0)
    assert set(version.per_label) == {"boi-thuong", "rac-thai"}
    assert suggest("bãi rác bốc mùi").source.startswith(f"model:{version.pk}")
    again = train_version("topic")
    assert again.is_active  # as good as the one in use: it replaces it
    assert SuggestionModel.objects.filter(is_active=True, target="topic").count() == 1


def test_no_model_before_enough_confirmations(submit, handler):
    assert train_version("topic") is None


ROAD = "Đường liên thôn xuống cấp, ổ gà sâu, xe máy ngã nhiều lần, đề nghị sửa chữa mặt đường."


def test_the_model_in_use_is_compared_on_the_same_newest_letters(submit, handler):
    """The model in use knows the road letters the newest confirmations bring; the new one,
    trained on the older 80 % only, does not. Against the figure stored with the old model
    (0.1, from its own older letters) the new one would win; on the same newest letters it
    loses and the old one stays in use."""
    SuggestionSettings.objects.update_or_create(pk=1, defaults={"min_examples": 20})
    plan = [("boi-thuong", LAND), ("rac-thai", WASTE)] * 12
    plan += [("ha-tang", ROAD), ("rac-thai", WASTE)] * 3  # the newest 20 %
    texts, labels = [], []
    for n, (code, text) in enumerate(plan):
        case = submit(topic=None, content=f"{text} Lần {n}.")
        s.case_classify(case=case, by=handler, kind=case.kind, topic=Topic.objects.get(code=code))
        texts.append(f"{case.title}\n{case.content}")
        labels.append(code)
    knows_roads = classifier.train(texts, labels)
    old = SuggestionModel.objects.create(
        target="topic", examples=30, tested_on=6, accuracy=0.1, macro_f1=0.1,
        model=knows_roads.to_bytes(), is_active=True,
    )  # fmt: skip
    new = train_version("topic")
    assert 0.1 < new.macro_f1 < 0.9
    assert not new.is_active
    assert SuggestionModel.objects.get(is_active=True, target="topic") == old
