from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.people_list, name="list"),
    path("register/", views.register, name="register"),
    path("export/", views.people_export_view, name="export"),
    path("candidates/", views.candidates, name="candidates"),
    path("import/", views.import_manifest, name="import"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:person_id>/household/", views.household_add, name="household_add"),
    path("<uuid:person_id>/consent/", views.consent_add, name="consent_add"),
    path("<uuid:person_id>/migrations/", views.migration_add, name="migration_add"),
    path("<uuid:person_id>/documents/", views.document_add, name="document_add"),
]
