"""The representativeness chart: an accessible SVG with no bar for a hidden count."""

from torget.insight.representation import Breakdown, GroupRow
from torget.insight.representation_charts import comparison_chart
from torget.insight.representation_suppression import Hidden, Shown


def row(key: str, count: int, hidden: Hidden = Hidden.SHOWN, **values) -> GroupRow:
    total = Shown(count=count, hidden=hidden)
    values.setdefault("population", 100)
    values.setdefault("population_share", 0.5)
    values.setdefault("participant_share", None if hidden else 0.5)
    values.setdefault("under_reached", False)
    return GroupRow(key=key, label=key, by_source=[total], total=total, **values)


def breakdown(*rows: GroupRow) -> Breakdown:
    return Breakdown(
        key="age_band",
        title="Per åldersgrupp",
        caption="Deltagare per åldersgrupp",
        rows=list(rows),
        source_totals=[],
        total=Shown(count=0, hidden=Hidden.SHOWN),
        judged=True,
    )


def test_the_chart_is_a_named_and_described_image():
    svg = str(comparison_chart(breakdown(row("A", 20), row("B", 20)), chart_id="c"))
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Deltagare per åldersgrupp</title>' in svg
    assert '<desc id="c-desc">' in svg and "2 grupper" in svg
    assert svg.count("av deltagarna</title>") == 2
    assert svg.count("av befolkningen</title>") == 2


def test_a_hidden_count_has_no_bar_and_the_under_reached_are_named():
    rows = (row("A", 3, Hidden.SMALL, under_reached=True), row("B", 40))
    svg = str(comparison_chart(breakdown(*rows), chart_id="c"))
    assert svg.count("av deltagarna</title>") == 1
    assert "antalet visas inte" in svg
    assert "Nåddes för lite: A." in svg


def test_no_groups_no_chart():
    assert str(comparison_chart(breakdown(), chart_id="c")) == ""
