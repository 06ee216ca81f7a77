"""The evaluation commands (`python -m evaluate`) on small files, and the corpus helpers that build their input."""

import contextlib
import gzip
import io
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from evaluate import classifier, duplicates, pairs, vntc
from evaluate.cli import Failed

SAMPLE = Path(__file__).parents[2] / "danvan/language/tests/fixtures/vntc_sample.jsonl"


COMMANDS = {"evaluate_classifier": classifier.main, "evaluate_duplicates": duplicates.main}


def run(command: str, *args: object) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert COMMANDS[command](list(map(str, args))) == 0
    return out.getvalue().splitlines()


def write(path: Path, records: list[dict[str, object]]) -> Path:
    vntc.write_jsonl(path, records)
    return path


@pytest.fixture
def topic_files(tmp_path: Path) -> tuple[Path, Path]:
    train, test = vntc.split(SAMPLE, mode="interleaved")
    return (
        write(tmp_path / "train.jsonl.gz", [{"text": t, "label": label} for t, label in train]),
        write(tmp_path / "test.jsonl", [{"text": t, "label": label} for t, label in test]),
    )


def test_evaluate_classifier_prints_the_table_and_ends_with_macro_f1(topic_files):
    lines = run("evaluate_classifier", "--train", topic_files[0], "--test", topic_files[1])
    assert lines[0] == "train=232 test=58 labels=10"
    assert lines[-1].startswith("macro_f1=0.")
    assert len(lines[-1]) == len("macro_f1=0.000")
    assert any(line.startswith("accuracy=") for line in lines)
    assert any(line.startswith("The thao ") for line in lines)
    assert any(line.startswith("classify_per_s=") for line in lines)


def test_evaluate_classifier_needs_its_files(tmp_path):
    with pytest.raises(Failed, match="--train and --test"):
        run("evaluate_classifier")
    with pytest.raises(Failed, match="no such file"):
        run("evaluate_classifier", "--train", tmp_path / "x", "--test", tmp_path / "y")


def test_evaluate_classifier_can_split_a_corpus(tmp_path):
    corpus = write(
        tmp_path / "corpus.jsonl",
        [{"text": t, "label": label} for t, label in vntc.read(SAMPLE)],
    )
    lines = run("evaluate_classifier", "--vntc", "--corpus", corpus)
    assert lines[1] == "train=230 test=60 labels=10"  # 23 + 6 of each topic's 29
    assert lines[-1].startswith("macro_f1=")


def test_evaluate_duplicates_tunes_on_dev_and_reports_on_test(tmp_path):
    rng = random.Random(5)
    texts = [t for t, _ in vntc.read(SAMPLE)][:80]
    records = []
    for split, chunk in (("dev", texts[:40]), ("test", texts[40:])):
        records += [{"a": t, "b": vntc.drop_words(t, rng), "label": 1, "split": split,
                     "edit": "drop_words"} for t in chunk[:20]]  # fmt: skip
        records += [{"a": a, "b": b, "label": 0, "split": split}
                    for a, b in zip(chunk[20:30], chunk[30:40], strict=True)]  # fmt: skip
    lines = run("evaluate_duplicates", "--pairs", write(tmp_path / "pairs.jsonl", records))
    assert lines[0] == "pairs_dev=30 pairs_test=30 duplicates_test=20"
    assert lines[1].startswith("dev_best_f1=1.000 threshold=")
    assert "test_precision=1.000 test_recall=1.000 test_f1=1.000 (threshold from dev)" in lines
    assert any(line.startswith("edit=drop_words pairs=20 recall=1.000 ") for line in lines)
    assert lines[-1] == "auc=1.000"


def test_a_file_without_a_split_is_halved(tmp_path):
    texts = [t for t, _ in vntc.read(SAMPLE)][:60]
    records = [{"a": t, "b": t[: len(t) * 3 // 4], "label": 1} for t in texts[:30]]
    records += [
        {"a": a, "b": b, "label": 0} for a, b in zip(texts[30:45], texts[45:60], strict=True)
    ]
    lines = run("evaluate_duplicates", "--pairs", write(tmp_path / "pairs.jsonl", records))
    assert lines[0] == "split=shuffled halves"
    assert lines[1].startswith("pairs_dev=22 pairs_test=23 ")


def test_evaluate_duplicates_builds_dev_and_test_pairs_from_a_corpus(tmp_path):
    out = tmp_path / "pairs.jsonl.gz"
    lines = run("evaluate_duplicates", "--vntc", 40, "--corpus", SAMPLE, "--write", out)
    assert lines[0] == "pairs_dev=40 pairs_test=40 duplicates_test=20"
    edits = [line.split()[0] for line in lines if line.startswith("edit=")]
    assert edits == [f"edit={name}" for name in sorted(pairs.EDIT_TYPES)]
    assert lines[-1].startswith("auc=")
    with gzip.open(out, "rt", encoding="utf-8") as saved:
        records = [json.loads(line) for line in saved]
    assert [r["split"] for r in records] == ["dev"] * 40 + ["test"] * 40
    dev_texts = {r["a"] for r in records if r["split"] == "dev"}
    assert not dev_texts & {r["a"] for r in records if r["split"] == "test"}


def test_evaluate_duplicates_refuses_bad_labels(tmp_path):
    path = write(tmp_path / "pairs.jsonl", [{"a": "x", "b": "y", "label": 2}])
    with pytest.raises(Failed, match=r"label 0\|1"):
        run("evaluate_duplicates", "--pairs", path)


def test_made_duplicates_are_never_undone_by_the_normaliser():
    """Every duplicate differs from its original after the scorer's normalisation, and the
    edits left out are exactly the ones it undoes."""
    for part in ("dev", "test"):
        made = pairs.make_pairs(SAMPLE, 60, seed=3, part=part)
        assert made == pairs.make_pairs(SAMPLE, 60, seed=3, part=part)
        duplicates = [(a, b) for a, b, label, _ in made if label]
        assert len(duplicates) == 30
        assert not any(pairs.undone_by_normaliser(a, b) for a, b in duplicates)
    text = "Đề nghị hòa giải vụ tranh chấp đất đai của gia đình ông Thủy ở thôn Đông."
    rng = random.Random(1)
    for edit in pairs.COSMETIC_EDITS.values():
        assert pairs.undone_by_normaliser(text, edit(text, rng))


def test_dev_and_test_pairs_come_from_different_articles():
    dev = {a for a, *_ in pairs.make_pairs(SAMPLE, 60, seed=3, part="dev")}
    test = {a for a, *_ in pairs.make_pairs(SAMPLE, 60, seed=3, part="test")}
    assert dev
    assert test
    assert not dev & test


def test_split_modes_keep_file_order():
    rows = list(vntc.read(SAMPLE))
    train, test = vntc.split(SAMPLE, mode="topic")
    assert len(train) == 230
    assert len(test) == 60
    assert train == [r for r in rows if r in train]  # same order as the file
    first_label = rows[0][1]
    assert [r for r in rows if r[1] == first_label][23:] == [r for r in test if r[1] == first_label]
    train, test = vntc.split(SAMPLE, mode="file")
    assert (train, test) == (rows[:232], rows[232:])
    train, test = vntc.split(SAMPLE, mode="interleaved")
    assert test == rows[4::5]


def test_pairs_are_balanced_and_reproducible():
    pairs = vntc.make_pairs(SAMPLE, 50, seed=3)
    assert pairs == vntc.make_pairs(SAMPLE, 50, seed=3)
    assert sum(label for _, _, label in pairs) == 25
    assert all(a != b for a, b, _ in pairs)


def test_default_corpus_path_follows_the_environment(monkeypatch):
    monkeypatch.setenv("DANVAN_VNTC", "/data/other.jsonl")
    assert vntc.default_path() == Path("/data/other.jsonl")
    monkeypatch.delenv("DANVAN_VNTC")
    assert vntc.default_path().parts[-4:] == ("shared", "data", "vntc", "vntc10_train.jsonl.gz")


def test_the_dev_split_is_the_tail_of_each_label_inside_the_training_set():
    examples = [(f"t{n}", "a") for n in range(10)] + [(f"u{n}", "b") for n in range(5)]
    fit, dev = classifier.dev_split(examples)
    assert dev == [("t8", "a"), ("t9", "a"), ("u4", "b")]
    assert fit == [e for e in examples if e not in dev]


def test_tuning_chooses_c_on_dev_and_scores_the_test_set_once(topic_files):
    lines = run(
        "evaluate_classifier", "--train", topic_files[0], "--test", topic_files[1], "--tune"
    )
    dev_lines = [line for line in lines if line.startswith("dev C=")]
    assert [line.split()[1] for line in dev_lines] == ["C=0.1", "C=0.3", "C=1"]
    sizes = {line.split("(")[1] for line in dev_lines}
    assert len(sizes) == 1
    fit, dev = (int(part.split("=")[1]) for part in sizes.pop().rstrip(")").split())
    assert (fit + dev, dev) == (
        232,
        sum(n // 5 for n in Counter(label for _, label in vntc.read(topic_files[0])).values()),
    )
    assert lines[4].startswith("tuned_c=")
    assert sum(line.startswith("accuracy=") for line in lines) == 1
    assert lines[-1].startswith("macro_f1=")
