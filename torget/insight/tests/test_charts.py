"""The SVG charts: an image with a title and a description, values escaped, the numbers kept
for the table beside it, and the map's polygons projected with a <title> each."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from torget.geo.tests.factories import square
from torget.insight.charts import MapArea, Row, area_map, bar_chart, class_breaks, column_chart

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


class TestBarChart:
    def test_it_is_an_image_with_a_title_and_a_description_that_names_the_largest(self):
        chart = bar_chart(
            chart_id="test",
            title="Dialoger per område",
            rows=[Row("Berga", 3), Row("Ryd", 1)],
            label_heading="Område",
        )
        root = parsed(chart.svg)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "test-title test-desc"
        assert root.find(f"{SVG}title").text == "Dialoger per område"
        assert "Berga med 3" in root.find(f"{SVG}desc").text
        assert len(root.findall(f"{SVG}rect")) == 2
        assert [row.value for row in chart.rows] == [3, 1] and chart.total == 4

    def test_labels_are_escaped(self):
        chart = bar_chart(
            chart_id="x", title="<b>", rows=[Row("<script>alert(1)</script>", 1)], label_heading="L"
        )
        assert "<script>" not in chart.svg
        parsed(chart.svg)

    def test_nothing_counted_says_so(self):
        chart = bar_chart(chart_id="x", title="T", rows=[Row("A", 0)], label_heading="L")
        assert chart.is_empty
        assert "Inga värden" in parsed(chart.svg).find(f"{SVG}desc").text


def test_a_column_chart_has_a_column_per_period_and_names_the_first_and_last():
    chart = column_chart(
        chart_id="t",
        title="Möten",
        rows=[Row("jan 2026", 2), Row("feb 2026", 0), Row("mar 2026", 5)],
        label_heading="Period",
    )
    root = parsed(chart.svg)
    assert len(root.findall(f"{SVG}rect")) == 3
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "jan 2026" in texts and "mar 2026" in texts


class TestMap:
    def test_each_area_is_a_path_with_its_title_and_the_legend_covers_the_values(self):
        chart = area_map(
            chart_id="karta",
            title="Aktivitet",
            areas=[
                MapArea("Norr", square(15.0, 58.5, 0.5), 8, "/omraden/norr/"),
                MapArea("Söder", square(15.0, 58.0, 0.5), 0, "/omraden/soder/"),
                MapArea(
                    "Öster",
                    {
                        "type": "MultiPolygon",
                        "coordinates": [square(15.5, 58.0, 0.5)["coordinates"]],
                    },
                    3,
                ),
            ],
            label_heading="Område",
        )
        root = parsed(chart.svg)
        groups = root.findall(f"{SVG}g")
        assert [g.find(f"{SVG}title").text for g in groups] == ["Norr: 8", "Söder: 0", "Öster: 3"]
        fills = [g.find(f"{SVG}path").get("fill") for g in groups]
        assert fills[1] == "#ffffff" and fills[0] != fills[2]
        # North is drawn above south: a smaller y.
        y_north = float(groups[0].find(f"{SVG}path").get("d").split()[2])
        y_south = float(groups[1].find(f"{SVG}path").get("d").split()[2])
        assert y_north < y_south
        assert chart.legend[0][1] == "Ingen aktivitet"
        assert [row.url for row in chart.rows][:2] == ["/omraden/norr/", "/omraden/soder/"]

    def test_no_geometry_draws_nothing_but_keeps_the_table(self):
        chart = area_map(
            chart_id="k", title="T", areas=[MapArea("A", {"type": "Point"}, 2)], label_heading="L"
        )
        assert chart.svg == "" and chart.rows[0].value == 2

    def test_class_breaks(self):
        assert class_breaks([0, 0]) == []
        assert class_breaks([1]) == [1]
        assert class_breaks([0, 3]) == [1, 2, 3]
        assert class_breaks([10, 2]) == [2, 4, 6, 8, 10]
