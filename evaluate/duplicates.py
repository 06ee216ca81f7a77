"""The platform's duplicate scorer on labelled pairs:

    python -m evaluate duplicates --pairs P.jsonl
    python -m evaluate duplicates --vntc N [--seed S] [--corpus FILE] [--write P.jsonl]

Pairs are JSON lines with a, b and label 0|1. Prints the spread of scores, how often the LSH
index offers a pair, the best F1 with its threshold and last `auc=0.xxx`.
"""

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_curve, roc_auc_score

from danvan.language.similarity import band_keys, score, signature
from evaluate import vntc
from evaluate.cli import Failed


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog="python -m evaluate duplicates", description=__doc__)
    found.add_argument("--pairs", type=Path, help="JSON lines {a, b, label}")
    found.add_argument(
        "--vntc", type=int, metavar="N", help="build N pairs from the VNTC corpus instead"
    )
    found.add_argument("--seed", type=int, default=1, help="with --vntc")
    found.add_argument("--corpus", type=Path, help="with --vntc: another corpus file")
    found.add_argument("--write", type=Path, help="with --vntc: also save the pairs here")
    return found


def main(argv: list[str]) -> int:
    options = vars(parser().parse_args(argv))
    pairs = _pairs(options)
    labels = np.array([label for _, _, label in pairs])
    if len(set(labels.tolist())) != 2:
        raise Failed("the pairs need both labels, 0 and 1")
    print(f"pairs={len(pairs)} duplicates={int(labels.sum())}")
    started = time.perf_counter()
    scores = np.array([score(a, b) for a, b, _ in pairs])
    elapsed = time.perf_counter() - started
    print(f"score_ms_per_pair={1000 * elapsed / len(pairs):.2f}")
    _print_spread(scores, labels)
    _print_candidates(pairs, labels)
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1]))  # the last point has no threshold
    print(f"best_f1={f1[best]:.3f} threshold={thresholds[best]:.3f}")
    print(f"auc={roc_auc_score(labels, scores):.3f}", flush=True)
    return 0


def _pairs(options: dict[str, Any]) -> list[vntc.Pair]:
    if options["vntc"]:
        corpus = options["corpus"] or vntc.default_path()
        if not corpus.exists():
            raise Failed(f"no corpus at {corpus} (set DANVAN_VNTC)")
        pairs = vntc.make_pairs(corpus, options["vntc"], options["seed"])
        if options["write"]:
            records = ({"a": a, "b": b, "label": label} for a, b, label in pairs)
            vntc.write_jsonl(options["write"], records)
        return pairs
    if not options["pairs"]:
        raise Failed("give --pairs or --vntc N")
    return _load(options["pairs"])


def _print_spread(scores: np.ndarray, labels: np.ndarray) -> None:
    duplicates, others = scores[labels == 1], scores[labels == 0]
    print(
        f"duplicates: p1={np.percentile(duplicates, 1):.3f} "
        f"median={np.median(duplicates):.3f}; "
        f"others: median={np.median(others):.3f} p99={np.percentile(others, 99):.3f} "
        f"max={others.max():.3f}"
    )


def _print_candidates(pairs: list[vntc.Pair], labels: np.ndarray) -> None:
    """How often the LSH index would offer each pair as a candidate."""
    shared = np.array(
        [bool(set(band_keys(signature(a))) & set(band_keys(signature(b)))) for a, b, _ in pairs]
    )
    print(
        f"lsh_candidate_rate: duplicates={shared[labels == 1].mean():.3f} "
        f"others={shared[labels == 0].mean():.4f}"
    )


def _load(path: Path) -> list[vntc.Pair]:
    if not path.exists():
        raise Failed(f"no such file: {path}")
    pairs = []
    try:
        for record in vntc.read_jsonl(path):
            label = int(record["label"])
            if label not in (0, 1):
                raise ValueError(f"label {label}")
            pairs.append((str(record["a"]), str(record["b"]), label))
    except (KeyError, TypeError, ValueError) as error:
        raise Failed(f"{path}: each line needs a, b and label 0|1 ({error})") from error
    if not pairs:
        raise Failed(f"no pairs in {path}")
    return pairs
