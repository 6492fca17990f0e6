from django.urls import path

from . import views

app_name = "logframe"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("budget/", views.budget, name="budget"),
    path("indicators.xlsx", views.indicators_xlsx, name="xlsx"),
    path("reports/", views.reports, name="reports"),
    path("reports/<uuid:report_id>/pdf", views.report_pdf, name="report_pdf"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("indicators/<str:code>/edit", views.indicator_edit, name="indicator_edit"),
]
