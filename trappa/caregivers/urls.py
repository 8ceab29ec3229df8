from django.urls import path

from trappa.caregivers import views

app_name = "caregivers"
# The worklist comes last on purpose: the route matrix walks routes in this order, and its link factory
# (tests/caregivers/route_kwargs.py) makes the child caregiver the worklist then shows.
urlpatterns = [
    path("person/<int:person_id>/", views.recipient, name="recipient"),
    path("link/<int:link_id>/", views.link, name="link"),
    path("link/<int:link_id>/shared/", views.shared, name="shared"),
    path("link/<int:link_id>/respite-letter/", views.respite_letter, name="respite_letter"),
    path("link/<int:link_id>/mapping/", views.add_mapping, name="add_mapping"),
    path("link/<int:link_id>/consent/", views.set_consent, name="consent"),
    path("link/<int:link_id>/information/", views.add_information, name="add_information"),
    path("link/<int:link_id>/agreement/", views.add_agreement, name="add_agreement"),
    path("link/<int:link_id>/note/", views.add_note, name="add_note"),
    path("agreement/<int:agreement_id>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("contacts/", views.contacts, name="contacts"),
    path("", views.worklist, name="worklist"),
]
