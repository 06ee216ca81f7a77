"""Two house rules that ruff, mypy and import-linter cannot hold, checked by `make lint`.

- No import of another module's private names: neither `from x import _y` nor `x._y` where
  `x` is one of our modules. A name with a leading underscore belongs to its module; what
  another module needs is made public, or the code that needs it moves.
- No module over MAX_LINES lines under danvan/ (migrations, which Django writes, aside).

    python -m tools.house_rules [ROOT]

prints each breach as `path:line: message` and exits 1 when there is one. Only our own
packages (FIRST_PARTY) are checked for private names: a third-party library's internals
are its business and the type checker's.

KNOWN (tools/house_rules_known.txt) lists breaches that work under way removes, one
`path: what` a line: they are reported but do not fail. A line that no longer matches a
breach fails, so the list only shrinks and cannot hide a new one.
"""

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_LINES = 500
KNOWN = Path(__file__).with_name("house_rules_known.txt")
FIRST_PARTY = ("danvan", "bench", "config", "deploy", "evaluate", "testsupport", "tools")
SIZED = "danvan"


@dataclass(frozen=True, order=True)
class Breach:
    path: str
    line: int
    message: str
    what: str  # the breach without its place in the file, as KNOWN lists it

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    @property
    def key(self) -> str:
        return f"{self.path}: {self.what}"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class Modules:
    """Which dotted names are modules of ours, read from the files under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def exists(self, dotted: str) -> bool:
        if dotted.split(".")[0] not in FIRST_PARTY:
            return False
        base = self.root.joinpath(*dotted.split("."))
        return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def absolute(module: str | None, level: int, here: str, is_package: bool) -> str:
    """The absolute name of `from <level dots><module> import ...` written in module `here`."""
    if not level:
        return module or ""
    parts = here.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def private_imports(
    tree: ast.AST, here: str, is_package: bool, modules: Modules
) -> Iterator[tuple[int, str, str]]:
    """(line, private name, the module it belongs to) for each use in the module `here`."""
    bound: dict[str, str] = {}  # local name -> our module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound.update(_imported_modules(node, modules))
        elif isinstance(node, ast.ImportFrom):
            yield from _from_import(node, absolute(node.module, node.level, here, is_package),
                                    modules, bound)  # fmt: skip
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            target = _dotted(node.value, bound)
            if target and modules.exists(target):
                yield node.lineno, node.attr, target


def _from_import(
    node: ast.ImportFrom, source: str, modules: Modules, bound: dict[str, str]
) -> Iterator[tuple[int, str, str]]:
    """Private names taken from our module `source`; the modules it binds go to `bound`."""
    if source.split(".")[0] not in FIRST_PARTY:
        return
    for alias in node.names:
        if is_private(alias.name):
            yield node.lineno, alias.name, source
        elif modules.exists(f"{source}.{alias.name}"):
            bound[alias.asname or alias.name] = f"{source}.{alias.name}"


def _imported_modules(node: ast.Import, modules: Modules) -> dict[str, str]:
    """`import a.b` binds a (to a); `import a.b as m` binds m (to a.b)."""
    bound = {}
    for alias in node.names:
        if modules.exists(alias.name):
            local = alias.asname or alias.name.split(".")[0]
            bound[local] = alias.name if alias.asname else local
    return bound


def _dotted(node: ast.expr, bound: dict[str, str]) -> str:
    """`a.b` written in the code, as the module name it means; "" when it is no module."""
    if isinstance(node, ast.Name):
        return bound.get(node.id, "")
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value, bound)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def breaches(root: Path) -> list[Breach]:
    found: list[Breach] = []
    modules = Modules(root)
    for top in FIRST_PARTY:
        for path in sorted((root / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(root).as_posix()
            source = path.read_text(encoding="utf-8")
            lines = source.count("\n") + (not source.endswith("\n") and bool(source))
            if top == SIZED and lines > MAX_LINES:
                message = f"{lines} lines, over {MAX_LINES}: split the module by job"
                found.append(Breach(relative, 1, message, f"over {MAX_LINES} lines"))
            here = module_name(root, path)
            tree = ast.parse(source, filename=relative)
            is_package = path.name == "__init__.py"
            for line, name, owner in private_imports(tree, here, is_package, modules):
                message = f"uses the private name {name} of {owner}"
                found.append(Breach(relative, line, message, f"{name} of {owner}"))
    return sorted(set(found))


def known(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return {line for line in lines if line}


def verdict(found: list[Breach], allowed: set[str]) -> tuple[list[str], bool]:
    """The lines to print, and whether the rules hold."""
    out = [f"{breach}{'  (known)' if breach.key in allowed else ''}" for breach in found]
    stale = sorted(allowed - {breach.key for breach in found})
    out += [f"{KNOWN.name}: `{key}` no longer happens: remove the line" for key in stale]
    new = [breach for breach in found if breach.key not in allowed]
    return out, not new and not stale


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path.cwd()
    lines, holds = verdict(breaches(root), known(root / "tools" / KNOWN.name))
    for line in lines:
        print(line)  # noqa: T201
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
