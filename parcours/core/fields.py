"""Form fields shared by every domain's validators."""

import re

from django import forms

# How people write thousands: "300 000", with a space, a no-break space (U+00A0), the narrow
# no-break space French typography uses (U+202F) or a thin space (U+2009).
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009\u2007]")


def whole_number_text(value: str) -> str:
    """The digits of a whole number as people write it ("300 000" → "300000")."""
    return _GROUPING.sub("", value)


class WholeNumberField(forms.IntegerField):
    """A whole number (an amount in XOF, a count, days) as people write it: "300 000" is 300000.
    A text box with the phone's number keypad, since a number box refuses the spaces."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value):
        if isinstance(value, str):
            value = whole_number_text(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # min/max stay checked on the server; a text box has no use for them.
        return {k: v for k, v in super().widget_attrs(widget).items() if k not in ("min", "max", "step")}
