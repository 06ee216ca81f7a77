"""What the evaluation commands share: how they stop on bad input."""


class Failed(Exception):
    """The input cannot be evaluated; the message says why (printed, exit code 2)."""
