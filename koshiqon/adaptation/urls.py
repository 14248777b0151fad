from django.urls import path

from koshiqon.adaptation.views import centres, overview, plans

app_name = "adaptation"
urlpatterns = [
    *centres.urlpatterns,
    *plans.urlpatterns,
    path("overview/", overview.overview, name="overview"),
]
