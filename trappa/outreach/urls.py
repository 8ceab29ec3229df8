from django.urls import path

from trappa.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.worklist_page, name="worklist"),
    path("<int:person_id>/", views.person_page, name="person"),
    path("<int:person_id>/contacts/", views.add_contact, name="add_contact"),
    path("<int:person_id>/assign/", views.assign, name="assign"),
]
urlpatterns += [
    path("build/", views.build, name="build"),
    path("export.csv", views.export, name="export"),
    path("acceptance/", views.acceptance, name="acceptance"),
    path("<int:person_id>/letter.pdf", views.letter, name="letter"),
    path("<int:person_id>/reminder.pdf", views.reminder, name="reminder"),
]
urlpatterns += [
    path("letters/", views.start_letters, name="start_letters"),
    path("letters/confirm/", views.confirm_letters, name="confirm_letters"),
    path("letters/<int:letters_job_id>/", views.download_letters, name="download_letters"),
    path("medicine-lists/import/", views.import_medicine_lists, name="import_medicine_lists"),
]
