import time
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from sklearn.metrics import precision_recall_curve, roc_auc_score

from danvan.language import vntc
from danvan.language.similarity import band_keys, score, signature


class Command(BaseCommand):
    help = (
        "Score the platform's duplicate scorer on labelled pairs (JSON lines with a, b and "
        "label 0|1). Last line: auc=0.xxx."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pairs", type=Path, help="JSON lines {a, b, label}")
        parser.add_argument(
            "--vntc", type=int, metavar="N", help="build N pairs from the VNTC corpus instead"
        )
        parser.add_argument("--seed", type=int, default=1, help="with --vntc")
        parser.add_argument("--corpus", type=Path, help="with --vntc: another corpus file")
        parser.add_argument("--write", type=Path, help="with --vntc: also save the pairs here")

    def handle(self, *args: Any, **options: Any) -> None:
        pairs = self._pairs(options)
        labels = np.array([label for _, _, label in pairs])
        if len(set(labels.tolist())) != 2:
            raise CommandError("the pairs need both labels, 0 and 1")
        self.stdout.write(f"pairs={len(pairs)} duplicates={int(labels.sum())}")
        started = time.perf_counter()
        scores = np.array([score(a, b) for a, b, _ in pairs])
        elapsed = time.perf_counter() - started
        self.stdout.write(f"score_ms_per_pair={1000 * elapsed / len(pairs):.2f}")
        self._print_spread(scores, labels)
        self._print_candidates(pairs, labels)
        precision, recall, thresholds = precision_recall_curve(labels, scores)
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
        best = int(np.argmax(f1[:-1]))  # the last point has no threshold
        self.stdout.write(f"best_f1={f1[best]:.3f} threshold={thresholds[best]:.3f}")
        self.stdout.write(f"auc={roc_auc_score(labels, scores):.3f}")

    def _pairs(self, options: dict[str, Any]) -> list[vntc.Pair]:
        if options["vntc"]:
            corpus = options["corpus"] or vntc.default_path()
            if not corpus.exists():
                raise CommandError(f"no corpus at {corpus} (set DANVAN_VNTC)")
            pairs = vntc.make_pairs(corpus, options["vntc"], options["seed"])
            if options["write"]:
                records = ({"a": a, "b": b, "label": label} for a, b, label in pairs)
                vntc.write_jsonl(options["write"], records)
            return pairs
        if not options["pairs"]:
            raise CommandError("give --pairs or --vntc N")
        return _load(options["pairs"])

    def _print_spread(self, scores: np.ndarray, labels: np.ndarray) -> None:
        duplicates, others = scores[labels == 1], scores[labels == 0]
        self.stdout.write(
            f"duplicates: p1={np.percentile(duplicates, 1):.3f} "
            f"median={np.median(duplicates):.3f}; "
            f"others: median={np.median(others):.3f} p99={np.percentile(others, 99):.3f} "
            f"max={others.max():.3f}"
        )

    def _print_candidates(self, pairs: list[vntc.Pair], labels: np.ndarray) -> None:
        """How often the LSH index would offer each pair as a candidate."""
        shared = np.array(
            [bool(set(band_keys(signature(a))) & set(band_keys(signature(b)))) for a, b, _ in pairs]
        )
        self.stdout.write(
            f"lsh_candidate_rate: duplicates={shared[labels == 1].mean():.3f} "
            f"others={shared[labels == 0].mean():.4f}"
        )


def _load(path: Path) -> list[vntc.Pair]:
    if not path.exists():
        raise CommandError(f"no such file: {path}")
    pairs = []
    try:
        for record in vntc.read_jsonl(path):
            label = int(record["label"])
            if label not in (0, 1):
                raise ValueError(f"label {label}")
            pairs.append((str(record["a"]), str(record["b"]), label))
    except (KeyError, TypeError, ValueError) as error:
        raise CommandError(f"{path}: each line needs a, b and label 0|1 ({error})") from error
    if not pairs:
        raise CommandError(f"no pairs in {path}")
    return pairs
