"""Every HTML table's shape: each row spans as many columns as its header (colspans and rowspans counted).

:func:`table_shapes` parses any HTML (a fragment or a whole page) into one :class:`Table` per
``<table>`` (nested tables apart); :func:`misshapen` lists the rows whose width differs from the
header's, as readable messages (which table, which row, its text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Row:
    header: bool  # in <thead>, or only <th> cells
    widths: list[tuple[int, int]] = field(default_factory=list)  # (colspan, rowspan) of each cell
    text: str = ""


@dataclass
class Table:
    css_class: str
    rows: list[Row] = field(default_factory=list)

    def columns(self) -> int:
        """The header's width: its first row's colspans (the first row when there is no header)."""
        first = next((r for r in self.rows if r.header), self.rows[0] if self.rows else None)
        return sum(c for c, _ in first.widths) if first else 0

    def row_widths(self) -> list[int]:
        """Each row's width, counting the cells that rows above carry down with rowspan."""
        carried: list[int] = []  # rows each carried-down cell still covers, one entry per column
        out = []
        for row in self.rows:
            width = sum(1 for left in carried if left > 0) + sum(c for c, _ in row.widths)
            carried = [left - 1 for left in carried if left > 1]
            carried += [r - 1 for c, r in row.widths for _ in range(c) if r > 1]
            out.append(width)
        return out


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    value = dict(attrs).get(name)
    try:
        return max(1, int(value)) if value is not None else 1
    except ValueError:
        return 1


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.stack: list[tuple[Table, bool]] = []  # open tables, and whether inside their <thead>
        self.in_cell = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            table = Table(dict(attrs).get("class") or "")
            self.tables.append(table)
            self.stack.append((table, False))
        elif not self.stack:
            return
        elif tag == "thead":
            self.stack[-1] = (self.stack[-1][0], True)
        elif tag in ("tbody", "tfoot"):
            self.stack[-1] = (self.stack[-1][0], False)
        elif tag == "tr":
            table, head = self.stack[-1]
            table.rows.append(Row(header=head))
        elif tag in ("td", "th"):
            table, head = self.stack[-1]
            if not table.rows:
                table.rows.append(Row(header=head))
            row = table.rows[-1]
            row.widths.append((_span(attrs, "colspan"), _span(attrs, "rowspan")))
            if tag == "td" and not head:
                row.header = False
            elif tag == "th" and len(row.widths) == 1 and not head:
                row.header = True  # a row of <th> cells outside <thead> heads the table until a <td> comes
            self.in_cell += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.stack:
            self.stack.pop()
        elif tag in ("td", "th") and self.in_cell:
            self.in_cell -= 1

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0].rows and self.in_cell:
            row = self.stack[-1][0].rows[-1]
            row.text = f"{row.text} | {data.strip()}" if row.text else data.strip()


def table_shapes(html: str) -> list[Table]:
    """One :class:`Table` per ``<table>`` of ``html``, in document order."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.tables


def misshapen(html: str, where: str = "") -> list[str]:
    """A message per row of a table of ``html`` whose width is not its header's width."""
    problems = []
    for k, table in enumerate(table_shapes(html)):
        columns = table.columns()
        for r, (row, width) in enumerate(zip(table.rows, table.row_widths(), strict=True)):
            if width != columns:
                problems.append(
                    f"{where} table {k} ({table.css_class!r}), row {r}: {width} cells under {columns} "
                    f"header columns: {row.text[:120]!r}"
                )
    return problems
