from django.urls import path

from trappa.letters import views

app_name = "letters"
urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings_edit, name="settings"),
    path("text/<slug:name>/<str:language>/", views.edit, name="edit"),
    path("text/<slug:name>/<str:language>/preview.pdf", views.preview, name="preview"),
    path("person/<int:person_id>/", views.person_letters, name="person"),
]
