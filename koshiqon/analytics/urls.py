from django.urls import path

from koshiqon.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.overview, name="overview"),
]
