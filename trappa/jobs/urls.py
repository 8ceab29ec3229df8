from django.urls import path

from trappa.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:job_id>/", views.job_detail, name="job"),
    path("<int:job_id>/progress/", views.job_progress, name="progress"),
]
