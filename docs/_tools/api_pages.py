"""An MkDocs hook: one API page per public module, from the list in ``docs/api.md``.

``docs/api.md`` lists every public module and name, and ``tests/test_package.py`` checks it
against each module's ``__all__``. This hook reads its ``## `imbalance.x` `` headings and, for
each, adds a page ``reference/x.md`` holding mkdocstrings' ``::: imbalance.x`` and a line under
"API reference" in the navigation. A module added to ``docs/api.md`` gets its page without
touching ``mkdocs.yml``.

Loaded by ``mkdocs.yml`` (``hooks``); not part of the package.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

SECTION = "API reference"


def public_modules(api_md: Path) -> list[str]:
    """The modules ``docs/api.md`` documents, in its order."""
    return re.findall(r"^## `(imbalance(?:\.\w+)*)`", api_md.read_text(), flags=re.M)


def page_path(module: str) -> str:
    """Where the API page of ``module`` lives in the site: ``reference/<module path>.md``."""
    return f"reference/{module.removeprefix('imbalance.')}.md"


def _modules(config: Any) -> list[str]:
    return public_modules(Path(config["docs_dir"]) / "api.md")


def on_config(config: Any) -> Any:
    pages = [{module: page_path(module)} for module in _modules(config)]
    for entry in config["nav"] or []:
        if isinstance(entry, dict) and SECTION in entry:
            entry[SECTION] = [*entry[SECTION], *pages]
            return config
    raise ValueError(f"mkdocs.yml's nav has no {SECTION!r} section for the API pages")


def on_files(files: Files, config: Any) -> Files:
    for module in _modules(config):
        files.append(File.generated(config, page_path(module), content=f"::: {module}\n"))
    return files
