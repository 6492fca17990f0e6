"""Server-side SVG charts of the flow reports: presentation attributes only (the CSP allows no
inline style or script), readable in the page and in the PDF alike."""

import datetime as dt

from django.utils.html import escape

INK, MUTED, GRID = "#1d2433", "#5b6475", "#d8dde6"
IN_COLOUR, OUT_COLOUR = "#0b5c8a", "#c2410c"


def daily_bars(daily: list[tuple[dt.date, int, int]], *, labels: tuple[str, str], title: str = "",
               width: int = 720, height: int = 240) -> str:
    """Stacked bars per day: incoming (below) and outgoing (above). Days without counts show no bar."""
    if not daily:
        return ""
    left, right, top, bottom = 48, 12, 24, 44
    top_value = max(i + o for _d, i, o in daily) or 1
    slot = (width - left - right) / len(daily)
    bar = max(slot * 0.7, 1)
    plot = height - top - bottom

    def y(v):
        return top + plot * (1 - v / top_value)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" width="100%">']
    for frac in (0, 0.5, 1):
        value = top_value * frac
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="{MUTED}">{value:.0f}</text>')
    every = max(1, len(daily) // 8)
    for n, (day, incoming, outgoing) in enumerate(daily):
        x = left + n * slot + (slot - bar) / 2
        if incoming:
            parts.append(f'<rect x="{x:.1f}" y="{y(incoming):.1f}" width="{bar:.1f}" '
                         f'height="{plot * incoming / top_value:.1f}" fill="{IN_COLOUR}"/>')
        if outgoing:
            parts.append(f'<rect x="{x:.1f}" y="{y(incoming + outgoing):.1f}" width="{bar:.1f}" '
                         f'height="{plot * outgoing / top_value:.1f}" fill="{OUT_COLOUR}"/>')
        if n % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" font-size="11" '
                         f'text-anchor="middle" fill="{MUTED}">{day.strftime("%d/%m")}</text>')
    for k, (colour, label) in enumerate(zip((IN_COLOUR, OUT_COLOUR), labels, strict=True)):
        parts.append(f'<rect x="{left + k * 160}" y="{height - 14}" width="12" height="8" fill="{colour}"/>')
        parts.append(f'<text x="{left + 16 + k * 160}" y="{height - 6}" font-size="11" fill="{INK}">'
                     f'{escape(str(label))}</text>')
    if title:
        parts.append(f'<text x="4" y="14" font-size="12" fill="{MUTED}">{escape(title)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def share_bars(rows: list[tuple[str, int]], *, title: str = "", width: int = 720, label_width: int = 170) -> str:
    """Horizontal bars with the number and the share of the total, one per row, largest first."""
    if not rows:
        return ""
    left, right, top, row = label_width, 90, 8, 24
    height = top + row * len(rows) + 8
    total = sum(n for _l, n in rows) or 1
    largest = max(n for _l, n in rows) or 1
    scale = (width - left - right) / largest
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" width="100%">']
    for i, (label, n) in enumerate(rows):
        y = top + i * row
        parts.append(f'<text x="{left - 8}" y="{y + 15}" font-size="12" text-anchor="end" fill="{INK}">'
                     f'{escape(str(label))}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{n * scale:.1f}" height="15" fill="{IN_COLOUR}"/>')
        parts.append(f'<text x="{left + n * scale + 6:.1f}" y="{y + 15}" font-size="12" fill="{INK}">'
                     f'{n} ({100 * n / total:.0f} %)</text>')
    parts.append("</svg>")
    return "".join(parts)
