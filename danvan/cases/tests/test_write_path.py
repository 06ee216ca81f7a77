"""One way to write: a case's row and its events are written only by the cases services,
an event only by `writes.case_event` (read from the source, no database)."""

import ast
import importlib
import re
from pathlib import Path

import danvan

ROOT = Path(danvan.__file__).parent
WRITES = {"update", "create", "bulk_create", "bulk_update", "update_or_create",
          "get_or_create", "delete", "save"}  # fmt: skip
# (model, module) -> the writes it may make. Retention erases a destroyed letter's notes.
ALLOWED = {
    ("CaseEvent", "cases/writes.py"): {"create"},
    ("CaseEvent", "cases/retention.py"): {"update"},
    ("Case", "cases/writes.py"): {"update"},
    ("Case", "cases/services.py"): {"update"},
    ("Case", "cases/retention.py"): {"update"},
    ("Case", "cases/sealing.py"): {"update"},
    ("Case", "cases/submission.py"): {"construct"},  # a new letter, saved once
}


def runtime_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" not in parts and "migrations" not in parts:
            yield "/".join(parts), ast.parse(path.read_text(encoding="utf-8"))


def model_writes(tree):
    """(model, method) of each `Model.objects....method(...)` and `Model(...)` built."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("Case", "CaseEvent"):
            yield func.id, "construct"
        if isinstance(func, ast.Attribute) and func.attr in WRITES:
            root = func.value
            while isinstance(root, ast.Call | ast.Attribute):
                root = root.func if isinstance(root, ast.Call) else root.value
            model = root.id if isinstance(root, ast.Name) else ""
            if model in ("Case", "CaseEvent") and ast.unparse(func.value).startswith(
                f"{model}.objects"
            ):
                yield model, func.attr


def test_only_the_cases_services_write_a_case_or_an_event():
    found = {
        (model, module, method)
        for module, tree in runtime_modules()
        for model, method in model_writes(tree)
    }
    stray = sorted(
        (model, module, method)
        for model, module, method in found
        if method not in ALLOWED.get((model, module), set())
    )
    assert stray == []


def test_the_scan_sees_a_write_where_it_is_not_allowed():
    tree = ast.parse(
        "CaseEvent.objects.create(case=c, action='x')\n"
        "Case.objects.filter(pk=1).select_for_update().update(status='closed')\n"
        "Case(title='t')\n"
        "case.save()\n"  # an instance's save: only the registration's, seen as its Case(...)
    )
    assert sorted(model_writes(tree)) == [
        ("Case", "construct"),
        ("Case", "update"),
        ("CaseEvent", "create"),
    ]


def test_the_architecture_walk_names_functions_that_exist():
    doc = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    walk = doc.split("## How a letter is written", 1)[1].split("\n## ", 1)[0]
    names = {
        " ".join(quoted.split()).split("(")[0]
        for quoted in re.findall(r"`([^`]+)`", walk)
        if "." in quoted and "/" not in quoted
    }
    assert len(names) > 25
    assert sorted(name for name in names if not resolves(name)) == []


def resolves(dotted):
    """`cases.draft.LetterDraft`, `api.intake.api_draft`, `letter_form.paper_draft`..."""
    for prefix in ("danvan.", "danvan.cases."):
        module, _, attribute = (prefix + dotted).rpartition(".")
        try:
            found = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        if hasattr(found, attribute):
            return True
    return False
