"""SVG charts: well-formed, accessible, CSP-safe (no script, no event handlers, no inline styles)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edu.insights.charts import PrePost, pre_post_chart

NS = "{http://www.w3.org/2000/svg}"
FAST = settings(max_examples=200, deadline=None)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def assert_csp_safe(root: ET.Element) -> None:
    for element in root.iter():
        assert element.tag not in (f"{NS}script", f"{NS}style", f"{NS}foreignObject")
        for name in element.attrib:
            assert name != "style"
            assert not name.lower().startswith("on")
            assert name not in ("fill", "stroke", "font-family", "font-size")
            assert "href" not in name


def assert_text_alternative(root: ET.Element, title: str, description: str | None) -> None:
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert by_id[ids[0]].tag == f"{NS}title" and by_id[ids[0]].text == title
    assert root[0].tag == f"{NS}title"  # the title is the first child, as SVG expects
    if description:
        assert by_id[ids[1]].tag == f"{NS}desc" and by_id[ids[1]].text == description
    else:
        assert len(ids) == 1
    # The drawing is hidden from assistive technology; the title and desc carry the meaning.
    assert root.find(f"{NS}g").get("aria-hidden") == "true"


def rects(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{NS}rect")]


def texts(root: ET.Element) -> list[str]:
    return [el.text for el in root.iter(f"{NS}text")]


def data_rects(root: ET.Element) -> list[ET.Element]:
    return [r for r in rects(root) if float(r.get("height")) > 12]  # skip the two legend swatches


def test_pre_post_chart_on_a_percent_axis_with_a_description_by_hand():
    svg = pre_post_chart([PrePost("Knowledge", 50, 25, "50%")], title="Answers", description="Half agreed.",
                         chart_id="q1")
    root = parse(svg)
    assert_csp_safe(root)
    assert_text_alternative(root, "Answers", "Half agreed.")
    # width 480: plot = 480 - 150 (labels) - 70 (values) = 260; 50 of 100 -> 130, 25 -> 65.
    bars = data_rects(root)
    assert [float(r.get("width")) for r in bars] == [130.0, 65.0]
    assert all(r.get("x") == "150.0" for r in bars)
    assert {"Knowledge", "50%", "25"} <= set(texts(root))


def test_hidden_values_get_text_and_no_bar():
    root = parse(pre_post_chart([PrePost("Yes", None, 80, "almost none", "80%")], title="Item"))
    assert len(data_rects(root)) == 1
    assert "almost none" in texts(root)


def test_values_are_clamped_to_the_axis():
    root = parse(pre_post_chart([PrePost("a", 150, -5)], title="t"))
    assert [float(r.get("width")) for r in data_rects(root)] == [260.0, 0.0]


def test_pre_post_chart_on_a_likert_axis_by_hand():
    svg = pre_post_chart([PrePost("Bystander confidence", 3.0, 4.0, "3.0", "4.0")], title="Before and after",
                         min_value=1, max_value=5, legend=("Before", "After"), chart_id="conf")
    root = parse(svg)
    assert_csp_safe(root)
    assert_text_alternative(root, "Before and after", None)
    bars = [r for r in rects(root) if float(r.get("height")) > 12]  # skip the two legend swatches
    # plot 260 wide from 1 to 5: (3 - 1) / 4 * 260 = 130; (4 - 1) / 4 * 260 = 195.
    assert [(r.get("class"), float(r.get("width"))) for r in bars] == [("chart-pre", 130.0), ("chart-post", 195.0)]
    assert {"Before", "After", "Bystander confidence", "3.0", "4.0"} <= set(texts(root))


def test_caller_text_is_escaped_and_ids_are_sanitised():
    svg = pre_post_chart([PrePost("<script>alert(1)</script>", None, 50)], title='"Quote" & <b>',
                         chart_id='x" onload="alert(1)')
    root = parse(svg)  # still well-formed
    assert_csp_safe(root)
    assert "<script>" not in svg and "onload=" not in svg
    assert root.find(f"{NS}title").text == '"Quote" & <b>'


def test_a_title_is_required():
    with pytest.raises(ValueError):
        pre_post_chart([PrePost("a", 1, 2)], title="  ")


def test_empty_charts_are_still_valid():
    assert_csp_safe(parse(pre_post_chart([], title="Nothing yet")))


@FAST
@given(st.lists(st.tuples(st.text(max_size=20), st.one_of(st.none(), st.floats(-50, 200, allow_nan=False))),
                max_size=8), st.text(max_size=40).map(lambda text: "Chart " + text))
def test_any_labels_give_a_safe_well_formed_chart(rows, title):
    # Any text, control characters included, yields well-formed SVG with bars inside the plot.
    root = parse(pre_post_chart([PrePost(label, value, value) for label, value in rows], title=title))
    assert_csp_safe(root)
    assert all(0 <= float(r.get("width")) <= 260 for r in rects(root))
