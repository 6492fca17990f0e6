"""Warnings shown before a merge: did the two records already receive the same assistance?
Other domains add checks with `register_overlap_check`."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from parcours.people.models import Person

OVERLAP_CHECKS: list[Callable] = []


def register_overlap_check(fn: Callable) -> Callable:
    OVERLAP_CHECKS.append(fn)
    return fn


@register_overlap_check
def same_scheme_on_both(a: Person, b: Person) -> list[str]:
    """Any record about a person that names an assistance scheme, found on both people."""
    warnings = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete) or rel.many_to_many:
            continue
        model = rel.related_model
        names = {f.name for f in model._meta.get_fields()}
        key = "scheme" if "scheme" in names else ("scheme_code" if "scheme_code" in names else None)
        if key is None:
            continue
        field = rel.field.name
        schemes_a = set(model.objects.filter(**{field: a}).values_list(key, flat=True))
        schemes_b = set(model.objects.filter(**{field: b}).values_list(key, flat=True))
        for scheme in sorted(str(s) for s in schemes_a & schemes_b if s is not None):
            label = scheme
            if key == "scheme":
                target = model._meta.get_field("scheme").related_model
                label = str(target.objects.filter(pk=scheme).values_list("code", flat=True).first() or scheme)
            warnings.append(_("Both records already received assistance “%(scheme)s”: possible double payment.")
                            % {"scheme": label})
    return warnings


def overlap_warnings(a: Person, b: Person) -> list[str]:
    return [w for check in OVERLAP_CHECKS for w in check(a, b)]
