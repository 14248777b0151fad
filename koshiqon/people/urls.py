from django.urls import path

from koshiqon.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("latin/", views.latin_hint, name="latin_hint"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/audit/", views.person_audit, name="person_audit"),
    path("<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("<int:pk>/documents/new/", views.document_create, name="document_create"),
    path("<int:pk>/documents/<int:doc_pk>/archive/", views.document_archive, name="document_archive"),
    path("<int:pk>/families/new/", views.family_create, name="family_create"),
    path("<int:pk>/families/<int:family_pk>/members/new/", views.family_member_add, name="family_member_add"),
]
