"""The insights tests count the letters the cases tests file: the same fixtures, not a copy."""

from danvan.cases.tests.conftest import handler, head, pho_hien, submit

__all__ = ["handler", "head", "pho_hien", "submit"]
