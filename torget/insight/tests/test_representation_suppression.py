"""The small-number suppression rule (representation_suppression)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from torget.insight.representation_suppression import (
    SMALL,
    Hidden,
    Line,
    suppress,
    table_lines,
)


def table(cells: list[list[int]]):
    rows, columns = list(range(len(cells))), list(range(len(cells[0])))
    counts, lines = table_lines(rows, columns)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            counts[(r, c)] = value
            counts[(r, "total")] += value
            counts[("total", c)] += value
            counts[("total", "total")] += value
    return counts, lines


class TestPrimary:
    def test_counts_from_one_to_four_are_fewer_than_five_and_zero_and_five_are_shown(self):
        shown = suppress({"a": 0, "b": 1, "c": 4, "d": 5, "e": 120}, [])
        assert [shown[k].text for k in "abcde"] == ["0", "färre än 5", "färre än 5", "5", "120"]
        assert shown["b"].value is None and shown["d"].value == 5

    def test_a_hidden_count_has_no_share(self):
        shown = suppress({"a": 3, "b": 50}, [])
        assert shown["a"].share(53) is None
        assert shown["b"].share(100) == 0.5


class TestSecondary:
    def test_a_lone_small_cell_in_a_row_hides_the_next_smallest_cell(self):
        shown = suppress({"a": 3, "b": 7, "c": 20, "t": 30}, [Line(["a", "b", "c"], "t")])
        assert shown["a"].hidden == Hidden.SMALL
        assert shown["b"].hidden == Hidden.COMPLEMENTARY and shown["b"].text == "dold"
        assert not shown["c"].is_hidden and not shown["t"].is_hidden

    def test_two_small_cells_in_a_row_need_no_more(self):
        shown = suppress({"a": 3, "b": 2, "c": 20, "t": 25}, [Line(["a", "b", "c"], "t")])
        assert not shown["c"].is_hidden

    def test_zeros_are_never_hidden_to_protect(self):
        shown = suppress({"a": 3, "b": 0, "c": 20, "t": 23}, [Line(["a", "b", "c"], "t")])
        assert not shown["b"].is_hidden and shown["c"].hidden == Hidden.COMPLEMENTARY

    def test_it_cascades_through_the_columns(self):
        counts, lines = table([[3, 10, 10], [10, 10, 10]])
        shown = suppress(counts, lines)
        # The 3 hides a 10 in its row and a 10 in its column; each of those then needs a
        # partner in their own line.
        assert_no_line_has_one_hidden(shown, lines)
        assert sum(1 for s in shown.values() if s.is_hidden) >= 4


def assert_no_line_has_one_hidden(shown, lines):
    for line in lines:
        hidden = [k for k in [*line.cells, line.total] if shown[k].is_hidden]
        assert len(hidden) != 1, (line, hidden)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=5),
        min_size=1,
        max_size=5,
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_no_small_count_shows_and_no_hidden_count_can_be_worked_out(cells):
    counts, lines = table(cells)
    shown = suppress(counts, lines)
    for key, count in counts.items():
        item = shown[key]
        # Rule 1: nothing from 1 to 4 is ever shown.
        if 0 < count < SMALL:
            assert item.hidden == Hidden.SMALL and item.value is None
        # What is shown is the true count; zeros are never hidden.
        if not item.is_hidden:
            assert item.value == count
        if count == 0:
            assert not item.is_hidden
    # Rule 2: no row or column (with its total) has exactly one hidden number.
    assert_no_line_has_one_hidden(shown, lines)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=5, max_value=1000), min_size=1, max_size=6))
def test_a_table_without_small_counts_is_shown_whole(values):
    counts, lines = table([values])
    shown = suppress(counts, lines)
    assert all(not s.is_hidden for s in shown.values())
