"""Server-made SVG bar charts of a survey's results: no JavaScript, no library.

Each chart is an image (`role="img"`) named by its <title> and described by its <desc>
(`aria-labelledby`), every bar has its own <title>, and the page shows the same numbers in a
table beside it, the accessible equivalent (WCAG 1.1.1). The bars take the site's primary
colour (at least 3:1 against the white page) and the text is 12px or larger (`.chart` in
torget.css).
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from torget.surveys.results import QuestionResult, Row

WIDTH = 640
TOP = 8
RIGHT = 8
LEFT = 230
ROW_H = 28
LABEL_CHARS = 30


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _answers(count: int) -> str:
    return ngettext("%(count)d svar", "%(count)d svar", count) % {"count": count}


def bar_chart(rows: list[Row], *, chart_id: str, title: str, unit: str = "") -> SafeString:
    """Horizontal bars, one per row in the given order, each with its label and number (and
    share, where there is one)."""
    if not rows or not any(row.count for row in rows):
        return SafeString("")
    height = TOP + ROW_H * len(rows) + 8
    top = max(row.count for row in rows) or 1
    plot_w = WIDTH - LEFT - RIGHT - 80  # room for "1234 (56 %)" after the longest bar
    labels, bars = [], []
    for index, row in enumerate(rows):
        y = TOP + index * ROW_H
        w = plot_w * row.count / top
        text_y = f"{y + ROW_H / 2 + 4:.1f}"
        figure = f"{row.count}" + (f" ({row.percent} %)" if not unit and row.share else "")
        labels.append((str(LEFT - 8), text_y, "end", _shorten(row.label)))
        labels.append((f"{LEFT + w + 6:.1f}", text_y, "start", figure))
        bars.append(
            (
                LEFT,
                f"{y + 5:.1f}",
                f"{max(w, 0.5):.1f}",
                ROW_H - 10,
                f"{row.label}: {row.count}{unit or ''}"
                if unit
                else f"{row.label}: {_answers(row.count)}",
            )
        )
    largest = max(rows, key=lambda row: row.count)
    description = _("%(groups)s. Flest: %(largest)s, %(count)s.") % {
        "groups": ngettext("%(count)d stapel", "%(count)d staplar", len(rows))
        % {"count": len(rows)},
        "largest": largest.label,
        "count": largest.count,
    }
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g class="chart__axis" aria-hidden="true">'
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/>{labels}</g>'
        '<g class="chart__bars">{bars}</g></svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        left=LEFT,
        top=TOP,
        bottom=height - 8,
        labels=format_html_join("", '<text x="{}" y="{}" text-anchor="{}">{}</text>', labels),
        bars=format_html_join(
            "", '<rect x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', bars
        ),
    )


def question_chart(result: QuestionResult) -> SafeString:
    """The chart of one question: its options, scale points or yes/no with the number of
    answers; a ranking by its points. Free text, numbers and places have none (their table
    or list says it better)."""
    chart_id = f"diagram-fraga-{result.question.pk}"
    title = f"{result.number}. {result.question.localized_text}"
    if result.ranks:
        return bar_chart(result.rows, chart_id=chart_id, title=title, unit=" " + _("poäng"))
    return bar_chart(result.rows, chart_id=chart_id, title=title)
