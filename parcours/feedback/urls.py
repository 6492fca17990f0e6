from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.complaint_new, name="new"),  # ?person=<uuid>
    path("register/", views.register_page, name="register"),
    path("register/export/", views.register_export, name="register_export"),
    path("public/", views.public_form, name="public"),
    path("public/thanks/<str:reference>/", views.public_thanks, name="public_thanks"),
    path("public/track/", views.public_track, name="public_track"),
    path("<uuid:complaint_id>/", views.complaint_detail, name="detail"),
    path("<uuid:complaint_id>/<slug:action>/", views.complaint_act, name="act"),
]
