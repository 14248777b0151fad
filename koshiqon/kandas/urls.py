from koshiqon.kandas.views import applications, selection

app_name = "kandas"
urlpatterns = applications.urlpatterns + selection.urlpatterns
