"""The `imbalance` command: parse, call the library, write, return an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import ImbalanceError, InvalidParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["build_parser", "main"]

DEFAULT_DATASET = "car_vgood"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imbalance",
        description="Learning from imbalanced data: compare strategies, inspect, resample.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    compare = sub.add_parser(
        "compare",
        help="cross-validate strategies (none, weights, samplers, +prior, +threshold) and report",
        description="Compare ways of handling the imbalance with leakage-free cross-validation. "
        f"With no DATA, runs on the bundled {DEFAULT_DATASET!r} data set.",
    )
    compare.add_argument("data", nargs="?", help="CSV or Parquet file (default: bundled data)")
    compare.add_argument("--target", help="name of the target column (required with DATA)")
    compare.add_argument(
        "--dataset", help="a bundled data set instead of DATA (see `imbalance datasets`)"
    )
    compare.add_argument(
        "--strategies",
        help="comma-separated, e.g. none,weights,rus,ros,smote,rus+prior,none+threshold",
    )
    compare.add_argument(
        "--model",
        default="logistic",
        help="logistic (default), hgb (histogram gradient boosting) or rf (random forest); "
        "defaults sized for small data",
    )
    compare.add_argument("--cv", type=int, default=5, help="number of stratified folds (default 5)")
    compare.add_argument(
        "--metric",
        default="balanced_accuracy",
        help="metric to rank by (default balanced_accuracy)",
    )
    compare.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    compare.add_argument(
        "--n-jobs", type=int, default=None, help="folds fitted in parallel (-1: every core)"
    )
    compare.add_argument(
        "--out",
        default="imbalance-report.html",
        help="HTML report path (default imbalance-report.html)",
    )
    compare.add_argument("--json", dest="json_out", help="also write the result as JSON")
    compare.add_argument("--markdown", help="also write the result as Markdown")
    compare.set_defaults(run=_run_compare)

    inspect = sub.add_parser(
        "inspect",
        help="class counts, imbalance ratio and warnings",
        description="Describe the target of a table and warn about what will bite.",
    )
    inspect.add_argument("data", help="CSV or Parquet file")
    inspect.add_argument("--target", required=True, help="name of the target column")
    inspect.add_argument("--cv", type=int, default=5, help="folds you plan to use (default 5)")
    inspect.add_argument("--k-neighbors", type=int, default=5, help="SMOTE's k (default 5)")
    inspect.add_argument("--json", dest="json_out", action="store_true", help="print JSON")
    inspect.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when there is any warning (for scripts and CI)",
    )
    inspect.set_defaults(run=_run_inspect)

    resample = sub.add_parser(
        "resample",
        help="resample a table and write it",
        description="Resample a CSV or Parquet table; column types are kept.",
    )
    resample.add_argument("data", help="CSV or Parquet file")
    resample.add_argument("--target", required=True, help="name of the target column")
    resample.add_argument(
        "--method", required=True, help="rus, ros, smote, ... (see `imbalance compare --help`)"
    )
    resample.add_argument(
        "--sampling-strategy",
        default="auto",
        help="auto, minority, not majority, all, a ratio like 0.5, or JSON like '{\"yes\": 500}'",
    )
    resample.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    resample.add_argument("--out", required=True, help="output CSV or Parquet file")
    resample.set_defaults(run=_run_resample)

    datasets = sub.add_parser("datasets", help="list the bundled data sets")
    datasets.set_defaults(run=_run_datasets)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 1 error, 2 usage)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ImportError as exc:
        missing = getattr(exc, "name", None) or str(exc)
        _fail(
            f"MissingDependencyError: the command needs {missing!r}; "
            'install it with pip install "imbalance[cli]"'
        )
    except (ImbalanceError, ValueError, OSError) as exc:
        name = (
            "InvalidDataError"
            if isinstance(exc, (ValueError, OSError)) and not isinstance(exc, ImbalanceError)
            else type(exc).__name__
        )
        _fail(f"{name}: {exc}")
    except KeyboardInterrupt:
        _fail("Interrupted")
    return 1


def _fail(message: str) -> None:
    print(" ".join(message.split()), file=sys.stderr)


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=False)


def _load(args: argparse.Namespace) -> tuple[Any, Any, str]:
    from ..datasets import load_dataset
    from ._io import read_table, split_target

    if args.data:
        if args.dataset:
            raise InvalidParameterError("give either DATA or --dataset, not both.")
        if not args.target:
            raise InvalidParameterError(
                "--target is required with DATA: name the column to predict."
            )
        X, y = split_target(read_table(args.data), args.target, Path(args.data).name)
        return X, y, Path(args.data).name
    name = args.dataset or DEFAULT_DATASET
    bunch = load_dataset(name, as_frame=True)
    return bunch.data, bunch.target, name


def _run_compare(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from ..report import (
        compare_strategies,
        make_model,
        render_html,
        render_markdown,
        render_terminal,
    )

    console = _console()
    X, y, name = _load(args)
    if not args.data:
        console.print(
            f"No data given: comparing on the bundled data set [bold]{name}[/bold] "
            "(`imbalance datasets` lists them)."
        )
    strategies = (
        [s.strip() for s in args.strategies.split(",") if s.strip()] if args.strategies else None
    )
    model = make_model(X, args.model, random_state=args.seed)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("cross-validating", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        result = compare_strategies(
            X,
            y,
            strategies=strategies,
            estimator=model,
            cv=args.cv,
            scoring=args.metric,
            n_jobs=args.n_jobs,
            random_state=args.seed,
            dataset_name=name,
            progress=progress,
        )
    render_terminal(result, console)
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    Path(args.out).write_text(render_html(result), encoding="utf-8")
    console.print(f"HTML report written to {args.out}")
    if args.json_out:
        result.to_json(args.json_out)
        console.print(f"JSON written to {args.json_out}")
    if args.markdown:
        Path(args.markdown).write_text(render_markdown(result), encoding="utf-8")
        console.print(f"Markdown written to {args.markdown}")
    return 0


def _run_inspect(args: argparse.Namespace) -> int:
    from ._inspect import inspect_table
    from ._io import read_table, split_target

    X, y = split_target(read_table(args.data), args.target, Path(args.data).name)
    report = inspect_table(X, y, cv=args.cv, k_neighbors=args.k_neighbors)
    status = 1 if args.strict and report["warnings"] else 0
    if args.json_out:
        from ..report import dumps_json

        print(dumps_json(report))
    else:
        console = _console()
        counts = ", ".join(f"{label}: {n}" for label, n in report["class_counts"])
        ratio = report["imbalance_ratio"]
        shown = "undefined (fewer than two classes)" if ratio is None else f"{ratio:.1f}"
        console.print(f"{report['n_rows']} rows, {report['n_features']} features")
        console.print(f"classes: {counts}; imbalance ratio {shown}", markup=False)
        for warning in report["warnings"]:
            console.print(f"[yellow]warning:[/yellow] {warning}")
        if not report["warnings"]:
            console.print("no warnings")
    if status:
        _fail(f"{len(report['warnings'])} warning(s) with --strict.")
    return status


def _parse_strategy(text: str, y: pd.Series) -> Any:
    text = text.strip()
    if text.startswith("{"):
        asked = json.loads(text)
        by_name = {str(label): label for label in y.unique()}
        unknown = [k for k in asked if k not in by_name]
        if unknown:
            raise InvalidParameterError(
                f"--sampling-strategy names class(es) {unknown} that the target does not hold; "
                f"its classes are {sorted(by_name)}."
            )
        return {by_name[k]: v for k, v in asked.items()}
    try:
        return float(text)
    except ValueError:
        return text


def _run_resample(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..report import sampler_class
    from ._io import read_table, split_target, write_table

    frame = read_table(args.data)
    X, y = split_target(frame, args.target, Path(args.data).name)
    cls = sampler_class(args.method.lower())
    params: dict[str, Any] = {"sampling_strategy": _parse_strategy(args.sampling_strategy, y)}
    if "random_state" in cls().get_params():
        params["random_state"] = args.seed
    sampler = cls(**params)
    X_res, y_res = sampler.fit_resample(X, y)
    out = pd.concat([X_res, y_res.rename(args.target)], axis=1)[list(frame.columns)]
    write_table(out, args.out)
    counts = ", ".join(f"{label}: {n}" for label, n in sampler.target_counts_.items())
    print(f"{len(frame)} rows -> {len(out)} rows ({counts}) written to {args.out}")
    return 0


def _run_datasets(args: argparse.Namespace) -> int:
    from ..datasets import list_datasets

    for d in list_datasets():
        print(
            f"{d.name:<14}{d.n_samples:>6} rows {d.n_features:>3} features  "
            f"IR {d.imbalance_ratio:>6.1f}  {d.description}"
        )
    return 0
