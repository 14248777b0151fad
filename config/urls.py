from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from config.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    # The switcher also works on the login page, before anyone has logged in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("people/", include("koshiqon.people.urls")),
    path("jobs/", include("koshiqon.jobs.urls")),
    path("kandas/", include("koshiqon.kandas.urls")),
    path("labour/", include("koshiqon.labour.urls")),
    path("adaptation/", include("koshiqon.adaptation.urls")),
    path("placement/", include("koshiqon.placement.urls")),
    path("analytics/", include("koshiqon.analytics.urls")),
    path("", include("koshiqon.web.urls")),
]
