"""CSV written by Gatehouse opens in a spreadsheet without running anything a visitor typed."""

from __future__ import annotations

from app.lib.spreadsheet import csv_cell, csv_stream, csv_text, csv_value


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    for dangerous in ("=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")'):
        assert csv_cell(dangerous) == "'" + dangerous, dangerous
    for harmless in ("Maria Silva", "ABC-1D23", "", "2026-11-01", "a=b"):
        assert csv_cell(harmless) == harmless
    assert csv_cell(None) == "" and csv_cell(3) == "3" and csv_cell(-1) == "-1"  # numbers are numbers
    assert csv_text([["name", "plate"], ["=cmd|' /C calc'!A0", "-x"]]) == "name,plate\r\n'=cmd|' /C calc'!A0,'-x\r\n"


def test_a_neutralised_cell_reads_back_as_it_was():
    for text in ("=1+2", "+351 912 345 678", "-x", "@home", "Maria Silva", "'quoted", "'", ""):
        assert csv_value(csv_cell(text)) == text


async def test_a_stream_starts_with_the_bom_and_sends_a_batch_at_a_time():
    async def batches():
        yield [["Ana", "=1"]]
        yield [["Bruno", 2], ["Carla", None]]

    chunks = [chunk async for chunk in csv_stream(["name", "value"], batches())]
    assert chunks == ["\ufeffname,value\r\n".encode(), b"Ana,'=1\r\n", b"Bruno,2\r\nCarla,\r\n"]
