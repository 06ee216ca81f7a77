"""Topic and kind suggestions at intake and on the case page, with their confidence.

Cold start: the keyword rules an administrator edits. Once officers have confirmed enough
classifications, a model (danvan.language.classifier) learns from them; each trained
version is kept with its evaluation, and only a version at least as good as the one in use,
both scored on the same newest letters, replaces it. A suggestion routes a letter by itself only when the administrator allowed it
and its confidence reaches the threshold they set.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.tasks import task

from danvan.core.refcache import reference
from danvan.language import classifier

from ..models import Case, KeywordRule, SuggestionModel, SuggestionSettings, Topic
from .reference import topic_by_code

_loaded: dict[int, classifier.Model] = {}  # version id -> model, per process
TEST_SHARE = 0.2


@dataclass(frozen=True)
class Suggestion:
    topic: Topic | None = None
    topic_confidence: float | None = None
    kind: str = ""
    kind_confidence: float | None = None
    source: str = ""


def suggest(text: str) -> Suggestion:
    topic = _predict(SuggestionModel.Target.TOPIC, text)
    kind = _predict(SuggestionModel.Target.KIND, text)
    found = topic_by_code(topic[0]) if topic[0] else None
    return Suggestion(topic=found, topic_confidence=topic[1] if found else None,
                      kind=kind[0], kind_confidence=kind[1] if kind[0] else None,
                      source=f"{topic[2]}/{kind[2]}")  # fmt: skip


def _predict(target: str, text: str) -> tuple[str, float, str]:
    model, version = _active(target)
    if model is not None:
        prediction = model.predict([text])[0]
        return prediction.label, prediction.confidence, f"model:{version}"
    rules = _rules(target).predict(text)
    if rules is None:
        return "", 0.0, "rules"
    return rules.label, rules.confidence, "rules"


@reference(SuggestionModel)
def _active(target: str) -> tuple[classifier.Model | None, int | None]:
    version = (
        SuggestionModel.objects.filter(target=target, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if version is None:
        return None, None
    if version not in _loaded:
        row = SuggestionModel.objects.get(pk=version)
        try:
            _loaded[version] = classifier.Model.from_bytes(bytes(row.model))
        except classifier.IncompatibleModel:
            return None, None  # saved by another scikit-learn: the rules serve until retrained
    return _loaded[version], version


@reference(KeywordRule, Topic)
def _rules(target: str) -> classifier.KeywordRules:
    by_topic = target == SuggestionModel.Target.TOPIC
    rows = KeywordRule.objects.filter(topic__isnull=not by_topic).select_related("topic")
    words: dict[str, list[str]] = {}
    for rule in rows:
        label = rule.topic.code if rule.topic and rule.topic.is_active else rule.kind
        if label:
            words.setdefault(label, []).extend(rule.words())
    return classifier.KeywordRules(words)


def intake_fields(text: str, topic: Topic | None) -> tuple[Topic | None, dict[str, Any]]:
    """The topic to route by, and the suggestion to store with a new letter."""
    found = suggest(text)
    fields = {"suggested_topic": found.topic, "suggestion_confidence": found.topic_confidence,
              "suggested_kind": found.kind, "suggestion_source": found.source}  # fmt: skip
    if topic is not None or found.topic is None:
        return topic, fields
    rules = _settings()
    confident = (found.topic_confidence or 0) >= rules.threshold
    return (found.topic if rules.auto_route and confident else None), fields


@reference(SuggestionSettings)
def _settings() -> SuggestionSettings:
    return SuggestionSettings.current()


def training_data(target: str) -> tuple[list[str], list[str]]:
    """Letters an officer classified, oldest first: their text and the confirmed label."""
    cases = Case.objects.filter(events__action="classify").distinct().order_by("received_at", "pk")
    if target == SuggestionModel.Target.TOPIC:
        cases = cases.filter(topic__isnull=False).select_related("topic")
    texts, labels = [], []
    for case in cases.iterator(chunk_size=2000):
        texts.append(f"{case.title}\n{case.content}")
        labels.append(case.topic.code if target == "topic" and case.topic else case.kind)
    return texts, labels


def train_version(target: str) -> SuggestionModel | None:
    """Train on the older 80 %, test on the newer 20 %; keep it, and use it if it is not
    worse than the model in use on that same newer 20 %."""
    texts, labels = training_data(target)
    if len(texts) < SuggestionSettings.current().min_examples or len(set(labels)) < 2:
        return None
    cut = int(len(texts) * (1 - TEST_SHARE))
    model = classifier.train(texts[:cut], labels[:cut])
    report = classifier.evaluate(model, texts[cut:], labels[cut:])
    with transaction.atomic():
        current = (
            SuggestionModel.objects.select_for_update()
            .filter(target=target, is_active=True)
            .first()
        )
        rival = None if current is None else _in_use_f1(current, texts[cut:], labels[cut:])
        better = rival is None or report.macro_f1 >= rival - 0.005
        if better and current is not None:
            SuggestionModel.objects.filter(pk=current.pk).update(is_active=False)
        return SuggestionModel.objects.create(
            target=target, examples=cut, tested_on=len(texts) - cut, accuracy=report.accuracy,
            macro_f1=report.macro_f1, model=model.to_bytes(), is_active=better,
            per_label={label: round(score.f1, 4) for label, score in report.per_label.items()},
        )  # fmt: skip


def _in_use_f1(current: SuggestionModel, texts: list[str], labels: list[str]) -> float:
    """The model in use, scored on the same newest slice as its challenger: the figure it
    was stored with came from an older slice, and newer letters may be harder or easier."""
    try:
        model = classifier.Model.from_bytes(bytes(current.model))
    except classifier.IncompatibleModel:
        return 0.0  # it cannot serve any more: a model trained here replaces it
    return classifier.evaluate(model, texts, labels).macro_f1


@task
def retrain() -> str:
    """Retrain both models from the officers' latest confirmations (scheduled or by hand)."""
    done = [train_version(target) for target in SuggestionModel.Target.values]
    return " ".join(f"{v.target}={v.macro_f1:.3f}" for v in done if v) or "not enough data"
