"""``smmkit validate``: what the kit recognises in a client folder, and what looks wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from smmkit.errors import InputError
from smmkit.io.client import Client, Issue
from smmkit.io.formats import FORMATS
from smmkit.io.loading import load_client

__all__ = ["ValidationReport", "validate_client", "data_warnings"]

_LABELS = {f.name: f.label for f in FORMATS}
_COUNTS = (
    "impressions", "reach", "reach_organic", "reach_paid", "reach_viral", "likes", "comments", "shares",
    "saves", "clicks", "video_views", "engaged_users", "complaints", "followers", "new_followers",
    "lost_followers", "unique_visitors", "page_views", "spend", "users", "new_users", "sessions",
)  # fmt: skip


def _first(frame: pd.DataFrame, mask: pd.Series) -> tuple[str, int]:
    row = frame[mask].iloc[0]
    return str(row["_file"]), int(row["_line"])


def data_warnings(client: Client) -> list[Issue]:
    """Suspicious but possible values: reach > impressions, negative counts, gaps in daily data."""
    out: list[Issue] = []
    posts = client.posts
    both = posts["reach"].notna() & posts["impressions"].notna()
    over = both & (posts["reach"] > posts["impressions"]).fillna(False)
    for file, part in posts[over].groupby("_file", sort=True):
        line = int(part["_line"].iloc[0])
        more = f" (and {len(part) - 1} more posts in this file)" if len(part) > 1 else ""
        out.append(
            Issue(
                "warning",
                f"reach {part['reach'].iloc[0]} > impressions {part['impressions'].iloc[0]}: a post cannot "
                f"reach more people than it was shown to{more}",
                file,
                line,
                "reach",
            )
        )
    for table in ("posts", "audience", "ads", "web", "mentions"):
        frame = client.table(table)
        for col in (c for c in _COUNTS if c in frame.columns):
            neg = (frame[col] < 0).fillna(False)
            if neg.any():
                file, line = _first(frame, neg)
                n = int(neg.sum())
                out.append(
                    Issue(
                        "warning",
                        f"negative {col} ({frame.loc[neg, col].iloc[0]}) in {n} row{'s' if n > 1 else ''}: a count cannot be negative",
                        file,
                        line,
                        col,
                    )
                )
    aud = client.audience
    for net, part in aud.groupby("network", observed=True, sort=True):
        days = pd.DatetimeIndex(part["date"].dropna().unique()).sort_values()
        if len(days) < 2:
            continue
        full = pd.date_range(days[0], days[-1], freq="D")
        missing = full.difference(days)
        if len(missing):
            runs = _runs(missing)
            shown = ", ".join(a if a == b else f"{a}..{b}" for a, b in runs[:3])
            out.append(
                Issue(
                    "warning",
                    f"gaps in {net} daily audience data: {len(missing)} missing day(s): {shown}"
                    f"{' ...' if len(runs) > 3 else ''}",
                )
            )
    return out


def _runs(days: pd.DatetimeIndex) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    start = prev = days[0]
    for d in days[1:]:
        if (d - prev).days != 1:
            runs.append((start.date().isoformat(), prev.date().isoformat()))
            start = d
        prev = d
    runs.append((start.date().isoformat(), prev.date().isoformat()))
    return runs


@dataclass
class ValidationReport:
    """The result of validating one client folder."""

    client_dir: Path
    client: Client | None = None
    issues: list[Issue] = field(default_factory=list)
    #: one line per network: the days each source's exports cover (filled by the caller, which may
    #: use the KPI layer: smmkit.kpi.coverage)
    coverage: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def notes(self) -> list[Issue]:
        """What the kit does not use, so that nothing is dropped silently: files recognised but
        not used (with the reason) and columns of used files that the kit does not read."""
        out = [i for i in self.issues if i.level == "note"]
        for f in self.client.files if self.client else ():
            if f.unused:
                out.append(Issue("note", f"recognised, not used: {f.unused}", self._rel(f.path)))
            elif f.ignored:
                out.append(
                    Issue(
                        "note",
                        f"{len(f.ignored)} column{'s' if len(f.ignored) != 1 else ''} not used by any KPI: "
                        + ", ".join(f.ignored),
                        self._rel(f.path),
                    )
                )
        return out

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def _rel(self, path) -> str:
        try:
            return str(Path(path).relative_to(self.client_dir))
        except ValueError:
            return str(path)

    def render_text(self) -> str:
        lines = []
        if self.client is not None:
            cfg = self.client.config
            lines.append(f"{cfg.slug}: {cfg.name} (timezone {cfg.timezone}, currency {cfg.currency})")
            rows = [("FILE", "FORMAT", "NETWORK", "ROWS", "FROM", "TO")]
            for f in self.client.files:
                if f.format is None:
                    rows.append((self._rel(f.path), "UNUSABLE (see errors)", "-", "-", "-", "-"))
                    continue
                n = "recognised, not used" if f.unused else ", ".join(f"{v} {k}" for k, v in f.rows.items())
                day = lambda d: d.date().isoformat() if d is not None else "-"  # noqa: E731
                rows.append(
                    (self._rel(f.path), f"{_LABELS.get(f.format, f.format)} [{f.format}]",
                     ",".join(f.networks) or "-", n or "0", day(f.first_day), day(f.last_day))
                )  # fmt: skip
            if len(rows) == 1:
                lines.append("no export files under exports/")
            widths = [max(len(r[i]) for r in rows) for i in range(6)]
            for r in rows:
                lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if self.coverage:
            lines.append("coverage (first..last day of each source's exports):")
            lines.extend(f"  {line}" for line in self.coverage)
        if self.notes:
            lines.append("notes:")
            lines.extend(f"  note: {n}" for n in self.notes)
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}:")
            lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines) + "\n" if lines else ""

    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    def summary(self) -> str:
        n_files = len(self.client.files) if self.client else 0
        bad = sum(1 for f in self.client.files if f.format is None) if self.client else 0
        e, w = len(self.errors), len(self.warnings)
        verdict = "all files usable" if not e else f"{e} error{'s' if e != 1 else ''}"
        return f"{n_files} file{'s' if n_files != 1 else ''}, {bad} unusable, {w} warning{'s' if w != 1 else ''}: {verdict}"


def validate_client(client_dir: str | Path) -> ValidationReport:
    """Load every export of a client without stopping at the first bad one, and collect
    the formats found, the errors (``PATH:LINE:COLUMN: message``) and the warnings."""
    client_dir = Path(client_dir)
    report = ValidationReport(client_dir)
    try:
        client = load_client(client_dir, strict=False)
    except InputError as exc:  # client.yaml or the folder itself
        report.issues.append(Issue("error", exc.message, exc.path, exc.line, exc.column))
        return report
    report.client = client
    report.issues = list(client.issues) + data_warnings(client)
    from smmkit.io.notes import check_notes  # the analyst's notes/<YYYY-MM>.md (#12)

    report.issues += check_notes(client_dir, analyst=client.config.analyst)
    return report
