"""Meeting mode's small-count rule, worked through by hand: under 10 hidden, and no total gives one away."""
from __future__ import annotations

from bot.services.figures import COMPLEMENT, HIDDEN, count_table, suppress


def test_a_single_small_cell_takes_the_smallest_other_cell_of_its_row_and_column_with_it() -> None:
    # 平: 3 (hidden) + 25 + 40 = 68; 小名浜: 30 + 12 + 50 = 92. Column 1: 3 + 30 = 33.
    cells, marks, rows, columns, grand = [[3, 25, 40], [30, 12, 50]], None, [68, 92], [33, 37, 90], 160
    marks, row_marks, column_marks, grand_mark = suppress(cells, rows, columns, grand, 10)
    assert marks[0][0] == HIDDEN
    # Row 平 would give 68 - 25 - 40 = 3: its smallest other cell, 25, is hidden too; column 1 would give
    # 33 - 30 = 3: 30 goes too; then row 小名浜 and column 2 each have one hidden cell: 12 goes (2x2 protected).
    assert marks[0][1] == COMPLEMENT and marks[1][0] == COMPLEMENT and marks[1][1] == COMPLEMENT
    assert marks[0][2] is None and marks[1][2] is None
    assert row_marks == [None, None] and column_marks == [None, None, None] and grand_mark is None


def test_zero_is_shown_and_a_small_total_is_hidden_like_a_cell() -> None:
    marks, row_marks, column_marks, grand_mark = suppress([[0, 4], [0, 0]], [4, 0], [0, 4], 4, 10)
    assert marks == [[None, HIDDEN], [None, None]]
    assert row_marks == [HIDDEN, None] and column_marks == [None, HIDDEN] and grand_mark == HIDDEN


def test_every_line_has_no_hidden_cell_or_at_least_two() -> None:
    cells = [[5, 15, 20, 0], [11, 2, 30, 9], [40, 18, 1, 22]]
    rows = [sum(r) for r in cells]
    columns = [sum(c) for c in zip(*cells)]
    marks, row_marks, column_marks, grand_mark = suppress(cells, rows, columns, sum(rows), 10)
    grid = [[*marks[r], row_marks[r]] for r in range(3)] + [[*column_marks, grand_mark]]
    for line in [*grid, *zip(*grid)]:
        assert sum(mark is not None for mark in line) != 1
    assert all(marks[r][c] == HIDDEN for r, c in [(0, 0), (1, 1), (1, 3), (2, 2)])
    assert marks[0][3] is None  # a zero stays 0


def test_the_table_shows_hidden_cells_as_under_ten_and_complements_as_a_star() -> None:
    table = count_table("t", "受付", [("taira", "平"), ("onahama", "小名浜")], [("a", "高齢"), ("b", "子ども")],
                        {("taira", "a"): 3, ("taira", "b"): 25, ("onahama", "a"): 30, ("onahama", "b"): 12}, None,
                        meeting=True, threshold=10)
    assert table.csv_rows() == [["平", "10未満", "＊", "28"], ["小名浜", "＊", "＊", "42"], ["計", "33", "37", "70"]]
    exact = count_table("t", "受付", [("taira", "平")], [("a", "高齢")], {("taira", "a"): 3}, None,
                        meeting=False, threshold=10, link=lambda row, column: {"centre": row or "all"})
    assert exact.csv_rows() == [["平", "3", "3"], ["計", "3", "3"]]
    assert exact.rows[0][1][0].link == {"centre": "taira"}
