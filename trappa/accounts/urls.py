from django.urls import path

from trappa.accounts import admin_views, enrollment_views, role_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("two-factor/", views.verify, name="two_factor"),
    path("two-factor/enroll/", views.enroll, name="enroll"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("users/", admin_views.users, name="users"),
    path("users/new/", admin_views.user_new, name="user_new"),
    path("users/<int:user_id>/", admin_views.user_detail, name="user"),
    path("users/<int:user_id>/active/", admin_views.user_set_active, name="user_set_active"),
    path("users/<int:user_id>/reset-two-factor/", admin_views.user_reset_two_factor, name="user_reset_two_factor"),
    path("users/<int:user_id>/unlock/", admin_views.user_unlock, name="user_unlock"),
    path("users/<int:user_id>/enrollment-code/", enrollment_views.enrollment_code, name="enrollment_code"),
    path("users/<int:user_id>/revoke-role/", admin_views.user_revoke_role, name="user_revoke_role"),
    path("users/<int:user_id>/history/", role_views.user_history, name="user_history"),
    path("roles/", role_views.proposals, name="proposals"),
    path("roles/<int:proposal_id>/decide/", role_views.proposal_decide, name="proposal_decide"),
    path("roles/who-had-access/", role_views.access_report, name="access_report"),
    path("units/", admin_views.units, name="units"),
    path("units/new/", admin_views.unit_new, name="unit_new"),
    path("units/<int:unit_id>/", admin_views.unit_edit, name="unit_edit"),
    path("departments/new/", admin_views.department_new, name="department_new"),
]
