"""Small text helpers shared by every app (the language app builds the full toolkit)."""

import unicodedata

_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Lower-case, diacritics-free form of Vietnamese text: "Hưng Yên" -> "hung yen"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
