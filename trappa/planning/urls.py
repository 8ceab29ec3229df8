from django.urls import path, re_path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.index, name="index"),
    path("projections/upload/", views.upload, name="upload"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    re_path(r"^runs/(?P<run_id>\d+)/export\.(?P<fmt>csv|xlsx|pdf)$", views.export, name="export"),
    path("compare/", views.compare, name="compare"),
]
