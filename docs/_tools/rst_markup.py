"""A griffe extension: the reStructuredText bits of our numpydoc docstrings, as Markdown.

The docstrings are numpydoc, written for Sphinx as much as for ``help()``: they cross-reference
with roles (``:func:`class_weights```, ``:class:`~imbalance.samplers.SMOTE```), cite with
``.. [1]`` and ``[1]_``, write formulas with ``:math:`` and ``.. math::`` and a few tables in
RST's simple-table form. mkdocstrings reads docstrings as Markdown, where all of these show up
verbatim. Before mkdocstrings renders, this extension rewrites the docstring text (the source
files are untouched):

- a role naming one of our public objects becomes a Markdown cross-reference to its API page
  (resolved as Sphinx would: the full path, then the docstring's own scopes outwards, then a
  public name that is unique in the package); any other target (scikit-learn, torch, a private
  helper) becomes inline code; so do the names listed under "See Also";
- citations become ``[1]`` in the text and a list under "References";
- ``:math:`x``` becomes inline code and a ``.. math::`` block a fenced ``latex`` block (no math
  renderer: the site loads nothing from outside);
- simple tables become Markdown tables, and RST literals in the types of "Parameters",
  "Returns" and "Attributes" plain text (mkdocstrings shows types as code already).

Loaded by ``mkdocs.yml`` (mkdocstrings' ``extensions`` option); not part of the package.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from griffe import Alias, Extension, Module, Object

_ROLE = re.compile(r":(?:py:)?(func|class|meth|attr|data|mod|obj|exc|const):`(~?)([^`<]+?)`")
_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_MATH_BLOCK = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*(?P<inline>.*)$")
_CITATION = re.compile(r"\[(\w+)\]_")
_TABLE_BORDER = re.compile(r"^[ \t]*=+( +=+)+[ \t]*$")
_TYPED = {"parameters", "other parameters", "returns", "yields", "receives", "attributes"}

Linker = Callable[[str, bool], str]


def _public_paths(pkg: Module) -> dict[str, str]:
    """Canonical path -> the public path its API page shows it under (shortest wins)."""
    found: dict[str, str] = {}

    def record(canonical: str, public: str) -> None:
        if canonical not in found or len(public) < len(found[canonical]):
            found[canonical] = public

    def visit(module: Module) -> None:
        if any(part.startswith("_") for part in module.path.split(".")):
            return
        record(module.path, module.path)
        for name in module.exports or ():
            member = module.members.get(name) if isinstance(name, str) else None
            if member is None:
                continue
            try:
                target = member.final_target if isinstance(member, Alias) else member
            except Exception:  # an alias to another package: not ours to link
                continue
            record(target.path, f"{module.path}.{name}")
            if target.is_class:
                for attr, sub in target.members.items():
                    if not attr.startswith("_"):
                        record(f"{target.path}.{attr}", f"{module.path}.{name}.{attr}")
                        record(sub.path, f"{module.path}.{name}.{attr}")
        for sub in module.modules.values():
            visit(sub)

    visit(pkg)
    return found


class RstMarkup(Extension):
    """Rewrite every docstring of the package once it is loaded."""

    def on_package(self, *, pkg: Module, **kwargs: object) -> None:
        public = _public_paths(pkg)
        by_name: dict[str, set[str]] = {}
        for path in public.values():
            by_name.setdefault(path.rsplit(".", 1)[-1], set()).add(path)
        unique = {name: next(iter(paths)) for name, paths in by_name.items() if len(paths) == 1}
        self._walk(pkg, public, unique, seen=set())

    def _walk(
        self, obj: Object, public: dict[str, str], unique: dict[str, str], seen: set[str]
    ) -> None:
        if obj.path in seen:
            return
        seen.add(obj.path)
        if obj.docstring is not None:

            def link(target: str, short: bool) -> str:
                return _link(target, short, obj, public, unique)

            obj.docstring.value = rewrite(obj.docstring.value, link)
        for member in obj.members.values():
            if not isinstance(member, Alias):
                self._walk(member, public, unique, seen)


def _link(
    target: str, short: bool, obj: Object, public: dict[str, str], unique: dict[str, str]
) -> str:
    target = target.strip().lstrip(".")
    shown = target.rsplit(".", 1)[-1] if short else target
    scopes: list[str] = []
    current: Object | None = obj
    while current is not None:  # the object, its class, its module, outwards
        scopes.append(current.path)
        current = current.parent
    for candidate in (target, *(f"{scope}.{target}" for scope in scopes)):
        if candidate in public:
            return f"[`{shown}`][{public[candidate]}]"
    if "." not in target and target in unique:
        return f"[`{shown}`][{unique[target]}]"
    if target in public.values():
        return f"[`{shown}`][{target}]"
    return f"`{shown}`"


def rewrite(text: str, link: Linker) -> str:
    """The docstring ``text`` with its RST markup as Markdown; ``link(target, short)`` writes
    a reference to a named object."""
    text = _rewrite_tables(text)
    text = _rewrite_sections(text, link)
    text = _rewrite_math(text)
    text = _CITATION.sub(r"\\[\1\\]", text)
    return _ROLE.sub(lambda m: link(m.group(3), bool(m.group(2))), text)


def _rewrite_sections(text: str, link: Linker) -> str:
    lines = text.splitlines()
    out: list[str] = []
    section = ""
    for i, line in enumerate(lines):
        below = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and re.fullmatch(r"-{3,}", below.strip()):
            section = line.strip().lower()
        elif line[:1].strip() and not re.fullmatch(r"-{3,}", line.strip()):
            if section in _TYPED:
                name, sep, kind = line.partition(" : ")
                line = name + sep + kind.replace("``", "") if sep else line.replace("``", "")
            elif section == "see also":
                names, sep, description = line.partition(" : ")
                refs = ", ".join(link(n.strip(), False) for n in names.split(",") if n.strip())
                line = f"- {refs}{': ' + description if sep else ''}"
            elif section == "references" and line.startswith(".. ["):
                line = re.sub(r"^\.\. \[(\w+)\]", r"- \\[\1\\]", line)
        out.append(line)
    return "\n".join(out)


def _rewrite_tables(text: str) -> str:
    if "==" not in text:
        return text
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        if not _TABLE_BORDER.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        spans = [m.span() for m in re.finditer(r"=+", lines[i])]
        indent = lines[i][: spans[0][0]]
        borders, rows = 0, []
        while i < len(lines) and lines[i].strip() and borders < 3:
            if _TABLE_BORDER.match(lines[i]):
                borders += 1
            else:
                starts = [s for s, _ in spans] + [None]
                rows.append([lines[i][a:b].strip() for a, b in itertools.pairwise(starts)])
            i += 1
        if rows:
            out.append(indent + "| " + " | ".join(rows[0]) + " |")
            out.append(indent + "|" + "---|" * len(spans))
            out += [indent + "| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(out)


def _rewrite_math(text: str) -> str:
    text = _MATH_ROLE.sub(lambda m: f"`{m.group(1)}`", text)
    if ".. math::" not in text:
        return text
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        start = _MATH_BLOCK.match(lines[i])
        if start is None:
            out.append(lines[i])
            i += 1
            continue
        indent = start["indent"]
        body = [start["inline"].strip()] if start["inline"].strip() else []
        i += 1
        while i < len(lines) and (
            not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > len(indent)
        ):
            if lines[i].strip() or body:
                body.append(lines[i].strip())
            i += 1
        while body and not body[-1]:
            body.pop()
        out += [f"{indent}```latex", *(f"{indent}{line}" for line in body), f"{indent}```", ""]
    return "\n".join(out)
