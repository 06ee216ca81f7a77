"""The platform's duplicate scorer on labelled pairs, tuned on one part, reported on another:

    python -m evaluate duplicates --pairs P.jsonl
    python -m evaluate duplicates --vntc N [--seed S] [--corpus FILE] [--write P.jsonl]

Pairs are JSON lines with a, b, label 0|1, and optionally split (dev|test) and edit (what
made the duplicate). Without a split the pairs are shuffled (seeded) and halved. `--vntc N`
builds N dev and N test pairs from separate halves of the corpus's articles, each duplicate
made by an edit the scorer's normaliser cannot undo (`evaluate.pairs`).

The threshold is the one of the best F1 on the dev pairs; the test pairs are scored once
with it: precision, recall and F1, the recall and median score per edit type, how often the
LSH index offers a pair, and last `auc=0.xxx` (test).
"""

import argparse
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_curve, roc_auc_score

from danvan.language.similarity import band_keys, score, signature
from evaluate import pairs as made
from evaluate import vntc
from evaluate.cli import Failed
from evaluate.pairs import EditPair


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog="python -m evaluate duplicates", description=__doc__)
    found.add_argument("--pairs", type=Path, help="JSON lines {a, b, label[, split, edit]}")
    found.add_argument(
        "--vntc", type=int, metavar="N", help="build N dev and N test pairs from VNTC instead"
    )
    found.add_argument("--seed", type=int, default=1, help="pair sampling and shuffling")
    found.add_argument("--corpus", type=Path, help="with --vntc: another corpus file")
    found.add_argument("--write", type=Path, help="with --vntc: also save the pairs here")
    return found


def main(argv: list[str]) -> int:
    options = vars(parser().parse_args(argv))
    dev, test = _parts(options)
    for name, part in (("dev", dev), ("test", test)):
        if len({label for _, _, label, _ in part}) != 2:
            raise Failed(f"the {name} pairs need both labels, 0 and 1")
    print(f"pairs_dev={len(dev)} pairs_test={len(test)} duplicates_test={_labels(test).sum()}")
    threshold, dev_f1 = _tuned(_scores(dev), _labels(dev))
    print(f"dev_best_f1={dev_f1:.3f} threshold={threshold:.3f}")
    started = time.perf_counter()
    scores, labels = _scores(test), _labels(test)
    print(f"score_ms_per_pair={1000 * (time.perf_counter() - started) / len(test):.2f}")
    _print_spread(scores, labels)
    shared = _candidates(test)
    print(f"lsh_candidate_rate: duplicates={shared[labels == 1].mean():.3f} "
          f"others={shared[labels == 0].mean():.4f}")  # fmt: skip
    _print_test(scores, labels, threshold)
    _print_edits(test, scores, shared, threshold)
    print(f"auc={roc_auc_score(labels, scores):.3f}", flush=True)
    return 0


def _parts(options: dict[str, Any]) -> tuple[list[EditPair], list[EditPair]]:
    if options["vntc"]:
        corpus = options["corpus"] or vntc.default_path()
        if not corpus.exists():
            raise Failed(f"no corpus at {corpus} (set DANVAN_VNTC)")
        n, seed = options["vntc"], options["seed"]
        try:
            dev, test = (made.make_pairs(corpus, n, seed, part) for part in ("dev", "test"))
        except ValueError as error:
            raise Failed(str(error)) from error
        if options["write"]:
            vntc.write_jsonl(options["write"], _records(dev, "dev") + _records(test, "test"))
        return dev, test
    if not options["pairs"]:
        raise Failed("give --pairs or --vntc N")
    return _split(_load(options["pairs"]), options["seed"])


def _records(part: list[EditPair], split: str) -> list[dict[str, Any]]:
    return [{"a": a, "b": b, "label": label, "edit": edit, "split": split}
            for a, b, label, edit in part]  # fmt: skip


def _split(loaded: list[tuple[EditPair, str]], seed: int) -> tuple[list[EditPair], list[EditPair]]:
    """The file's own split when every pair has one; else seeded shuffled halves."""
    if all(split in ("dev", "test") for _, split in loaded):
        return ([p for p, s in loaded if s == "dev"], [p for p, s in loaded if s == "test"])
    shuffled = [pair for pair, _ in loaded]
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - reproducible halves, not a secret
    half = len(shuffled) // 2
    print("split=shuffled halves")
    return shuffled[:half], shuffled[half:]


def _scores(part: Sequence[EditPair]) -> np.ndarray:
    return np.array([score(a, b) for a, b, _, _ in part])


def _labels(part: Sequence[EditPair]) -> np.ndarray:
    return np.array([label for _, _, label, _ in part])


def _tuned(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The threshold of the best F1, and that F1."""
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1]))  # the last point has no threshold
    return float(thresholds[best]), float(f1[best])


def _print_spread(scores: np.ndarray, labels: np.ndarray) -> None:
    duplicates, others = scores[labels == 1], scores[labels == 0]
    print(
        f"duplicates: p1={np.percentile(duplicates, 1):.3f} "
        f"median={np.median(duplicates):.3f}; "
        f"others: median={np.median(others):.3f} p99={np.percentile(others, 99):.3f} "
        f"max={others.max():.3f}"
    )


def _candidates(part: Sequence[EditPair]) -> np.ndarray:
    """Whether the LSH index would offer each pair as a candidate."""
    return np.array(
        [bool(set(band_keys(signature(a))) & set(band_keys(signature(b)))) for a, b, *_ in part]
    )


def _print_test(scores: np.ndarray, labels: np.ndarray, threshold: float) -> None:
    said = scores >= threshold
    hits = int((said & (labels == 1)).sum())
    precision = hits / max(int(said.sum()), 1)
    recall = hits / max(int((labels == 1).sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    print(f"test_precision={precision:.3f} test_recall={recall:.3f} test_f1={f1:.3f} "
          "(threshold from dev)")  # fmt: skip


def _print_edits(
    part: Sequence[EditPair], scores: np.ndarray, shared: np.ndarray, threshold: float
) -> None:
    """Recall at the dev threshold, median score and LSH rate of each edit's duplicates."""
    edits = np.array([edit for *_, edit in part])
    for edit in sorted({e for e, (*_, label, _) in zip(edits, part, strict=True) if label}):
        mine = edits == edit
        print(f"edit={edit or '-'} pairs={int(mine.sum())} "
              f"recall={(scores[mine] >= threshold).mean():.3f} "
              f"median={np.median(scores[mine]):.3f} lsh={shared[mine].mean():.3f}")  # fmt: skip


def _load(path: Path) -> list[tuple[EditPair, str]]:
    if not path.exists():
        raise Failed(f"no such file: {path}")
    loaded = []
    try:
        for record in vntc.read_jsonl(path):
            label = int(record["label"])
            if label not in (0, 1):
                raise ValueError(f"label {label}")
            pair = (str(record["a"]), str(record["b"]), label, str(record.get("edit", "")))
            loaded.append((pair, str(record.get("split", ""))))
    except (KeyError, TypeError, ValueError) as error:
        raise Failed(f"{path}: each line needs a, b and label 0|1 ({error})") from error
    if not loaded:
        raise Failed(f"no pairs in {path}")
    return loaded
