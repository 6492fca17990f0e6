"""Server-side SVG charts: presentation attributes only (the CSP allows no inline style or script)."""

from django.utils.html import escape


def line_chart(points: list[dict], series: list[tuple[str, str, str]], *, width: int = 720, height: int = 240,
               y_label: str = "") -> str:
    """`points`: [{"month": "2019-10", key: value…}]; `series`: [(key, label, colour)]. A None value
    (a month without data) breaks the line rather than drawing a false zero."""
    if not points or all(p[key] is None for p in points for key, _l, _c in series):
        return ""
    left, right, top, bottom = 44, 12, 30, 40
    top_value = max(p[key] for p in points for key, _l, _c in series if p[key] is not None) or 1
    step = (width - left - right) / max(len(points) - 1, 1)

    def x(i):
        return left + i * step

    def y(v):
        return top + (height - top - bottom) * (1 - v / top_value)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(y_label)}" width="100%">']
    for frac in (0, 0.5, 1):
        value = top_value * frac
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="#d8dde6" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="#5b6475">{value:.0f}</text>')
    every = max(1, len(points) // 8)
    for i, p in enumerate(points):
        if i % every == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 22}" font-size="11" text-anchor="middle" '
                         f'fill="#5b6475">{escape(p["month"])}</text>')
    for n, (key, label, colour) in enumerate(series):
        for run in _runs([(i, p[key]) for i, p in enumerate(points)]):
            coords = " ".join(f"{x(i):.1f},{y(value):.1f}" for i, value in run)
            if len(run) == 1:
                parts.append(f'<circle cx="{x(run[0][0]):.1f}" cy="{y(run[0][1]):.1f}" r="3" fill="{colour}"/>')
            else:
                parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<rect x="{left + n * 170}" y="{height - 12}" width="12" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{left + 16 + n * 170}" y="{height - 7}" font-size="11" fill="#1d2433">'
                     f'{escape(str(label))}</text>')
    parts.append(f'<text x="4" y="12" font-size="11" fill="#5b6475">{escape(y_label)}</text></svg>')
    return "".join(parts)


def _runs(values: list[tuple[int, float | None]]) -> list[list[tuple[int, float]]]:
    """Consecutive non-empty values, each run drawn as one line."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, value in values:
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, value))
    return [r for r in runs if r]


def bar_chart(bars: list[tuple[str, int, int]], *, width: int = 720, height: int = 260, label: str = "") -> str:
    """Horizontal bars, one per row: (label, total, of which over target). The over-target part is
    drawn in the warning colour so the backlog reads at a glance."""
    if not bars:
        return ""
    left, right, top, row = 200, 60, 8, 28
    height = top + row * len(bars) + 28
    top_value = max(total for _l, total, _o in bars) or 1
    scale = (width - left - right) / top_value
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(label)}" width="100%">']
    for i, (name, total, over) in enumerate(bars):
        y = top + i * row
        parts.append(f'<text x="{left - 8}" y="{y + 16}" font-size="12" text-anchor="end" fill="#1d2433">'
                     f'{escape(str(name))}</text>')
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{total * scale:.1f}" height="16" fill="#0b5c8a"/>')
        if over:
            parts.append(f'<rect x="{left}" y="{y + 4}" width="{over * scale:.1f}" height="16" fill="#c2410c"/>')
        parts.append(f'<text x="{left + total * scale + 6:.1f}" y="{y + 16}" font-size="12" fill="#1d2433">'
                     f'{total}</text>')
    return "".join(parts) + "</svg>"


def legend(items: list[tuple[str, str]], *, width: int = 720) -> str:
    """A one-line legend: [(label, colour)]."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 20" width="100%" aria-hidden="true">']
    for n, (label, colour) in enumerate(items):
        parts.append(f'<rect x="{200 + n * 200}" y="6" width="12" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{216 + n * 200}" y="15" font-size="12" fill="#1d2433">{escape(str(label))}</text>')
    return "".join(parts) + "</svg>"
