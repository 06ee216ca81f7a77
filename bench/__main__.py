"""`python -m bench` runs every benchmark; `python -m bench cases --count N` runs one.

`python -m bench soak` (`make soak`), the load and fault test against the production
layout, runs only when named: it takes over ten minutes."""

import importlib
import sys

BENCHMARKS = ["cases", "language", "evaluation", "insights"]
ON_REQUEST = ["soak"]  # not part of `make bench`


def main(argv: list[str]) -> int:
    if argv and not argv[0].startswith("-"):
        name, rest = argv[0], argv[1:]
        if name not in BENCHMARKS + ON_REQUEST:
            print(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS + ON_REQUEST)}")
            return 2
        return int(importlib.import_module(f"bench.{name}").main(rest))
    status = 0
    for name in BENCHMARKS:
        status = max(status, int(importlib.import_module(f"bench.{name}").main(argv)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
