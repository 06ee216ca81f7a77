"""`python -m evaluate classifier ...` or `python -m evaluate duplicates ...`."""

import importlib
import sys

from evaluate.cli import Failed

COMMANDS = ["classifier", "duplicates"]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python -m evaluate {{{','.join(COMMANDS)}}} [options]", file=sys.stderr)
        return 2
    try:
        return int(importlib.import_module(f"evaluate.{argv[0]}").main(argv[1:]))
    except Failed as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
