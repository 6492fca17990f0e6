from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("export/", views.activity_export, name="export"),
    path("<uuid:activity_id>/", views.activity_detail, name="detail"),
    path("<uuid:activity_id>/edit/", views.activity_edit, name="edit"),
    path("<uuid:activity_id>/cancel/", views.activity_cancel, name="cancel"),
    path("<uuid:activity_id>/followup/", views.activity_followup, name="followup"),
    path("<uuid:activity_id>/perception/", views.activity_perception, name="perception"),
    path("<uuid:activity_id>/participants/new/", views.participant_new, name="participant_new"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/calls/new/", views.call_new, name="call_new"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/calls/<uuid:call_id>/close/", views.call_close, name="call_close"),
    path("grants/<uuid:grant_id>/edit/", views.grant_edit, name="grant_edit"),
    path("grants/<uuid:grant_id>/", views.grant_detail, name="grant"),
    path("grants/<uuid:grant_id>/reports/<int:report_id>/received/", views.report_received, name="report_received"),
]
