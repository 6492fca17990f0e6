from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.forms, name="forms"),
    path("publish", views.publish, name="publish"),
]
