from django.urls import path

from trappa.catalogue import plan_views, staff_views, views

app_name = "catalogue"
urlpatterns = [
    path("", views.index, name="index"),
    # Staff pages come before the municipality slug so "manage" is never read as one.
    path("manage/", staff_views.manage, name="manage"),
    path("manage/offering/new/", staff_views.offering_edit, name="offering_new"),
    path("manage/offering/<slug:code>/", staff_views.offering_edit, name="offering_edit"),
    path("manage/offering/<slug:code>/costs/", staff_views.offering_costs, name="offering_costs"),
    path("manage/offering/<slug:code>/history/", staff_views.offering_history, name="offering_history"),
    path("manage/step/<slug:code>/", staff_views.step_edit, name="step_edit"),
    path("manage/caregivers/", staff_views.caregiver_edit, name="caregiver_edit"),
    path("manage/location/new/", staff_views.location_edit, name="location_new"),
    path("manage/location/<slug:code>/", staff_views.location_edit, name="location_edit"),
    path("plans/", plan_views.plan_list, name="plans"),
    path("plans/effort/", plan_views.effort, name="effort"),
    path("plans/<slug:code>/", plan_views.plan_detail, name="plan"),
    path("plans/<slug:code>/revise/", plan_views.plan_revise, name="plan_revise"),
    path("plans/<slug:code>/<int:year>/", plan_views.plan_detail, name="plan_year"),
    path("plans/<slug:code>/<int:year>/xlsx/", plan_views.plan_xlsx, name="plan_xlsx"),
    path("plans/<slug:code>/<int:year>/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path("plans/<slug:code>/<int:year>/measure/new/", plan_views.measure_edit, name="measure_new"),
    path("plans/<slug:code>/<int:year>/measure/<slug:measure>/", plan_views.measure_edit, name="measure_edit"),
    path("<slug:municipality>/", views.staircase, name="staircase"),
    path("<slug:municipality>/offering/<slug:code>/", views.offering_detail, name="offering"),
    path("<slug:municipality>/for/<slug:entry>/", views.entry, name="entry"),
]
