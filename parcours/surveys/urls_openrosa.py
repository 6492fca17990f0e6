from django.urls import path

from . import openrosa

app_name = "openrosa"
urlpatterns = [
    path("formList", openrosa.form_list, name="form_list"),
    path("forms/<slug:form_id>/form.xml", openrosa.form_download, name="form"),
    path("forms/<slug:form_id>/manifest.xml", openrosa.manifest, name="manifest"),
    path("forms/<slug:form_id>/media/<str:filename>", openrosa.media_file, name="media"),
    path("submission", openrosa.submission, name="submission"),
]
