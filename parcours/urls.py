from django.urls import include, path
from django.views.i18n import set_language

from parcours.core import views as core_views
from parcours.core.api import api
from parcours.people.api import router as people_router

api.add_router("/people", people_router)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", core_views.home, name="home"),
    path("", include("parcours.accounts.urls")),
    path("people/", include("parcours.people.urls")),
    path("jobs/", include("parcours.jobs.urls")),
    path("audit/", include("parcours.audit.urls")),
]
