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

    from ..report import ComparisonResult, RegressionComparisonResult

__all__ = ["build_parser", "main"]

DEFAULT_DATASET = "car_vgood"
DEFAULT_REGRESSION_DATASET = "engel"
TASKS = ("auto", "classification", "regression")


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
        f"With no DATA, runs on the bundled {DEFAULT_DATASET!r} data set "
        f"({DEFAULT_REGRESSION_DATASET!r} with --task regression). A numeric target that holds "
        "a fraction or more than 20 distinct values is continuous: strategies for a skewed "
        "target are compared and ranked by SERA (--task overrides the detection).",
    )
    compare.add_argument("data", nargs="?", help="CSV or Parquet file (default: bundled data)")
    compare.add_argument("--target", help="name of the target column (required with DATA)")
    compare.add_argument(
        "--dataset", help="a bundled data set instead of DATA (see `imbalance datasets`)"
    )
    compare.add_argument(
        "--strategies",
        help="comma-separated, e.g. none,weights,rus,ros,smote,rus+prior,none+threshold; "
        "for a continuous target none,density,lds,ros,rus,smoter,smogn,noise,wercs",
    )
    compare.add_argument(
        "--task",
        choices=TASKS,
        default="auto",
        help="classification or regression; auto (default): regression when the target is "
        "numeric and holds a fraction or more than 20 distinct values",
    )
    compare.add_argument(
        "--model",
        default=None,
        help="logistic (default), hgb (histogram gradient boosting) or rf (random forest); "
        "for a continuous target hgb (default), ridge or rf; defaults sized for small data",
    )
    compare.add_argument("--cv", type=int, default=5, help="number of stratified folds (default 5)")
    compare.add_argument(
        "--metric",
        default=None,
        help="metric to rank by (default balanced_accuracy; a continuous target: sera)",
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
    from ..datasets import list_datasets, load_dataset
    from ..regression import list_regression_datasets, load_regression_dataset
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
    default = DEFAULT_REGRESSION_DATASET if args.task == "regression" else DEFAULT_DATASET
    name = args.dataset or default
    regression = [d.name for d in list_regression_datasets()]
    if name in regression:
        X, y = load_regression_dataset(name, as_frame=True, return_X_y=True)
        return X, y, name
    if name not in [d.name for d in list_datasets()]:
        raise InvalidParameterError(
            f"--dataset {name!r} is not a bundled data set; choose one of "
            f"{sorted(d.name for d in list_datasets())} (class labels) or {sorted(regression)} "
            "(continuous targets); `imbalance datasets` lists them."
        )
    bunch = load_dataset(name, as_frame=True)
    return bunch.data, bunch.target, name


def _run_compare(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from ..report import compare_strategies

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
    if _task(args, y) == "regression":
        return _run_compare_regression(args, console, X, y, name, strategies)
    if args.model in REGRESSION_ONLY_MODELS:
        raise InvalidParameterError(
            f"--model {args.model} is a regressor and the target holds class labels; use "
            "logistic, hgb or rf (or --task regression for a continuous target)."
        )
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("cross-validating", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        result = compare_strategies(
            X,
            y,
            strategies=strategies,
            estimator=args.model or "logistic",  # make_model's, on X encoded once
            cv=args.cv,
            scoring=args.metric or "balanced_accuracy",
            n_jobs=args.n_jobs,
            random_state=args.seed,
            dataset_name=name,
            progress=progress,
        )
    _write_reports(args, console, result)
    return 0


REGRESSION_ONLY_MODELS = ("ridge",)


def _task(args: argparse.Namespace, y: Any) -> str:
    """The task asked for, or the one the target looks like (see detect_task)."""
    from ..report import detect_task

    return str(args.task) if args.task != "auto" else detect_task(y)


def _run_compare_regression(
    args: argparse.Namespace,
    console: Any,
    X: Any,
    y: Any,
    name: str,
    strategies: list[str] | None,
) -> int:
    from rich.progress import Progress

    from ..report import compare_regression_strategies, make_regression_model

    if args.metric not in (None, "sera"):
        raise InvalidParameterError(
            f"--metric {args.metric} is for class labels; a continuous target is ranked by "
            "sera (near-ties by few-shot MAE). Drop --metric, or pass --task classification."
        )
    why = (
        "--task regression"
        if args.task == "regression"
        else "a numeric target with fractions or more than 20 distinct values; "
        "--task classification overrides"
    )
    console.print(
        f"Continuous target ({why}): comparing strategies for a skewed target, ranked by SERA.",
        highlight=False,
    )
    model = make_regression_model(X, args.model or "hgb", random_state=args.seed)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("cross-validating", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        result = compare_regression_strategies(
            X,
            y,
            model=model,
            strategies=strategies,
            cv=args.cv,
            random_state=args.seed,
            n_jobs=args.n_jobs,
            dataset_name=name,
            progress=progress,
        )
    _write_reports(args, console, result)
    return 0


def _write_reports(
    args: argparse.Namespace, console: Any, result: ComparisonResult | RegressionComparisonResult
) -> None:
    from ..report import render_html, render_markdown, render_terminal

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
    from ..regression import list_regression_datasets

    for d in list_datasets():
        print(
            f"{d.name:<14}{d.n_samples:>6} rows {d.n_features:>3} features  "
            f"IR {d.imbalance_ratio:>6.1f}  {d.description}"
        )
    for r in list_regression_datasets():
        print(
            f"{r.name:<14}{r.n_samples:>6} rows {r.n_features:>3} features  "
            f"continuous target ({r.target})  {r.description}"
        )
    return 0
