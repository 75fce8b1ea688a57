"""The ``smmkit`` command line (data-contract.md section 3).

Thin by design: each sub-command parses its options, calls one library
function and maps the kit's errors to exit codes. Input errors are printed
as ``PATH:LINE:COLUMN: message`` to stderr, never as a traceback.

Exit codes: 0 = all good, 1 = some input unusable (or some client failed),
2 = usage error; ``alerts``: 3 = at least one spike to look at.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from smmkit.config import CLIENTS_DIR, REPORTS_DIR
from smmkit.errors import InputError, SmmkitError, UsageError

__all__ = ["main"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 already; keep its message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _add_period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start", metavar="YYYY-MM-DD", help="first day of the period (client's timezone)")
    p.add_argument("--end", metavar="YYYY-MM-DD", help="last day of the period, inclusive")
    p.add_argument(
        "--window", metavar="7d|28d|90d", help="a standard window ending on --end (instead of --start)"
    )
    p.add_argument("--month", metavar="YYYY-MM", help="a calendar month (instead of --start/--end)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="smmkit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"smmkit {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("validate", help="check a client's exports and list what was recognised")
    p.add_argument("client_dir", metavar="CLIENT_DIR", type=Path)

    p = sub.add_parser("kpis", help="print a period's KPIs for one client")
    p.add_argument("client_dir", metavar="CLIENT_DIR", type=Path)
    _add_period(p)
    p.add_argument("--format", choices=("json", "csv", "table"), default="table", dest="fmt")

    p = sub.add_parser("alerts", help="the daily checklist: spikes of a day (exit 3 when there is one)")
    p.add_argument("client_dirs", metavar="CLIENT_DIR", nargs="*", type=Path)
    p.add_argument("--clients-dir", type=Path, default=None, help=f"default: {CLIENTS_DIR}")
    p.add_argument(
        "--day", metavar="YYYY-MM-DD", help="the day to check (default: each client's last day with data)"
    )
    p.add_argument("--format", choices=("table", "json"), default="table", dest="fmt")

    p = sub.add_parser("run", help="render the HTML reports of many clients")
    p.add_argument("client_dirs", metavar="CLIENT_DIR", nargs="*", type=Path)
    p.add_argument("--clients-dir", type=Path, default=None, help=f"default: {CLIENTS_DIR}")
    _add_period(p)
    p.add_argument("--out", type=Path, default=None, help=f"output folder (default: {REPORTS_DIR})")
    p.add_argument("--jobs", type=int, default=None, help="parallel clients (default: CPU count)")
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: the cluster's scheduler, tcp://HOST:PORT (default: a local cluster of --jobs workers)",
    )
    p.add_argument("--notebooks", type=Path, default=None, help="folder of report notebooks")
    p.add_argument(
        "--timeout",
        type=int,
        default=600,
        help="timeout in seconds for each notebook cell (papermill's execution timeout)",
    )
    p.add_argument("--force", action="store_true", help="re-run clients whose inputs are unchanged")
    p.add_argument("--only-failed", action="store_true", help="re-run only the clients that failed last time")
    return parser


def _version() -> str:
    from smmkit._version import __version__

    return __version__


def _print_input_error(exc: InputError) -> None:
    print(exc.location_message(), file=sys.stderr)
    print("1 error", file=sys.stderr)


def _client_dir(path: Path) -> Path:
    """A CLIENT_DIR argument that is not a folder is a usage error (exit 2)."""
    if not path.is_dir():
        raise UsageError(f"CLIENT_DIR {str(path)!r} is not a folder (expected <clients-dir>/<slug>)")
    return path


def _cmd_validate(args: argparse.Namespace) -> int:
    from smmkit.io.validate import validate_client

    report = validate_client(_client_dir(args.client_dir))
    if report.client is not None:
        _add_coverage(report)
    sys.stdout.write(report.render_text())
    for line in report.error_lines():
        print(line, file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return report.exit_code


def _add_coverage(report) -> None:
    """Each network's coverage on ``validate``'s report, and a warning for each stale source."""
    from smmkit.io.client import Issue
    from smmkit.kpi.context import context
    from smmkit.kpi.coverage import coverage_lines, stale_sources

    spans = context(report.client).coverage
    report.coverage = coverage_lines(spans)
    report.issues += [Issue("warning", text) for text in stale_sources(spans)]


def _cmd_kpis(args: argparse.Namespace) -> int:
    from smmkit.io.loading import load_client
    from smmkit.kpi.engine import kpis
    from smmkit.kpi.periods import period_from_args
    from smmkit.report.text import render

    period = period_from_args(start=args.start, end=args.end, window=args.window, month=args.month)
    client = load_client(_client_dir(args.client_dir), strict=False)
    if client.errors:  # every unusable export, one line each: no KPIs from partial data
        for issue in client.errors:
            print(issue, file=sys.stderr)
        n = len(client.errors)
        print(f"{n} error{'s' if n != 1 else ''}: no KPIs printed (see `smmkit validate`)", file=sys.stderr)
        return EXIT_INPUT
    report = kpis(client, period)  # the period itself: a --window never turns into a calendar month
    sys.stdout.write(render(report, args.fmt, lang=client.config.language))
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from smmkit.batch.runner import run_reports
    from smmkit.kpi.periods import period_from_args

    period = period_from_args(start=args.start, end=args.end, window=args.window, month=args.month)
    result = run_reports(  # option checks: smmkit.batch.runner.check_options
        args.client_dirs,
        clients_dir=args.clients_dir,
        period=period,
        out=args.out,
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        notebooks_dir=args.notebooks,
        timeout=args.timeout,
        force=args.force,
        only_failed=args.only_failed,
    )
    return result.exit_code


def _client_error(exc: Exception, client_dir: Path) -> str:
    """One line for an error of one client: ``PATH:LINE:COLUMN: message`` for its files."""
    if isinstance(exc, InputError):
        return exc.location_message()
    if isinstance(exc, SmmkitError | OSError):
        return f"{client_dir}: {exc}"
    return f"{client_dir}: unexpected {type(exc).__name__}: {exc}"


def _cmd_alerts(args: argparse.Namespace) -> int:
    from smmkit.batch.discover import discover_clients
    from smmkit.kpi.alerts import AlertsResult, ClientAlerts, check_clients
    from smmkit.kpi.periods import parse_day

    day = None if args.day is None else parse_day(args.day, name="--day")
    dirs = [_client_dir(d) for d in args.client_dirs] or discover_clients(args.clients_dir or CLIENTS_DIR)
    checked: list[ClientAlerts] = []
    for d in dirs:  # one client's error (client.yaml included) never hides the others' alerts
        try:
            checked += check_clients([d], day=day).clients
        except Exception as exc:  # noqa: BLE001 - reported as that client's error, one line
            checked.append(ClientAlerts(d.name, day, errors=[_client_error(exc, d)]))
    result = AlertsResult(checked)
    sys.stdout.write(result.render(args.fmt))
    errors = [line for c in result.clients for line in c.errors]
    for line in errors:
        print(line, file=sys.stderr)
    if errors:
        bad = sum(1 for c in result.clients if c.errors)
        print(
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}: {bad} client(s) not checked",
            file=sys.stderr,
        )
    return result.exit_code


_COMMANDS = {"validate": _cmd_validate, "kpis": _cmd_kpis, "alerts": _cmd_alerts, "run": _cmd_run}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"smmkit {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        _print_input_error(exc)
        return EXIT_INPUT
    except (SmmkitError, OSError) as exc:  # OSError: e.g. a full disk or an unwritable --out
        print(f"smmkit {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
