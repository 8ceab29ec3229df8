from django.urls import path

from trappa.assessments import views

app_name = "assessments"
urlpatterns = [
    path("<int:person_id>/visits/", views.person_visits, name="person_visits"),
    path("<int:person_id>/visits/new/", views.new_visit, name="new_visit"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit"),
]
