"""The occupancy chart, drawn on the server as SVG (presentation attributes only: the CSP allows
no inline style or script; readable without JavaScript)."""

import datetime as dt

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def occupancy_svg(nights: list[tuple[dt.date, int]], capacity: int, *, width: int = 720, height: int = 200) -> str:
    """One bar per night, the beds as a line; nights over capacity (never expected) in red."""
    if not nights:
        return ""
    left, right, top, bottom = 36, 8, 18, 26
    top_value = max(capacity, max(n for _d, n in nights), 1)
    plot_w, plot_h = width - left - right, height - top - bottom
    bar_w = plot_w / len(nights)

    def y(value):
        return top + plot_h * (1 - value / top_value)

    label = ngettext("People in the centre per night, %(start)s – %(end)s (%(beds)d bed)",
                     "People in the centre per night, %(start)s – %(end)s (%(beds)d beds)", capacity) % {
        "start": nights[0][0].strftime("%d/%m/%Y"), "end": nights[-1][0].strftime("%d/%m/%Y"), "beds": capacity}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(label)}" width="100%"><title>{escape(label)}</title>']
    for value in (0, top_value // 2, top_value):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="#d8dde6" stroke-width="1"/>')
        parts.append(f'<text x="{left - 4}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="#5b6475">{value}</text>')
    for i, (night, people) in enumerate(nights):
        if people:
            colour = "#c2410c" if people > capacity else "#0b5c8a"
            parts.append(f'<rect x="{left + i * bar_w:.1f}" y="{y(people):.1f}" width="{max(bar_w - 0.5, 0.5):.1f}" '
                         f'height="{top + plot_h - y(people):.1f}" fill="{colour}">'
                         f'<title>{night.strftime("%d/%m/%Y")}: {people}</title></rect>')
        if night.day == 1 or i == 0:
            parts.append(f'<text x="{left + i * bar_w:.1f}" y="{height - 8}" font-size="11" fill="#5b6475">'
                         f'{night.strftime("%d/%m")}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(capacity):.1f}" y2="{y(capacity):.1f}" '
                 f'stroke="#b42318" stroke-width="1.5" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{width - right}" y="{y(capacity) - 4:.1f}" font-size="11" text-anchor="end" '
                 f'fill="#b42318">{escape(_("beds"))}</text></svg>')
    return "".join(parts)
