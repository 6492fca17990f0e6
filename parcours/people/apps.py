from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "parcours.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import exports, imports  # noqa: F401  (register the export and the import job)
        from .events import register_people_kinds

        register_people_kinds()
        from parcours.core.imports import register_importer

        register_importer("people", required=("flight",),
                          run=lambda *, by, content, filename, flight, **_options: imports.import_people(
                              by=by, content=content, filename=filename, source=flight))
        from . import models as m

        # Every change to every registry record keeps who, when and old -> new.
        auditlog.register(m.Person, exclude_fields=["search_text", "updated_at", "created_at", "mk_family",
                                                     "mk_given", "mk_family_phon", "mk_given_phon", "mk_phone",
                                                     "mk_doc"])
        for model in (m.IdentityDocument, m.ExternalReference, m.HouseholdMember, m.MigrationHistory, m.Consent,
                      m.AgencyAccess):
            auditlog.register(model)
