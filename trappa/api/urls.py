from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from trappa.accounts.routes import public
from trappa.api import client_views, enrollments, records, views
from trappa.api.views import api_view

app_name = "api"
urlpatterns = [
    # The OpenAPI 3 schema and its reference page show no personal data.
    path("schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path("", views.reference, name="reference"),
    path("token/", api_view(views.TokenView), name="token"),
    path("clients/", client_views.client_list, name="clients"),
    path("clients/<int:client_id>/", client_views.client_action, name="client"),
    path("persons/", api_view(views.PersonListView), name="persons"),
    path("persons/<int:person_id>/", api_view(views.PersonDetailView), name="person"),
    path("register/<str:kind>/", api_view(views.RegisterImportView), name="register"),
    path("offerings/<slug:municipality>/", api_view(views.OfferingListView), name="offerings"),
    path("worklist/", api_view(records.WorklistView), name="worklist"),
    path("persons/<int:person_id>/contacts/", api_view(records.ContactsView), name="contacts"),
    path("persons/<int:person_id>/visits/", api_view(records.VisitsView), name="visits"),
    path("persons/<int:person_id>/screenings/", api_view(records.ScreeningsView), name="screenings"),
    path("persons/<int:person_id>/referrals/", api_view(records.ReferralsView), name="referrals"),
    path("referrals/<int:referral_id>/status/", api_view(records.ReferralStatusView), name="referral-status"),
    path("groups/<int:group_id>/enrollments/", api_view(enrollments.GroupEnrollmentsView), name="group-enrollments"),
    path("enrollments/<int:enrollment_id>/step/", api_view(enrollments.EnrollmentStepView), name="enrollment-step"),
    path("planning/projections/", api_view(records.ProjectionsView), name="projections"),
    path("planning/runs/", api_view(records.RunsView), name="runs"),
    path("planning/runs/<int:run_id>/", api_view(records.RunDetailView), name="run"),
]
