from django.contrib import admin
from django.urls import include, path

from trappa import views

urlpatterns = [
    path("", views.home, name="home"),
    path("workday/", views.workday, name="workday"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("trappa.accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("people/", include("trappa.people.urls")),
    path("access/", include("trappa.audit.urls")),
    path("jobs/", include("trappa.jobs.urls")),
    path("offerings/", include("trappa.catalogue.urls")),
    path("letters/", include("trappa.letters.urls")),
    path("outreach/", include("trappa.outreach.urls")),
    path("assessments/", include("trappa.assessments.urls")),
    path("referrals/", include("trappa.referrals.urls")),
    path("caregivers/", include("trappa.caregivers.urls")),
    path("respite/", include("trappa.respite.urls")),
    path("planning/", include("trappa.planning.urls")),
    path("activity/", include("trappa.activity.urls")),
    path("volunteers/", include("trappa.volunteers.urls")),
    path("day-care/", include("trappa.daycare.urls")),
    path("api/", include("trappa.api.urls")),
    path("fhir/", include("trappa.api.fhir.urls")),
    path("citizen-copy/", include("trappa.api.copy_urls")),
    path("django-admin/", admin.site.urls),
]
