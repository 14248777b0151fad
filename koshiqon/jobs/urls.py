from django.urls import path

from koshiqon.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("import-persons/", views.person_import, name="person_import"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
]
