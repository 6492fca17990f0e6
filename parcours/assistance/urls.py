from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("schemes/<slug:code>/", views.scheme_detail, name="scheme"),
    path("schemes/<slug:code>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<slug:code>/count/", views.scheme_count_job, name="scheme_count_job"),
    path("people/<uuid:person_id>/", views.person_panel, name="person"),
    path("people/<uuid:person_id>/pay/", views.payment_add, name="payment_add"),
    path("people/<uuid:person_id>/visit/", views.visit_add, name="visit_add"),
    path("people/<uuid:person_id>/attendance/", views.attendance_add, name="attendance_add"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.ledger_export, name="ledger_export"),
    path("ledger/<uuid:entry_id>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("ledger/<uuid:entry_id>/proof/", views.entry_proof, name="entry_proof"),
]
