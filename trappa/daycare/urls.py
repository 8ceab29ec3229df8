from django.urls import path

from trappa.daycare import views

app_name = "daycare"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_place, name="new"),
    path("<int:place_id>/places/", views.capacity, name="capacity"),
    path("person/<int:person_id>/", views.person_days, name="person_days"),
]
