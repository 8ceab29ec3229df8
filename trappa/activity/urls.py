from django.urls import path

from trappa.activity import views, welfare

app_name = "activity"
urlpatterns = [
    path("statistics/", views.report, name="statistics"),
    path("person/<int:person_id>/welfare-technology/", welfare.person_technology, name="welfare_technology"),
    path("person/<int:person_id>/welfare-technology/add/", welfare.add_technology, name="add_welfare_technology"),
    path("welfare-technology/import/", welfare.import_file, name="import_welfare_technology"),
    path("welfare-technology/<int:technology_id>/end/", welfare.end_technology, name="end_welfare_technology"),
]
