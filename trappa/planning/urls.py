from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.index, name="index"),
    path("projections/upload/", views.upload, name="upload"),
    path("projections/derive/", views.derive, name="derive"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/export.csv", views.export_csv, name="export_csv"),
    path("runs/<int:run_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("runs/<int:run_id>/report.pdf", views.export_pdf, name="export_pdf"),
    path("runs/<int:run_id>/sensitivity/", views.run_sensitivity, name="sensitivity"),
    path("compare/", views.compare, name="compare"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("kostra/", views.kostra_comparison, name="kostra"),
]
