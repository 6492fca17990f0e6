"""Why two records may be the same person, in words a reception agent reads at a glance."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import override

from .prepare import Prepared


def _year_text(p: Prepared, i: int) -> str:
    d = int(p.date[i])
    if d:
        return f"{d % 100:02d}/{d // 100 % 100:02d}/{d // 10000}"
    return str(int(p.year[i]))


def _place(p: Prepared, i: int, field: str) -> str:
    if p.raw:
        return str(p.raw[i].get(f"origin_{field}") or "")
    return p.text[field][i].title()


def explain(p: Prepared, a: int, b: int, levels, swapped: bool, fields: list[str], language: str = "fr") -> list[str]:
    """Reasons for pair (a, b), strongest first. `levels` is that pair's row of the comparison matrix."""
    lv = dict(zip(fields, (int(x) for x in levels), strict=False))
    raw_given = (p.raw[a].get("given_name", "") if p.raw else p.text["given"][a],
                 p.raw[b].get("given_name", "") if p.raw else p.text["given"][b])
    raw_family = (p.raw[a].get("family_name", "") if p.raw else p.text["family"][a],
                  p.raw[b].get("family_name", "") if p.raw else p.text["family"][b])
    out: list[str] = []
    with override(language):
        if lv.get("doc") == 0:
            out.append(_("same identity document number"))
        elif lv.get("doc") == 1:
            out.append(_("identity document number one character off"))
        if lv.get("phone") == 0 and lv.get("given") == 4 and not swapped:
            out.append(_("same phone, different given names: probably a household member"))
        elif lv.get("phone") == 0 and (lv.get("sex") == 1 or lv.get("birth", 0) >= 6):
            out.append(_("same phone, but another sex or birth years far apart: probably a household member"))
        elif lv.get("phone") == 0:
            out.append(_("same phone"))
        if swapped:
            out.append(_("given and family names written the other way round"))
        for name, (x, y) in (("given", raw_given), ("family", raw_family)):
            level = lv.get(name)
            if level == 0 and not swapped:
                out.append(_("same name: %(name)s") % {"name": x})
            elif level == 1:
                out.append(_("%(a)s ≈ %(b)s (same name, another spelling)") % {"a": x, "b": y})
            elif level == 2:
                out.append(_("%(a)s ≈ %(b)s (sounds alike)") % {"a": x, "b": y})
            elif level == 3:
                out.append(_("%(a)s ~ %(b)s (close spelling)") % {"a": x, "b": y})
        birth = lv.get("birth")
        if birth == 0:
            out.append(_("same date of birth (%(date)s)") % {"date": _year_text(p, a)})
        elif birth == 1:
            out.append(_("date of birth with day and month swapped (%(a)s / %(b)s)") % {
                "a": _year_text(p, a), "b": _year_text(p, b)})
        elif birth == 2:
            out.append(_("born in %(year)s (year only on one record)") % {"year": int(p.year[a] or p.year[b])})
        elif birth == 3:
            out.append(_("born the same year (%(year)s)") % {"year": int(p.year[a])})
        elif birth in (4, 5):
            out.append(_("born %(a)s and %(b)s: an approximate age?") % {"a": int(p.year[a]), "b": int(p.year[b])})
        origin = lv.get("origin")
        if origin == 0:
            out.append(_("same commune of origin (%(place)s)") % {"place": _place(p, a, "commune")})
        elif origin == 1:
            out.append(_("same cercle of origin (%(place)s)") % {"place": _place(p, a, "cercle")})
        if lv.get("return") == 0:
            day = p.returned[a]
            out.append(_("same date of return (%(date)s)") % {
                "date": dt.date.fromordinal(int(day)).strftime("%d/%m/%Y")})
        if lv.get("phone") == 1:
            out.append(_("phone numbers one digit apart (a typo?)"))
        elif lv.get("phone") == 2:
            out.append(_("different phones"))
        if lv.get("sex") == 1:
            out.append(_("different sex recorded"))
    return out
