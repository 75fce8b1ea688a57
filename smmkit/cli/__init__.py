"""The ``smmkit`` command line (data-contract.md section 3).

Thin by design: each sub-command parses its options, calls one library
function and maps the kit's errors to exit codes. Input errors are printed
as ``PATH:LINE:COLUMN: message`` to stderr, never as a traceback.

Exit codes: 0 = all good, 1 = some input unusable (or some client failed),
2 = usage error; ``alerts``: 3 = at least one spike to look at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from smmkit.cli.codes import EXIT_INPUT, EXIT_OK, EXIT_USAGE, KPI_FORMATS
from smmkit.config import CLIENTS_DIR, REPORTS_DIR
from smmkit.errors import LINE_LIMIT, InputError, InputWarning, SmmkitError, UsageError, bounded

__all__ = ["console", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 already; one line, the usage folded into it
        usage = " ".join(self.format_usage().split())
        self.exit(EXIT_USAGE, bounded(f"{self.prog}: error: {message} ({usage})", 1000) + "\n")


#: The days a report period may cover (the periods it is compared with and the forecast
#: reach further, and must stay within the days pandas can represent, 1677-09-22..2262-04-11).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
_PANDAS_DAYS = (dt.date(1678, 1, 1), dt.date(2262, 1, 1))
#: How many periods before the report period the KPIs reach back (the previous period, its
#: previous for response times, the 8 periods of a forecast's history, the trend charts).
HISTORY_PERIODS = 12


def _check_day(day: dt.date, name: str) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UsageError(
            f"{name} {day.isoformat()} is outside the days smmkit reports on ({FIRST_DAY}..{LAST_DAY})"
        )
    return day


def _period(args: argparse.Namespace):
    """The period of ``--start/--end``, ``--window --end`` or ``--month``, checked fully here,
    before any client is loaded or any kernel starts: its days, the history it is compared
    with and the next period (the forecast) must be days the kit can compute on."""
    from smmkit.kpi.periods import period_from_args

    given = {n: getattr(args, n) for n in ("start", "end", "window", "month") if getattr(args, n) is not None}
    options = " ".join(f"--{n} {v}" for n, v in given.items())
    try:
        period = period_from_args(start=args.start, end=args.end, window=args.window, month=args.month)
    except (OverflowError, ValueError):  # e.g. --month 0000-01, --window 28d --end 0001-01-05
        raise UsageError(
            f"{options}: not a period of days smmkit reports on ({FIRST_DAY}..{LAST_DAY})"
        ) from None
    for day in (period.start, period.end):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise UsageError(
                f"{options}: the day {day.isoformat()} is outside the days smmkit reports on "
                f"({FIRST_DAY}..{LAST_DAY})"
            )
    span = dt.timedelta(days=period.days)
    if period.start - span * HISTORY_PERIODS < _PANDAS_DAYS[0] or period.end + span > _PANDAS_DAYS[1]:
        raise UsageError(
            f"{options}: the period is too long ({period.days:,} days): the {HISTORY_PERIODS} periods "
            f"before it, which its KPIs are compared with, would start before {_PANDAS_DAYS[0]}; "
            "choose a shorter period"
        )
    return period


def _check_out(out: Path | None) -> None:
    """``--out`` must be a folder the run can write into (or create): checked by creating
    (and at once deleting) a nameless file in it or in its nearest existing parent."""
    import tempfile

    target = Path(os.path.abspath(out if out is not None else REPORTS_DIR))
    shown = "--out" if out is not None else "the default output folder"
    try:
        existing = target
        while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            kind = "a link to nowhere" if not existing.exists() else "a file"
            raise UsageError(f"{shown} {target}: {existing} is {kind}, not a folder")
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise UsageError(f"{shown} {target}: cannot write into {existing}: {exc.strerror or exc}") from None


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
    p.add_argument("--format", choices=KPI_FORMATS, default="table", dest="fmt")

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
        type=_seconds,
        default=600,
        help="timeout in seconds for each notebook cell (papermill's execution timeout)",
    )
    p.add_argument("--force", action="store_true", help="re-run clients whose inputs are unchanged")
    p.add_argument("--only-failed", action="store_true", help="re-run only the clients that failed last time")
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also write each client's report.pdf (needs pip install 'smmkit[pdf]' and Chromium)",
    )
    return parser


#: The longest --timeout: a week (papermill and zmq take the timeout in milliseconds).
MAX_TIMEOUT = 7 * 24 * 3600


def _seconds(value: str) -> int:
    """``--timeout``: whole seconds, 1 to :data:`MAX_TIMEOUT` (argparse makes the error a usage error)."""
    try:
        seconds = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole seconds; got {value[:40]!r}") from None
    if not 1 <= seconds <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_TIMEOUT} seconds (a week); got {value[:40]}")
    return seconds


def _version() -> str:
    from smmkit._version import __version__

    return __version__


def _print_input_error(exc: InputError) -> None:
    print(exc.location_message(), file=sys.stderr)
    print("1 error", file=sys.stderr)


def _client_dir(path: Path) -> Path:
    """A CLIENT_DIR argument that is not a folder is a usage error (exit 2)."""
    try:
        is_dir = path.is_dir()
    except OSError as exc:  # e.g. a name too long for the file system
        raise UsageError(f"CLIENT_DIR {str(path)!r}: {exc.strerror or exc}") from None
    if not is_dir:
        raise UsageError(f"CLIENT_DIR {str(path)!r} is not a folder (expected <clients-dir>/<slug>)")
    return path


def _cmd_validate(args: argparse.Namespace) -> int:
    from smmkit.cli import text  # the command's own imports: `smmkit --help` stays light
    from smmkit.io.validate import validate_client

    report = validate_client(_client_dir(args.client_dir))
    if report.client is not None:
        _add_coverage(report)
    sys.stdout.write(text.validation_text(report))
    for issue in report.errors:
        print(bounded(str(issue), LINE_LIMIT), file=sys.stderr)
    print(text.validation_summary(report), file=sys.stderr)
    return text.validation_exit_code(report)


def _add_coverage(report) -> None:
    """Each network's coverage on ``validate``'s report, and a warning for each stale source."""
    from smmkit.io.client import Issue
    from smmkit.kpi.context import context
    from smmkit.kpi.coverage import coverage_lines, stale_sources

    spans = context(report.client).coverage
    report.coverage = coverage_lines(spans)
    report.issues += [Issue("warning", text) for text in stale_sources(spans)]


def _cmd_kpis(args: argparse.Namespace) -> int:
    from smmkit.cli import text  # the command's own imports: `smmkit --help` stays light
    from smmkit.io.loading import load_client
    from smmkit.kpi.engine import kpis

    period = _period(args)
    client = load_client(_client_dir(args.client_dir), strict=False)
    if client.errors:  # every unusable export, one line each: no KPIs from partial data
        for issue in client.errors:
            print(bounded(str(issue), LINE_LIMIT), file=sys.stderr)
        n = len(client.errors)
        print(f"{n} error{'s' if n != 1 else ''}: no KPIs printed (see `smmkit validate`)", file=sys.stderr)
        return EXIT_INPUT
    report = kpis(client, period)  # the period itself: a --window never turns into a calendar month
    sys.stdout.write(text.kpis_text(report, args.fmt, lang=client.config.language))
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from smmkit.batch.runner import run_reports, start_workers_early
    from smmkit.batch.template import collecting_less

    # the workers' forkserver imports the kit while this process checks the period and the clients
    start_workers_early(
        args.client_dirs, clients_dir=args.clients_dir, jobs=args.jobs, executor=args.executor
    )
    period = _period(args)
    _check_out(args.out)
    with collecting_less():  # this process parses clients ahead of their kernels (or runs them)
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
            pdf=args.pdf,
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
    from smmkit.cli import text  # the command's own imports: `smmkit --help` stays light
    from smmkit.kpi.alerts import AlertsResult, ClientAlerts, check_clients
    from smmkit.kpi.periods import parse_day

    day = None if args.day is None else _check_day(parse_day(args.day, name="--day"), "--day")
    dirs = [_client_dir(d) for d in args.client_dirs] or discover_clients(args.clients_dir or CLIENTS_DIR)
    checked: list[ClientAlerts] = []
    for d in dirs:  # one client's error (client.yaml included) never hides the others' alerts
        try:
            checked += check_clients([d], day=day).clients
        except Exception as exc:  # noqa: BLE001 - reported as that client's error, one line
            checked.append(ClientAlerts(d.name, day, errors=[_client_error(exc, d)]))
    result = AlertsResult(checked)
    sys.stdout.write(text.alerts_text(result, args.fmt))
    errors = [line for c in result.clients for line in c.errors]
    for line in errors:
        print(line, file=sys.stderr)
    if errors:
        bad = sum(1 for c in result.clients if c.errors)
        print(
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}: {bad} client(s) not checked",
            file=sys.stderr,
        )
    return text.alerts_exit_code(result)


_COMMANDS = {"validate": _cmd_validate, "kpis": _cmd_kpis, "alerts": _cmd_alerts, "run": _cmd_run}


def console() -> None:
    """The ``smmkit`` command (and ``python -m smmkit``): :func:`main`, then the process ends.

    What the command made is dropped as the process ends without the garbage collector walking
    it first (``gc.freeze``; atexit handlers and files' closing still run): the interpreter's
    shutdown collections were ~0.1 s of wall and CPU at the end of each ``smmkit run`` (the
    runner holds the kit, pandas, papermill and what it parsed ahead), measured 5.65 / 5.71 /
    5.61 s -> 5.55 / 5.49 / 5.53 s for the 3 demo clients on 2 jobs, runs alternated."""
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", InputWarning)
            warnings.showwarning = _show_warning(args.command, warnings.showwarning)
            return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"smmkit {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        _print_input_error(exc)
        return EXIT_INPUT
    except BrokenPipeError:  # `smmkit kpis ... | head`: the reader left; nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INPUT
    except OSError as exc:  # the machine refused: a full disk, an unwritable or vanished file
        text = str(exc)  # "[Errno 28] No space left on device: 'PATH'"
        if exc.filename is None and args.command == "run":  # a write without a file name
            text += f" (writing under {os.path.abspath(args.out or REPORTS_DIR)})"
        print(bounded(f"smmkit {args.command}: error: {text}"), file=sys.stderr)
        return EXIT_INPUT
    except SmmkitError as exc:
        print(f"smmkit {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort: a bug, said in one line
        print(_internal_error(args.command, exc), file=sys.stderr)
        return EXIT_INPUT


def _show_warning(command: str, show):
    """``warnings.showwarning`` printing an :class:`InputWarning` as one line on stderr."""

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, InputWarning):
            print(bounded(f"smmkit {command}: warning: {message}"), file=sys.stderr)
        else:
            show(message, category, filename, lineno, file, line)

    return showwarning


def _internal_error(command: str, exc: BaseException) -> str:
    """The one line of an unexpected exception; its traceback goes to a file (or, with
    ``SMMKIT_DEBUG=1``, to stderr before the line)."""
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(exc))
    if os.environ.get("SMMKIT_DEBUG", "") not in ("", "0"):
        sys.stderr.write(text)
        saved = "traceback above"
    else:
        try:
            fd, name = tempfile.mkstemp(prefix="smmkit-traceback-", suffix=".txt")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            saved = f"traceback saved to {name}; SMMKIT_DEBUG=1 prints it"
        except OSError:
            saved = "run with SMMKIT_DEBUG=1 to see the traceback"
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return bounded(
        f"smmkit {command}: internal error: {what}; this is a bug, please report it ({saved})", 1000
    )
