from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.forms, name="forms"),
    path("publish", views.publish, name="publish"),
    path("fill/", views.fill_list, name="fill_list"),
    path("fill/<slug:form_id>/", views.fill, name="fill"),
    path("<slug:form_id>/answers.<str:fmt>", views.answers_download, name="answers"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/<uuid:cohort_id>/", views.cohort_detail, name="cohort"),
    path("cohorts/<uuid:cohort_id>/replace", views.cohort_replace, name="cohort_replace"),
]
