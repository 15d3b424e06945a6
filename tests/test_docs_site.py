"""The documentation site: every public module has an API page, the site builds with warnings as
errors, and its pages render in a browser with their content and no console error.

The built site is `site/` when `.ci/docs` made it after the last change to its sources;
otherwise the test builds it into a temporary folder (under a minute).
"""

from __future__ import annotations

import contextlib
import html
import importlib.util
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _browser import load, missing, serve

ROOT = Path(__file__).resolve().parents[1]
# Under pytest-xdist (CI: -n auto --dist loadgroup) one worker takes the module: the site is
# built at most once, and never by two processes writing docs/generated/ at the same time.
pytestmark = [pytest.mark.xdist_group("docs_site")] if importlib.util.find_spec("xdist") else []
SOURCES = ("mkdocs.yml", "README.md", "docs", "examples", "src", "tests/integrations")


def _nav() -> str:
    return (ROOT / "mkdocs.yml").read_text().split("\nnav:\n", 1)[1]


def _load(name: str):
    """A module of docs/_tools (the site's build helpers, not part of the package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / "_tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_page_of_the_guide_is_in_the_navigation():
    nav = _nav()
    for page in (ROOT / "docs").glob("*.md"):
        assert f": {page.name}" in nav, f"docs/{page.name} is not in mkdocs.yml's nav"


def test_rst_markup_of_docstrings_becomes_markdown():
    if importlib.util.find_spec("griffe") is None:
        missing('griffe (pip install -e ".[docs]")')
    markup = _load("rst_markup")
    ours = {"SMOTE": "imbalance.samplers.SMOTE", "imbalance.neighbors": "imbalance.neighbors"}

    def link(target, short):
        shown = target.rsplit(".", 1)[-1] if short else target
        return f"[`{shown}`][{ours[target]}]" if target in ours else f"`{shown}`"

    doc = """Uses :class:`SMOTE`, :mod:`imbalance.neighbors` and :func:`~sklearn.base.clone` [1]_.

======  ==========
Name    Loss
======  ==========
a       focal ``(N, C)``
======  ==========

.. math::
    \\ell = -\\log p

Parameters
----------
x : Tensor of shape ``(N,)``
    The ``x``.

See Also
--------
SMOTE, Other : Interpolates.

References
----------
.. [1] A. Author, "A title",
   A journal, 2020.
"""
    assert (
        markup.rewrite(doc, link)
        == """Uses [`SMOTE`][imbalance.samplers.SMOTE], \
[`imbalance.neighbors`][imbalance.neighbors] and `clone` \\[1\\].

| Name | Loss |
|---|---|
| a | focal ``(N, C)`` |

```latex
\\ell = -\\log p
```

Parameters
----------
x : Tensor of shape (N,)
    The ``x``.

See Also
--------
- [`SMOTE`][imbalance.samplers.SMOTE], `Other`: Interpolates.

References
----------
- \\[1\\] A. Author, "A title",
   A journal, 2020."""
    )


def _newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        for file in files:
            if file.suffix in (".py", ".md", ".yml") and "generated" not in file.parts:
                with contextlib.suppress(FileNotFoundError):  # removed while we looked
                    newest = max(newest, file.stat().st_mtime)
    return newest


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = ROOT / "site"
    index = built / "index.html"
    if index.is_file() and index.stat().st_mtime >= _newest_source():
        return built
    for module in ("mkdocs", "mkdocs_gallery", "mkdocstrings_handlers.python", "material"):
        if importlib.util.find_spec(module.split(".")[0]) is None:
            missing(f'{module} (pip install -e ".[docs]")')
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-5000:]
    return out


@pytest.fixture(scope="module")
def base_url(site: Path):
    with serve(site) as url:
        yield url


@pytest.mark.slow
def test_browser_sees_console_errors(tmp_path):
    """The check the pages below rely on: a script error reaches the console lines."""
    page = tmp_path / "broken.html"
    page.write_text("<html><body><p>x</p><script>undefinedFunction();</script></body></html>")
    shown = load(page.as_uri(), tmp_path / "profile", budget_ms=500)
    assert any("undefinedFunction" in line for line in shown.console), shown.console


@pytest.mark.slow
def test_index_page_renders_the_readme_commands(base_url, tmp_path):
    page = load(f"{base_url}/", tmp_path / "profile")
    assert not page.console, page.console
    text = page.text
    readme = (ROOT / "README.md").read_text()
    commands = [line for line in readme.splitlines()[:20] if line.startswith("python -m pip")]
    assert len(commands) == 2
    for command in commands:  # included from the README by the snippets extension
        assert command in text
    assert "--8<--" not in text
    assert '<meta name="theme-color"' in page.dom, "Material's script did not run (it sets one)"
    for section in ("User guide", "API reference", "Examples"):
        assert section in text


@pytest.mark.slow
def test_api_page_renders_smote_with_its_signature_and_parameters(base_url, tmp_path):
    from imbalance.samplers import SMOTE

    page = load(f"{base_url}/reference/samplers/", tmp_path / "profile")
    assert not page.console, page.console
    start = page.dom.index('id="imbalance.samplers.SMOTE"')
    end = page.dom.index('id="imbalance.samplers.SMOTEENN"', start)
    section = page.dom[start:end]
    text = html.unescape(re.sub(r"<[^>]+>", "", section))
    parameters = list(inspect.signature(SMOTE).parameters)
    assert parameters[:2] == ["sampling_strategy", "random_state"]
    signature = section[section.index("<pre", section.index('class="doc-signature')) :]
    signature = re.sub(
        r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", signature.split("</pre>")[0]))
    )
    # quotes as written without a formatter ('auto') or after ruff/black ("auto") alike
    signature = signature.replace("'", '"')
    assert signature.startswith('SMOTE(*,sampling_strategy:SamplingStrategy="auto"'), signature
    for name in parameters:
        assert f"{name}:" in signature or f"{name}=" in signature, name
    table = section[section.index("Parameters:") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>\s*<td[^>]*>\s*<code>(\w+)</code>", table)
    assert rows == parameters, "the parameters table lists the signature's parameters in order"
    assert "k_neighbors" in text and "Examples:" in text
    for role in (":class:`", ":func:`", ":mod:`", ":meth:`"):
        assert role not in page.text, f"an unconverted Sphinx role {role} is shown"


@pytest.mark.slow
def test_every_public_module_has_its_api_page(site):
    if importlib.util.find_spec("mkdocs") is None:
        missing('mkdocs (pip install -e ".[docs]")')
    pages = _load("api_pages")
    modules = pages.public_modules(ROOT / "docs" / "api.md")
    wanted = {"samplers", "weights", "metrics", "pipeline", "ensemble", "calibration", "report"}
    wanted |= {"model_selection", "multilabel", "torch", "dask", "spark", "regression"}
    assert {f"imbalance.{name}" for name in wanted | {"datasets", "neighbors"}} <= set(modules)
    for module in modules:
        page = site / pages.page_path(module).removesuffix(".md") / "index.html"
        assert page.is_file(), f"no API page for {module}"
        assert f'id="{module}"' in page.read_text(), f"{module} is not rendered on its page"
