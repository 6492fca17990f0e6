from django.urls import path

from . import views

app_name = "centres"
urlpatterns = [
    path("", views.centre_list, name="list"),
    path("returns/", views.departure_list, name="departures"),
    path("returns/<uuid:departure_id>/", views.departure_detail, name="departure"),
    path("returns/<uuid:departure_id>/manifest.<str:fmt>", views.manifest, name="manifest"),
    path("person/<uuid:person_id>/", views.for_person, name="for_person"),
    path("stays/<uuid:stay_id>/", views.stay_detail, name="stay"),
    path("stays.<str:fmt>", views.stays_download, name="stays_export_all"),
    path("<str:code>/", views.centre_detail, name="detail"),
    path("<str:code>/stays.<str:fmt>", views.stays_download, name="stays_export"),
    path("<str:code>/admit/", views.admit, name="admit"),
    path("<str:code>/settings/", views.centre_settings, name="settings"),
]
