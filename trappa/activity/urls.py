from django.urls import path

from trappa.activity import views

app_name = "activity"
urlpatterns = [
    path("statistics/", views.report, name="statistics"),
]
