"""LinkedIn page exports (smmkit.io.formats.linkedin): the followers workbook's daily
``Total followers`` is a net change that LinkedIn writes as -1 on a day when more members left
than joined (data-contract.md section 2, release 3): accepted, and summed exactly.

The workbook is laid out as LinkedIn's (tests/support/make_xlsx.py: a disclaimer in row 1, the
header in row 2, a `Location` sheet beside `New followers`); the values are ours.
"""

from __future__ import annotations

import pandas as pd
import pytest
from support import make_xlsx

from smmkit.errors import InputError
from smmkit.io.loading import load_export

HEADER = make_xlsx.FOLLOWERS_ROWS[0]


def followers(tmp_path, rows):
    path = make_xlsx._write(
        tmp_path / "followers.xlsx",
        {"New followers": [HEADER, *rows], "Location": [["Location", "Total followers"], ["Moscow", 40]]},
    )
    fmt, tables = load_export(path, tz="Europe/Moscow")
    assert fmt.name == "linkedin_followers"
    return tables["audience"]


def test_a_day_of_minus_one_is_a_net_change(tmp_path):
    aud = followers(
        tmp_path,
        [
            ["10/01/2026", 0, 4, 1, 5],
            ["10/02/2026", 0, -1, 0, -1],  # one more member left than joined
            ["10/03/2026", 2, 3, 0, 5],
        ],
    )
    assert list(aud["date"]) == [
        pd.Timestamp("2026-10-01"),
        pd.Timestamp("2026-10-02"),
        pd.Timestamp("2026-10-03"),
    ]
    assert [int(v) for v in aud["new_followers"]] == [5, -1, 5]
    assert int(aud["new_followers"].sum()) == 5 - 1 + 5


def test_a_bad_cell_is_still_an_error(tmp_path):
    with pytest.raises(InputError) as err:
        followers(tmp_path, [["10/01/2026", 0, 4, 1, "five"]])
    assert (err.value.line, err.value.column) == (3, "Total followers")
