from django.urls import path

from trappa.respite import views

app_name = "respite"
# The bed calendar comes first on purpose: the route matrix walks routes in this order, and its bed
# factory (tests/respite/route_kwargs.py) makes the plan the plan page then shows.
urlpatterns = [
    path("beds/<int:bed_id>/", views.bed_calendar, name="bed"),
    path("", views.plan, name="plan"),
    path("run/", views.run, name="run"),
    path("capacity/", views.capacity_scenario, name="capacity"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/decisions/", views.add_decision, name="add_decision"),
    path("person/<int:person_id>/bookings/", views.add_booking, name="add_booking"),
    path("person/<int:person_id>/letter/", views.letter, name="letter"),
    path("stays/<int:stay_id>/move/", views.move_stay, name="move_stay"),
]
