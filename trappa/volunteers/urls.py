from django.urls import path

from trappa.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.register, name="register"),
]
