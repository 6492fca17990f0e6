"""The navigation a user sees depends on their role; computed once here, not in templates."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from parcours.accounts.roles import ACCOUNT_ADMINS, AUDIT_READERS, IMPORTERS, PEOPLE_READERS, REGISTRARS, can

# (url name, label, roles allowed). Other domains append their entries in their AppConfig.ready().
NAV: list[tuple[str, object, set]] = [
    ("people:list", _("People"), PEOPLE_READERS),
    ("people:register", _("Register"), REGISTRARS),
    ("people:import", _("Import a manifest"), IMPORTERS),
    ("jobs:list", _("Jobs"), IMPORTERS),
    ("audit:log", _("Audit"), AUDIT_READERS),
    ("account_users", _("Accounts"), ACCOUNT_ADMINS),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav": []}
    items = []
    for name, label, roles in NAV:
        if can(user, roles):
            try:
                items.append({"url": reverse(name), "label": label, "active": False})
            except NoReverseMatch:
                continue
    # Highlight the entry whose address is the longest prefix of this page's.
    matching = [i for i in items if request.path.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return {"nav": items}
