from koshiqon.labour.views import employers, exchange, home, household, ministry, permit_life, permits, quota

app_name = "labour"
urlpatterns = quota.urlpatterns + employers.urlpatterns + exchange.urlpatterns + permits.urlpatterns + household.urlpatterns
urlpatterns += home.urlpatterns + permit_life.urlpatterns + ministry.urlpatterns
