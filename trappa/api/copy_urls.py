from django.urls import path

from trappa.api import copy_views

app_name = "citizen_copy"
urlpatterns = [
    path("<int:person_id>/", copy_views.citizen_copy, name="copy"),
]
