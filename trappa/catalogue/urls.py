from django.urls import path

from trappa.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:municipality>/", views.staircase, name="staircase"),
    path("<slug:municipality>/offering/<slug:code>/", views.offering_detail, name="offering"),
    path("<slug:municipality>/for/<slug:entry>/", views.entry, name="entry"),
]
