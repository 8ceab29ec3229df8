"""Django's admin, for superusers only (operations staff of the deployment).
Day-to-day user administration is the administrator role's pages under
/accounts/users/, which keep each municipality to its own users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Department, Municipality, Unit, User


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "written_standard"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipality"]
    list_filter = ["municipality"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit"]
    list_filter = ["unit__municipality"]
    list_select_related = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "municipality", "unit", "is_active"]
    list_filter = ["municipality", "role", "is_active", "is_superuser"]
    list_select_related = ["municipality", "unit"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Trappa"), {"fields": ["municipality", "unit", "department", "role", "oidc_subject"]}),
    ]
