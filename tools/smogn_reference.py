"""Record the smogn package's relevance phi on fixed data, as the reference for our phi.

smogn 0.1.2 does not run on numpy 2, so this runs in its own environment:

    python -m venv /tmp/smogn-venv
    /tmp/smogn-venv/bin/pip install "numpy<2" "pandas<2.2" smogn
    /tmp/smogn-venv/bin/python tools/smogn_reference.py tests/regression/smogn_phi_reference.json

The output holds, for each case, the target values, the arguments, smogn's control points and
its phi, and the package versions used. tests/regression/test_relevance.py compares ours with
it (smogn takes numpy's "midpoint" quartiles: ours with quartiles="midpoint").
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from smogn.phi import phi
from smogn.phi_ctrl_pts import phi_ctrl_pts

DATA = Path(__file__).resolve().parents[1] / "src" / "imbalance" / "regression" / "data"


def bundled_target(name: str) -> np.ndarray:
    with gzip.open(DATA / f"{name}.csv.gz", "rt", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    return np.asarray([r[-1] for r in rows], dtype=np.float64)


def cases() -> list[tuple[str, np.ndarray, dict]]:
    rng = np.random.default_rng(20240614)
    logn = rng.lognormal(size=300)
    normal = rng.normal(size=500)
    heavy = rng.standard_t(2, size=400)
    manual = [[0.5, 0.0, 0.0], [2.0, 0.3, 0.0], [4.0, 1.0, 0.0]]
    return [
        ("lognormal_both", logn, {"xtrm_type": "both", "coef": 1.5}),
        ("lognormal_high", logn, {"xtrm_type": "high", "coef": 1.5}),
        ("lognormal_low", -logn, {"xtrm_type": "low", "coef": 1.5}),
        ("normal_both", normal, {"xtrm_type": "both", "coef": 1.5}),
        ("student_t_both_coef3", heavy, {"xtrm_type": "both", "coef": 3.0}),
        ("student_t_high_coef0.5", heavy, {"xtrm_type": "high", "coef": 0.5}),
        ("grunfeld_invest", bundled_target("grunfeld"), {"xtrm_type": "both", "coef": 1.5}),
        ("engel_foodexp", bundled_target("engel"), {"xtrm_type": "both", "coef": 1.5}),
        ("lognormal_manual", np.clip(logn, 0.5, 4.0), {"method": "manual", "ctrl_pts": manual}),
    ]


def main(out: str) -> None:
    records = []
    for name, y, kw in cases():
        y_sorted = pd.Series(np.sort(y))
        method = kw.get("method", "auto")
        params = phi_ctrl_pts(
            y=y_sorted,
            method=method,
            xtrm_type=kw.get("xtrm_type", "both"),
            coef=kw.get("coef", 1.5),
            ctrl_pts=kw.get("ctrl_pts"),
        )
        values = phi(y=y_sorted, ctrl_pts=params)
        points = np.asarray(params["ctrl_pts"], dtype=float).reshape(-1, 3).tolist()
        records.append(
            {
                "name": name,
                "y": y_sorted.tolist(),
                "method": method,
                "extreme": kw.get("xtrm_type", "both"),
                "coef": kw.get("coef", 1.5),
                "control_points_given": kw.get("ctrl_pts"),
                "control_points": points,
                "phi": [float(v) for v in values],
            }
        )
    meta = {
        "source": "tools/smogn_reference.py (run in a separate numpy<2 environment)",
        "versions": {p: version(p) for p in ("smogn", "numpy", "pandas")},
        "python": sys.version.split()[0],
        "quartiles": "midpoint",
    }
    Path(out).write_text(json.dumps({"meta": meta, "cases": records}, indent=1) + "\n")
    print(out, len(records), "cases", meta["versions"])


if __name__ == "__main__":
    main(sys.argv[1])
