from koshiqon.placement.views import batches, history, models

app_name = "placement"
urlpatterns = models.urlpatterns + history.urlpatterns + batches.urlpatterns
