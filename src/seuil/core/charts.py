"""Server-side SVG charts (no JavaScript, no inline style), for the activity report and the
dashboards.

`bar_chart(chart_id, title, items)` draws horizontal bars as an inline `<svg role="img">`
named by its `<title>` (`aria-labelledby`) and described by a `<desc>` listing every value;
the page always shows the same figures in a data table next to it (RGAA 1.x).
Only SVG presentation attributes are used (fill, width…), never `style=`.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 640
LABEL_WIDTH = 250
BAR_AREA = 300
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 8
BAR_FILL = "#1d4e89"
TRACK_FILL = "#f3f4f6"
INK = "#1b1b1b"


def _number(value):
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def bar_chart(chart_id, title, items, *, max_value=None, suffix="", value_text=None):
    """A horizontal bar chart.

    `items`: list of (label, value) with numeric values (None drawn as an empty bar).
    `max_value`: the full-width value (default: the largest value, at least 1).
    `value_text`: optional function value → text shown after the bar (default: the number
    followed by `suffix`).
    """
    values = [v for _, v in items if v is not None]
    top = max_value if max_value is not None else max([1, *values])
    top = top or 1
    height = TOP * 2 + ROW_HEIGHT * max(len(items), 1)
    title_id = f"{chart_id}-titre"
    desc_id = f"{chart_id}-desc"

    def text_of(value):
        if value is None:
            return "non calculable"
        if value_text is not None:
            return value_text(value)
        return f"{_number(value)}{suffix}"

    description = " ; ".join(f"{label} : {text_of(value)}" for label, value in items)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" height="{height}" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    for position, (label, value) in enumerate(items):
        y = TOP + position * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
        width = 0 if value is None else round(BAR_AREA * max(value, 0) / top, 1)
        width = min(width, BAR_AREA)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle" font-size="13" fill="{INK}">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{BAR_AREA}" height="{BAR_HEIGHT}" '
            f'fill="{TRACK_FILL}"/>'
        )
        if width:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="{BAR_FILL}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + BAR_AREA + 8}" y="{middle}" dominant-baseline="middle" '
            f'font-size="13" fill="{INK}">{escape(text_of(value))}</text>'
        )
    parts.append("</svg>")
    # Every text above is escaped (bandit B308/B703 reviewed).
    return mark_safe("".join(parts))  # noqa: S308  # nosec
