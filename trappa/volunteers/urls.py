from django.urls import path

from trappa.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.register, name="register"),
    path("assignments/", views.assignments, name="assignments"),
    path("hours/", views.hours, name="hours"),
    path("meeting-points/", views.meeting_points, name="meeting_points"),
    path("person/<int:person_id>/", views.person_friends, name="person"),
]
