from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("to-confirm/", views.unresolved, name="unresolved"),
    path("to-confirm/<int:note_id>/confirm", views.confirm, name="confirm"),
]
