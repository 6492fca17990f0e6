from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("<uuid:activity_id>/", views.activity_detail, name="detail"),
    path("<uuid:activity_id>/edit/", views.activity_edit, name="edit"),
    path("<uuid:activity_id>/cancel/", views.activity_cancel, name="cancel"),
]
