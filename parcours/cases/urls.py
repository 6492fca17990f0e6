from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("queue/", views.queue_dashboard, name="queue"),
    path("arrivals/", views.arrivals, name="arrivals"),
    path("arrivals/<str:flight>/", views.arrival_flight, name="arrival_flight"),
    path("targets/", views.targets_edit, name="targets"),
    path("reminders/<int:reminder_id>/dismiss/", views.reminder_dismiss, name="reminder_dismiss"),
    path("person/<uuid:person_id>/", views.for_person, name="for_person"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/<str:step>/", views.case_step, name="step"),
]
