from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),  # ?person=<uuid> (linked from the person page)
    path("inbox/", views.inbox, name="inbox"),
    path("figures/", views.stats, name="stats"),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_edit, name="service_new"),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("services/<uuid:service_id>/edit/", views.service_edit, name="service_edit"),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("<uuid:referral_id>/transition/", views.referral_transition, name="transition"),
    path("<uuid:referral_id>/attendance/", views.attendance_record, name="attendance"),
]
