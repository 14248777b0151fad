from koshiqon.labour.views import employers, exchange, household, permits, quota

app_name = "labour"
urlpatterns = quota.urlpatterns + employers.urlpatterns + exchange.urlpatterns + permits.urlpatterns + household.urlpatterns
