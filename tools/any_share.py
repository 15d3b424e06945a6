"""Share of annotated parameters whose annotation is exactly ``Any`` (issue 19's measure).

Usage: ``python tools/any_share.py [src/imbalance]``. Counts every annotated parameter of every
function (``self`` and ``cls`` are never annotated, so they do not count) and prints the share
annotated ``Any``, plus the ten files with the most.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path


def _is_any(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.strip() in ("Any", "typing.Any")
    if isinstance(annotation, ast.Name):
        return annotation.id == "Any"
    return isinstance(annotation, ast.Attribute) and annotation.attr == "Any"


def count(root: Path) -> tuple[int, int, Counter[str]]:
    """(annotated parameters, of which ``Any``, ``Any`` per file)."""
    total, anys, per_file = 0, 0, Counter[str]()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            a = node.args
            params = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
            for param in params:
                if param is None or param.annotation is None:
                    continue
                total += 1
                if _is_any(param.annotation):
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
