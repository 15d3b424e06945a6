"""The HTML reports' style sheet, shared by the classification and regression reports."""

from __future__ import annotations

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .7rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.best { background: #e8f5e9; font-weight: 600; }
.rec { background: #f1f8e9; border-left: 4px solid #558b2f; padding: .6rem 1rem; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: 1rem; }
figure { margin: 0; } figcaption { font-size: .9rem; color: #555; }
figure svg { max-width: 100%; height: auto; } figure.wide { grid-column: 1 / -1; }
.muted { color: #666; font-size: .9rem; }
.confusions { display: flex; flex-wrap: wrap; gap: 1.5rem; }
table.confusion caption { font-weight: 600; text-align: left; padding-bottom: .3rem; }
"""


_WIDE = ' class="wide"'
