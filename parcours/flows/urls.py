from django.urls import path

from . import views

app_name = "flows"
urlpatterns = [
    path("", views.point_list, name="points"),
    path("national/", views.national_report, name="national"),
    path("quality/", views.quality_page, name="quality"),
    path("quality/check/", views.quality_check, name="quality_check"),
    path("import/", views.sheets_import, name="import"),
    path("reports/", views.file_list, name="files"),
    path("reports/generate/", views.report_generate, name="generate"),
    path("reports/<uuid:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("files/<uuid:file_id>/pdf/", views.file_pdf, name="file_pdf"),
    path("<str:code>/count/", views.count_entry, name="count"),
    path("<str:code>/tally/", views.tally_entry, name="tally"),
    path("<str:code>/report/", views.point_report, name="report"),
    path("<str:code>/report/publish/", views.report_publish, name="publish"),
]
