from django.urls import include, path
from django.views.i18n import set_language

from parcours.assistance.api import eligibility_router
from parcours.assistance.api import router as assistance_router
from parcours.cases.api import router as cases_router
from parcours.centres.api import avr_router
from parcours.centres.api import router as centres_router
from parcours.core import views as core_views
from parcours.core.api import api
from parcours.dedup.api import router as dedup_router
from parcours.feedback.api import router as feedback_router
from parcours.flows.api import router as flows_router
from parcours.jobs.api import router as jobs_router
from parcours.logframe.api import reports_router
from parcours.logframe.api import router as logframe_router
from parcours.outreach.api import router as outreach_router
from parcours.people.api import router as people_router
from parcours.referrals.api import router as referrals_router
from parcours.surveys.api import router as surveys_router

# Each domain owns its routes under /api/v1/.
api.add_router("/people", people_router)
api.add_router("/jobs", jobs_router)
api.add_router("/cases", cases_router)
api.add_router("/assistance", assistance_router)
api.add_router("/people", eligibility_router)  # GET /people/{id}/eligibility (CONTRACT.md)
api.add_router("/referrals", referrals_router)
api.add_router("/duplicates", dedup_router)
api.add_router("/indicators", logframe_router)
api.add_router("/reports", reports_router)
api.add_router("/sensitization", outreach_router)
api.add_router("/centres", centres_router)
api.add_router("/avr", avr_router)
api.add_router("/complaints", feedback_router)
api.add_router("/flows", flows_router)
api.add_router("/surveys", surveys_router)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", core_views.home, name="home"),
    path("", include("parcours.accounts.urls")),
    path("people/", include("parcours.people.urls")),
    path("jobs/", include("parcours.jobs.urls")),
    path("audit/", include("parcours.audit.urls")),
    path("cases/", include("parcours.cases.urls")),
    path("assistance/", include("parcours.assistance.urls")),
    path("referrals/", include("parcours.referrals.urls")),
    path("duplicates/", include("parcours.dedup.urls")),
    path("places/", include("parcours.places.urls")),
    path("centres/", include("parcours.centres.urls")),
    path("results/", include("parcours.logframe.urls")),
    path("questionnaires/", include("parcours.surveys.urls")),
    path("openrosa/", include("parcours.surveys.urls_openrosa")),
    path("sensitization/", include("parcours.outreach.urls")),
    path("complaints/", include("parcours.feedback.urls")),
    path("flows/", include("parcours.flows.urls")),
]

# Error pages: the app's own, with the menu when signed in, in the user's language, a way back.
handler403 = "parcours.core.views.forbidden"
handler404 = "parcours.core.views.not_found"
handler500 = "parcours.core.views.server_error"
