from django.urls import path

from trappa.referrals import mapping_views, plan_views, reports, views

app_name = "referrals"
urlpatterns = [
    path("<int:person_id>/", views.person_referrals, name="person"),
    path("<int:person_id>/new/", views.new_referral, name="new"),
    path("<int:person_id>/enroll/", views.enroll_person, name="enroll_person"),
    path("r/<int:referral_id>/", views.referral_detail, name="referral"),
    path("r/<int:referral_id>/status/", views.change_status, name="status"),
    path("r/<int:referral_id>/measurement/", views.record_measurement, name="measurement"),
    path("r/<int:referral_id>/plan/", views.pathway_details, name="pathway_details"),
    path("r/<int:referral_id>/physiotherapy/", views.physiotherapy, name="physiotherapy"),
    path("<int:person_id>/mapping/", mapping_views.new_mapping, name="new_mapping"),
    path("mapping/<int:mapping_id>/", mapping_views.mapping_detail, name="mapping"),
    path("mapping/<int:mapping_id>/refer/", mapping_views.refer_from_mapping, name="refer_from_mapping"),
    path("waitlists/", views.waitlists, name="waitlists"),
    path("waitlist/<int:offering_id>/", views.waitlist, name="waitlist"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.new_group, name="new_group"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("groups/<int:group_id>/enroll/<int:person_id>/", views.enroll, name="enroll"),
    path("groups/<int:group_id>/unpaid-fees/", views.unpaid_fees, name="unpaid_fees"),
    path("enrollments/<int:enrollment_id>/fee/", views.fee, name="fee"),
    path("enrollments/<int:enrollment_id>/withdraw/", views.withdraw, name="withdraw"),
    path("enrollments/<int:enrollment_id>/accept/", views.accept, name="accept"),
    path("enrollments/<int:enrollment_id>/decline/", views.decline, name="decline"),
    path("enrollments/<int:enrollment_id>/complete/", views.complete, name="complete"),
    path("groups/<int:group_id>/complete/", views.complete_group, name="complete_group"),
    path("enrollments/<int:enrollment_id>/offer.pdf", views.offer_letter, name="offer_letter"),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("<int:person_id>/plans/", plan_views.person_plans, name="plans"),
    path("plans/<int:plan_id>/", plan_views.plan_detail, name="plan"),
    path("coordinators/", plan_views.coordinator_workload, name="workload"),
    path("report/", reports.report, name="report"),
]
