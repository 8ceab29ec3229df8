from django.urls import path

from trappa.audit import views

app_name = "audit"
urlpatterns = [
    path("review/", views.review, name="review"),
    path("emergency/<int:person_id>/", views.emergency_access, name="emergency_access"),
]
