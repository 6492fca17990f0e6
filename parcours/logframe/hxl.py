"""The indicators as HXL-tagged CSV: a header row people read, a hashtag row HXL tools read.
`results` are `selectors.Result`s."""

import io

from django.utils.translation import gettext as _

from parcours.core.spreadsheets import safe_csv_writer

HASHTAGS = ["#indicator+code", "#indicator+name", "#sector+objective", "#indicator+unit", "#indicator+num+baseline",
            "#targeted+num", "#reached+num", "#date+start", "#date+end", "#country+code", "#indicator+disaggregation",
            "#indicator+disaggregation+value"]


def indicators_csv(results: list, *, start, end, country: str = "ML") -> bytes:
    out = io.StringIO()
    w = safe_csv_writer(out)
    w.writerow([_("Indicator code"), _("Indicator"), _("Objective"), _("Unit"), _("Baseline"), _("Target"),
                _("Value"), _("From"), _("To"), _("Country"), _("Breakdown"), _("Breakdown value")])
    w.writerow(HASHTAGS)
    for r in results:
        i = r.indicator
        base = [i.code, i.label, i.objective.code, i.unit, i.baseline, r.target if r.target is not None else ""]
        period = [start.isoformat() if start else "", end.isoformat(), country]
        w.writerow([*base, r.value, *period, "", ""])
        for dim, values in r.disaggregations.items():
            for key, n in values.items():
                w.writerow([*base, n, *period, dim, key])
    return out.getvalue().encode("utf-8")
