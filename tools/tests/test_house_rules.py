"""The house rules check on a small tree written for each test: what breaks them, what not."""

from pathlib import Path

import pytest

from tools import house_rules
from tools.house_rules import Breach, breaches, known, verdict


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in {p.parent for p in root.rglob("*.py")}:
        (folder / "__init__.py").touch()
    return root


BASE = {
    "danvan/app/services.py": "def _move():\n    pass\n\n\ndef case_move():\n    pass\n",
    "danvan/app/sub/helpers.py": "_CACHE = {}\n",
}


@pytest.mark.parametrize(
    ("code", "name", "owner"),
    [
        ("from danvan.app.services import _move\n", "_move", "danvan.app.services"),
        ("from .services import _move\n", "_move", "danvan.app.services"),
        ("from ..app.services import case_move, _move\n", "_move", "danvan.app.services"),
        (
            "import danvan.app.services\ndanvan.app.services._move()\n",
            "_move",
            "danvan.app.services",
        ),
        ("import danvan.app.services as s\ns._move()\n", "_move", "danvan.app.services"),
        ("from danvan.app import services\nservices._move()\n", "_move", "danvan.app.services"),
        ("from . import sub\nsub.helpers._CACHE.clear()\n", "_CACHE", "danvan.app.sub.helpers"),
        ("def f():\n    from danvan.app.services import _move\n", "_move", "danvan.app.services"),
    ],
)
def test_a_private_name_of_another_of_our_modules_is_a_breach(tmp_path, code, name, owner):
    root = tree(tmp_path, {**BASE, "danvan/app/views.py": code})
    [breach] = breaches(root)
    assert (breach.path, breach.what) == ("danvan/app/views.py", f"{name} of {owner}")


@pytest.mark.parametrize(
    "code",
    [
        "from danvan.app.services import case_move\n",
        "from django.utils.translation import gettext as _\n",
        "from docx.table import _Cell\n",  # a library's internals are not ours to police
        "import os\nos._exit\n",
        "class A:\n    def f(self):\n        return self._x, A.__name__\n",
        "from danvan.app import services\nservices.__doc__\n",
        "from danvan.app.services import case_move\ncase_move._private = 1\n",  # not a module
    ],
)
def test_public_names_dunders_and_other_libraries_are_not(tmp_path, code):
    root = tree(tmp_path, {**BASE, "danvan/app/views.py": code})
    assert breaches(root) == []


def test_a_module_over_500_lines_under_danvan_is_a_breach_but_not_at_500(tmp_path):
    files = {
        "danvan/app/long.py": "x = 1\n" * 501,
        "danvan/app/fits.py": "x = 1\n" * 500,
        "danvan/app/migrations/0001_initial.py": "x = 1\n" * 900,  # written by Django
        "bench/long.py": "x = 1\n" * 900,  # a tool, not the platform
    }
    root = tree(tmp_path, files)
    assert [(b.path, b.what) for b in breaches(root)] == [("danvan/app/long.py", "over 500 lines")]


def test_known_breaches_pass_new_ones_and_stale_lines_fail(tmp_path):
    found = [Breach("a.py", 3, "uses the private name _x of b", "_x of b")]
    assert verdict(found, {"a.py: _x of b"})[1] is True
    assert verdict(found, set())[1] is False
    lines, holds = verdict([], {"a.py: _x of b"})
    assert holds is False
    assert "no longer happens" in lines[0]


def test_the_known_list_ignores_comments_and_blank_lines(tmp_path):
    path = tmp_path / "known.txt"
    path.write_text("# why\n\na.py: _x of b  # until the rewrite\n")
    assert known(path) == {"a.py: _x of b"}


def test_main_fails_on_a_sample_tree_and_prints_where(tmp_path, capsys):
    root = tree(tmp_path, {**BASE, "danvan/app/views.py": "from .services import _move\n"})
    assert house_rules.main([str(root)]) == 1
    assert capsys.readouterr().out == (
        "danvan/app/views.py:1: uses the private name _move of danvan.app.services\n"
    )
    (root / "danvan/app/views.py").write_text("from .services import case_move\n")
    assert house_rules.main([str(root)]) == 0
