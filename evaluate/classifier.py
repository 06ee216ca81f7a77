"""The platform's topic classifier on labelled data:

    python -m evaluate classifier --train T.jsonl --test E.jsonl
    python -m evaluate classifier --vntc [--split topic|file|interleaved] [--corpus FILE]
    ... --tune: the SVM's C chosen on a dev split of the training set, then one test run

Trains on TRAIN, scores on TEST (JSON lines with text and label, .gz accepted) and prints
the per-label table, the throughput on one core and last `macro_f1=0.xxx`.
"""

import argparse
import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from danvan.language.classifier import SVM_C, Model, Report, evaluate, train
from evaluate import vntc
from evaluate.cli import Failed

THROUGHPUT_CHARS = 600  # the length of a typical letter
THROUGHPUT_TEXTS = 3000
C_CHOICES = (0.1, 0.3, 1.0)


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog="python -m evaluate classifier", description=__doc__)
    found.add_argument("--train", type=Path, help="JSON lines {text, label} to learn from")
    found.add_argument("--test", type=Path, help="JSON lines {text, label} to score")
    found.add_argument(
        "--vntc",
        action="store_true",
        help="split the VNTC corpus 80/20 instead (DANVAN_VNTC or ../shared/data/vntc)",
    )
    found.add_argument(
        "--split",
        choices=vntc.SPLIT_MODES,
        default="topic",
        help="with --vntc: topic = first 80%% of each topic trains (default); "
        "file = first 80%% of the file; interleaved = every fifth article tests",
    )
    found.add_argument("--corpus", type=Path, help="with --vntc: another corpus file")
    found.add_argument(
        "--tune",
        action="store_true",
        help="choose the SVM's C on a dev split (the last fifth of each label's training "
        f"examples) among {', '.join(map(str, C_CHOICES))}, then train on all of the "
        "training set with it and score the test set once",
    )
    return found


def main(argv: list[str]) -> int:
    options = vars(parser().parse_args(argv))
    train_set, test_set = _examples(options)
    texts, labels = _columns(train_set)
    test_texts, test_labels = _columns(test_set)
    print(f"train={len(texts)} test={len(test_texts)} labels={len(set(labels))}")
    c = _tuned_c(train_set) if options["tune"] else SVM_C
    started = time.perf_counter()
    model = train(texts, labels, c=c)
    print(f"train_seconds={time.perf_counter() - started:.1f}")
    report = evaluate(model, test_texts, test_labels)
    _print_report(report)
    per_second = _throughput(model, test_texts)
    print(
        f"classify_per_s={per_second:.0f} "
        f"(one core, texts cut to {THROUGHPUT_CHARS} characters, batches of 100)"
    )
    print(f"macro_f1={report.macro_f1:.3f}", flush=True)
    return 0


def _tuned_c(train_set: list[vntc.Example]) -> float:
    """The C of the best macro-F1 on the dev split; the test set is not looked at."""
    fit, dev = dev_split(train_set)
    fit_texts, fit_labels = _columns(fit)
    dev_texts, dev_labels = _columns(dev)
    scores = {}
    for c in C_CHOICES:
        scores[c] = evaluate(train(fit_texts, fit_labels, c=c), dev_texts, dev_labels).macro_f1
        print(f"dev C={c:g} macro_f1={scores[c]:.3f} (fit={len(fit)} dev={len(dev)})")
    best = max(C_CHOICES, key=lambda c: (scores[c], c == SVM_C))  # a tie keeps the default
    print(f"tuned_c={best:g}")
    return best


def dev_split(examples: list[vntc.Example]) -> tuple[list[vntc.Example], list[vntc.Example]]:
    """The last fifth of each label's examples (in file order) is the dev split."""
    sizes = Counter(label for _, label in examples)
    seen: Counter[str] = Counter()
    fit: list[vntc.Example] = []
    dev: list[vntc.Example] = []
    for example in examples:
        label = example[1]
        (dev if seen[label] >= sizes[label] - sizes[label] // 5 else fit).append(example)
        seen[label] += 1
    return fit, dev


def _examples(options: dict[str, Any]) -> tuple[list[vntc.Example], ...]:
    if options["vntc"]:
        corpus = options["corpus"] or vntc.default_path()
        if not corpus.exists():
            raise Failed(f"no corpus at {corpus} (set DANVAN_VNTC)")
        print(f"corpus={corpus} split={options['split']}")
        return vntc.split(corpus, mode=options["split"])
    if not options["train"] or not options["test"]:
        raise Failed("give --train and --test, or --vntc")
    return _load(options["train"]), _load(options["test"])


def _print_report(report: Report) -> None:
    print(f"accuracy={report.accuracy:.3f}")
    width = max(len(label) for label in report.per_label)
    print(f"{'label':<{width}}  precision  recall     f1  support")
    for label, score in report.per_label.items():
        print(
            f"{label:<{width}}  {score.precision:9.3f}  {score.recall:6.3f}  "
            f"{score.f1:5.3f}  {score.support:7d}"
        )


def _load(path: Path) -> list[vntc.Example]:
    if not path.exists():
        raise Failed(f"no such file: {path}")
    try:
        examples = list(vntc.read(path))
    except ValueError as error:
        raise Failed(str(error)) from error
    if not examples:
        raise Failed(f"no lines with text and label in {path}")
    return examples


def _columns(examples: Sequence[vntc.Example]) -> tuple[list[str], list[str]]:
    return [text for text, _ in examples], [label for _, label in examples]


def _throughput(model: Model, texts: Sequence[str]) -> float:
    """Letters per second, classified in batches as a task would, on one core."""
    sample = [text[:THROUGHPUT_CHARS] for text in texts[:THROUGHPUT_TEXTS]]
    if not sample:
        return 0.0
    with _one_core():
        started = time.perf_counter()
        for start in range(0, len(sample), 100):
            model.predict(sample[start : start + 100])
        elapsed = time.perf_counter() - started
    return len(sample) / elapsed


@contextmanager
def _one_core() -> Iterator[None]:
    """Pin the process to one CPU while measuring (Linux); elsewhere, measure as is."""
    if not hasattr(os, "sched_getaffinity"):
        yield
        return
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cpus)
