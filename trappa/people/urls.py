from django.urls import path

from trappa.people import import_views, views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:person_id>/", views.person, name="person"),
    path("<int:person_id>/contact/", views.correct_contact_details, name="contact"),
    path("<int:person_id>/access-log/", views.access_log, name="access_log"),
    path("import/", import_views.start_import, name="import"),
]
