"""``smmkit validate``: what the kit recognises in a client folder, and what looks wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from smmkit.errors import MESSAGE_LIMIT, InputError, bounded_column
from smmkit.io.client import Client, Issue, IssueLevels
from smmkit.io.loading import load_client

__all__ = ["ValidationReport", "validate_client", "data_warnings"]


def _named(lead: str, names: tuple[str, ...]) -> str:
    """``lead`` and the column names, each cut as an error's column is
    (:func:`~smmkit.errors.bounded_column`), as many as fit in one message of
    :data:`~smmkit.errors.MESSAGE_LIMIT` characters, then how many more."""
    room = MESSAGE_LIMIT - len(lead) - len(f" and {len(names):,} more")
    out: list[str] = []
    size = 0
    for name in names:
        text = bounded_column(name) or ""
        if out and size + len(text) > room:
            return lead + ", ".join(out) + f" and {len(names) - len(out):,} more"
        out.append(text)
        size += len(text) + 2
    return lead + ", ".join(out)


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
class ValidationReport(IssueLevels):
    """The result of validating one client folder."""

    client_dir: Path
    client: Client | None = None
    issues: list[Issue] = field(default_factory=list)
    #: one line per network: the days each source's exports cover (filled by the caller, which may
    #: use the KPI layer: smmkit.kpi.coverage)
    coverage: list[str] = field(default_factory=list)

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
                        _named(
                            f"{len(f.ignored)} column{'s' if len(f.ignored) != 1 else ''} not used by any KPI: ",
                            f.ignored,
                        ),
                        self._rel(f.path),
                    )
                )
        return out

    def _rel(self, path) -> str:
        try:
            return str(Path(path).relative_to(self.client_dir))
        except ValueError:
            return str(path)


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
