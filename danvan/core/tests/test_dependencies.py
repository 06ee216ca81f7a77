"""Every third-party package the code imports is declared in pyproject.toml, and no module
the platform runs reaches the test or evaluation tooling.

An import that works only because another package happens to pull its distribution in
(numpy through scikit-learn, python-docx through docxtpl) breaks the day that package drops
it; the lock file would not say so. The runtime (danvan without its tests, config, deploy)
may use only `[project] dependencies`; tests, benchmarks and tools also the dev group.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FIRST_PARTY = {
    "danvan",
    "config",
    "deploy",
    "bench",
    "evaluate",
    "testsupport",
    "tools",
    "conftest",
}
TOOLING = {"bench", "evaluate", "testsupport", "tools"}  # never imported by the runtime
RUNTIME_ROOTS = ("danvan", "config", "deploy")
TOOLING_ROOTS = ("bench", "evaluate", "testsupport", "tools")


def distribution_name(requirement: str) -> str:
    """'django-storages[s3]~=1.14.6' -> 'django-storages' (PEP 503 normalised)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def declared() -> tuple[set[str], set[str]]:
    """(runtime dependencies, dev group) as normalised distribution names."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {distribution_name(r) for r in data["project"]["dependencies"]}
    dev = {distribution_name(r) for r in data["dependency-groups"]["dev"]}
    return runtime, dev


def imported_top_names(source: str) -> set[str]:
    """Top-level package names of every absolute import, in functions too; not those under
    `if TYPE_CHECKING:` (read by mypy only, from its stubs)."""
    tree = ast.parse(source)
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If)
        and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for statement in node.body
        for inner in ast.walk(statement)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def is_test_file(path: Path) -> bool:
    return "tests" in path.parts or path.name == "conftest.py"


def python_files(*roots: str) -> list[Path]:
    found = [p for root in roots for p in (REPO / root).rglob("*.py")]
    return [p for p in found if "migrations" not in p.parts]


def third_party(names: set[str]) -> set[str]:
    return {n for n in names if n not in sys.stdlib_module_names and n not in FIRST_PARTY}


def undeclared(files: list[Path], allowed: set[str]) -> dict[str, list[str]]:
    """Import name -> the files importing it whose distribution is not in `allowed`."""
    providers = packages_distributions()
    missing: dict[str, list[str]] = {}
    for path in files:
        for name in third_party(imported_top_names(path.read_text(encoding="utf-8"))):
            dists = {distribution_name(d) for d in providers.get(name, [name])}
            if not dists & allowed:
                missing.setdefault(name, []).append(str(path.relative_to(REPO)))
    return missing


def test_imported_names_are_read_from_every_kind_of_import():
    source = "import a.b, c\nfrom d.e import f\nfrom . import g\ndef h():\n    import i\n"
    assert imported_top_names(source) == {"a", "c", "d", "i"}
    typing_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import stubs\n"
    assert imported_top_names(typing_only) == {"typing"}


def test_requirements_are_named_without_extras_or_versions():
    assert distribution_name("django-storages[s3]~=1.14.6") == "django-storages"
    assert distribution_name("psycopg[binary]~=3.3") == "psycopg"
    assert distribution_name("Django_OTP~=1.7") == "django-otp"


def test_an_undeclared_import_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    module = tmp_path / "mod.py"
    module.write_text("import numpy\nimport json\nimport danvan\n", encoding="utf-8")
    assert undeclared([module], allowed={"django"}) == {"numpy": ["mod.py"]}
    assert undeclared([module], allowed={"numpy"}) == {}


def test_the_runtime_imports_only_its_declared_dependencies():
    runtime, _dev = declared()
    files = [p for p in python_files(*RUNTIME_ROOTS) if not is_test_file(p)]
    files.append(REPO / "manage.py")
    assert undeclared(files, runtime) == {}


def test_tests_benchmarks_and_tools_import_only_declared_packages():
    runtime, dev = declared()
    files = [p for p in python_files(*RUNTIME_ROOTS) if is_test_file(p)]
    files += [*python_files(*TOOLING_ROOTS), REPO / "conftest.py"]
    assert undeclared(files, runtime | dev) == {}


def test_no_runtime_module_imports_the_test_or_evaluation_tooling():
    reaching = {
        str(path.relative_to(REPO)): sorted(imported_top_names(path.read_text()) & TOOLING)
        for path in python_files(*RUNTIME_ROOTS)
        if not is_test_file(path)
    }
    assert {path: names for path, names in reaching.items() if names} == {}
