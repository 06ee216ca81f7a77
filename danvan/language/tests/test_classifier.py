"""The topic model on the VNTC sample, keyword rules, and the full VNTC evaluation (slow)."""

import os
from pathlib import Path

import pytest

from danvan.language.classifier import (
    IncompatibleModel,
    KeywordRules,
    Model,
    evaluate,
    train,
)
from danvan.language.text import fold
from evaluate import vntc

SAMPLE = Path(__file__).parent / "fixtures" / "vntc_sample.jsonl"


@pytest.fixture(scope="module")
def sample() -> tuple[list[str], list[str]]:
    examples = list(vntc.read(SAMPLE))
    return [text for text, _ in examples], [label for _, label in examples]


@pytest.fixture(scope="module")
def model(sample) -> Model:
    return train(*sample)


def test_the_sample_has_ten_topics(sample):
    texts, labels = sample
    assert len(texts) == 290
    assert len(set(labels)) == 10


def test_a_model_learns_its_training_letters(model, sample):
    texts, labels = sample
    report = evaluate(model, texts, labels)
    assert report.accuracy > 0.95
    assert set(report.per_label) == set(labels)
    assert sum(score.support for score in report.per_label.values()) == 290


def test_a_prediction_ranks_every_label_with_probabilities(model, sample):
    prediction = model.predict([sample[0][0]])[0]
    assert prediction.label == prediction.ranked[0][0]
    assert prediction.confidence == prediction.ranked[0][1]
    assert sorted(label for label, _ in prediction.ranked) == sorted(set(sample[1]))
    assert sum(p for _, p in prediction.ranked) == pytest.approx(1.0)
    assert [p for _, p in prediction.ranked] == sorted(
        (p for _, p in prediction.ranked), reverse=True
    )


def test_a_model_survives_the_database(model, sample):
    texts = sample[0][:20]
    again = Model.from_bytes(model.to_bytes())
    assert again.predict(texts) == model.predict(texts)


def test_bytes_of_another_format_are_refused():
    import io

    import joblib

    buffer = io.BytesIO()
    joblib.dump({"format": 0, "pipeline": None}, buffer)
    with pytest.raises(IncompatibleModel):
        Model.from_bytes(buffer.getvalue())


def test_a_letter_without_diacritics_gets_the_same_suggestion(model, sample):
    texts = sample[0][::7]
    accented = model.predict(texts)
    plain = model.predict([fold(text) for text in texts])
    assert [p.label for p in plain] == [p.label for p in accented]
    assert [p.confidence for p in plain] == pytest.approx([p.confidence for p in accented])


def test_a_model_from_few_examples_still_gives_probabilities():
    texts = ["đường hư hỏng ổ gà", "đường ngập nước", "tiền bồi thường đất", "thu hồi đất"]
    small = train(texts, ["road", "road", "land", "land"])
    prediction = small.predict(["thu hồi đất làm đường, chưa bồi thường"])[0]
    assert prediction.label == "land"
    assert 0.5 < prediction.confidence < 1.0


def test_training_needs_two_labels_and_matching_lengths():
    with pytest.raises(ValueError, match="two labels"):
        train(["a", "b"], ["x", "x"])
    with pytest.raises(ValueError, match="length"):
        train(["a"], ["x", "y"])


def test_nothing_to_predict():
    small = train(["đất", "đường"], ["land", "road"])
    assert small.predict([]) == []


RULES = KeywordRules(
    {
        "land": ["đất đai", "thu hồi đất", "bồi thường", "giải phóng mặt bằng"],
        "environment": ["ô nhiễm", "rác thải", "tiếng ồn"],
        "roads": ["đường", "ổ gà"],
    }
)


def test_keyword_rules_match_whole_words_without_diacritics():
    prediction = RULES.predict("Giai phong mat bang chua boi thuong cho dan")
    assert prediction is not None
    assert prediction.label == "land"
    assert prediction.ranked == [("land", 1.0)]
    assert prediction.confidence == pytest.approx(2 / 3)  # two hits


def test_keyword_rules_share_confidence_between_labels():
    prediction = RULES.predict("Rác thải đổ ra đường gây ô nhiễm")
    assert prediction is not None
    assert prediction.label == "environment"
    assert prediction.ranked == [("environment", 2 / 3), ("roads", 1 / 3)]
    assert prediction.confidence == pytest.approx(2 / 3 * 2 / 3)


def test_keyword_rules_do_not_match_inside_words():
    assert RULES.predict("Đườngg phố") is None  # "đường" only as a whole word
    assert RULES.predict("không liên quan") is None
    assert KeywordRules({}).predict("đất") is None


@pytest.mark.skipif(os.environ.get("DANVAN_SLOW") != "1", reason="set DANVAN_SLOW=1 (minutes)")
def test_vntc_interleaved_split_reaches_the_acceptance_figure():
    corpus = vntc.default_path()
    if not corpus.exists():
        pytest.skip(f"no corpus at {corpus}")
    train_set, test_set = vntc.split(corpus, mode="interleaved")
    model = train([t for t, _ in train_set], [label for _, label in train_set])
    report = evaluate(model, [t for t, _ in test_set], [label for _, label in test_set])
    assert report.macro_f1 >= 0.90
