from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from trappa.accounts.routes import public
from trappa.api import views
from trappa.api.views import api_view

app_name = "api"
urlpatterns = [
    # The OpenAPI 3 schema and its reference page show no personal data.
    path("schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path("", views.reference, name="reference"),
    path("token/", api_view(views.TokenView), name="token"),
    path("persons/", api_view(views.PersonListView), name="persons"),
    path("persons/<int:person_id>/", api_view(views.PersonDetailView), name="person"),
    path("register/<str:kind>/", api_view(views.RegisterImportView), name="register"),
    path("offerings/<slug:municipality>/", api_view(views.OfferingListView), name="offerings"),
]
