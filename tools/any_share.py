"""Share of annotated parameters whose annotation is ``Any`` (issue 19's measure).

Usage: ``python tools/any_share.py [src/imbalance]``. Counts every annotated parameter of every
function (``self`` and ``cls`` are never annotated, so they do not count) and prints the share
annotated ``Any``, plus the ten files with the most.

An annotation counts as ``Any`` when it is ``Any`` itself, a name that is an alias of ``Any``
(``ArrayLike: TypeAlias = Any`` anywhere in the tree, or an alias of such an alias, used bare
or as ``module.Name``), or a union with such a member (``Any | None`` is still ``Any`` to a
type checker). ``Any`` inside a container (``dict[str, Any]``, ``Callable[..., Any]``) does
not count: the container says something.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ANY = frozenset({"Any", "typing.Any"})


def _parse(annotation: ast.expr) -> ast.expr:
    """A string annotation parsed into an expression (other annotations as they are)."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            return ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return annotation
    return annotation


def _members(annotation: ast.expr) -> list[ast.expr]:
    """The members of a union (``A | B``, ``Optional[A]``, ``Union[A, B]``), else itself."""
    node = _parse(annotation)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_members(node.left), *_members(node.right)]
    if isinstance(node, ast.Subscript):
        head = (
            node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        )
        if head in ("Optional", "Union"):
            inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return [m for e in inner for m in _members(e)]
    return [node]


def _is_any(annotation: ast.expr, aliases: frozenset[str]) -> bool:
    for node in _members(annotation):
        if isinstance(node, ast.Name) and node.id in aliases:
            return True
        if isinstance(node, ast.Attribute) and node.attr in aliases:
            return True
    return False


def _alias_targets(trees: Iterable[ast.Module]) -> list[tuple[str, ast.expr]]:
    """``(name, value)`` of every module-level assignment to a single name (and of every
    ``type Name = ...`` statement, on Pythons that have it)."""
    type_alias = getattr(ast, "TypeAlias", None)
    found = []
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if node.value is not None:
                    found.append((node.target.id, node.value))
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                if isinstance(node.targets[0], ast.Name):
                    found.append((node.targets[0].id, node.value))
            elif type_alias is not None and isinstance(node, type_alias):
                found.append((node.name.id, node.value))
    return found


def any_aliases(trees: Iterable[ast.Module]) -> frozenset[str]:
    """``Any`` and every name assigned ``Any`` (or an alias of it), to a fixed point."""
    targets = _alias_targets(trees)
    aliases = set(ANY)
    while True:
        grown = {name for name, value in targets if _is_any(value, frozenset(aliases))}
        if grown <= aliases:
            return frozenset(aliases)
        aliases |= grown


def count(root: Path) -> tuple[int, int, Counter[str]]:
    """(annotated parameters, of which ``Any``, ``Any`` per file)."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.py"))}
    aliases = any_aliases(trees.values())
    total, anys, per_file = 0, 0, Counter[str]()
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            a = node.args
            params = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
            for param in params:
                if param is None or param.annotation is None:
                    continue
                total += 1
                if _is_any(param.annotation, aliases):
                    anys += 1
                    per_file[str(path.relative_to(root))] += 1
    return total, anys, per_file


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "src/imbalance")
    total, anys, per_file = count(root)
    print(f"{anys} of {total} annotated parameters are Any ({100 * anys / max(total, 1):.1f} %)")
    for name, n in per_file.most_common(10):
        print(f"  {n:4d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
