"""CSV written by Gatehouse opens in a spreadsheet without running anything a visitor typed."""

from __future__ import annotations

from app.lib.spreadsheet import csv_cell, csv_text


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    for dangerous in ("=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")'):
        assert csv_cell(dangerous) == "'" + dangerous, dangerous
    for harmless in ("Maria Silva", "ABC-1D23", "", "2026-11-01", "a=b"):
        assert csv_cell(harmless) == harmless
    assert csv_cell(None) == "" and csv_cell(3) == "3" and csv_cell(-1) == "-1"  # numbers are numbers
    assert csv_text([["name", "plate"], ["=cmd|' /C calc'!A0", "-x"]]) == "name,plate\r\n'=cmd|' /C calc'!A0,'-x\r\n"
