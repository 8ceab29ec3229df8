from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.base import AccountsTestCase
from trappa.accounts.models import Department, Role, Unit, User


class UserAdminTestCase(AccountsTestCase):
    def setUp(self):
        self.login(self.administrator)
        self.na_admin = self.make_user("nils", Role.ADMINISTRATOR, None, municipality=self.nord_aurdal)

    def new_user_data(self, **changes):
        data = {
            "username": "nina",
            "first_name": "Nina",
            "last_name": "Nygård",
            "email": "",
            "role": Role.NURSE,
            "unit": self.health.id,
            "department": self.health_station.id,
            "oidc_subject": "",
            "password": "a long enough passphrase for nina",
            "reason": "Nina starts at the health station on Monday.",
        }
        data.update(changes)
        return data


class UserListTest(UserAdminTestCase):
    def test_it_lists_the_users_of_the_own_municipality_only(self):
        response = self.client.get("/accounts/users/")
        self.assertContains(response, "alice")
        self.assertContains(response, "Helsetjenesten")
        self.assertNotContains(response, "charlie")
        self.assertNotContains(response, "nils")

    def test_it_shows_who_has_no_two_factor_yet(self):
        response = self.client.get("/accounts/users/")
        self.assertContains(response, "No two-factor yet")

    def test_a_nurse_gets_403(self):
        self.login(self.alice)
        for path in ("/accounts/users/", "/accounts/users/new/", f"/accounts/users/{self.bob.id}/", "/accounts/units/"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 403)
        response = self.client.post(f"/accounts/users/{self.bob.id}/active/", {"active": "0"})
        self.assertEqual(response.status_code, 403)
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.is_active)

    def test_a_planner_and_a_unit_leader_get_403(self):
        for user in (self.planner, self.unit_leader):
            self.login(user)
            self.assertEqual(self.client.get("/accounts/users/").status_code, 403)

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self):
        self.client.logout()
        response = self.client.get("/accounts/users/")
        self.assertRedirects(response, "/accounts/login/?next=/accounts/users/", fetch_redirect_response=False)


class CreateUserTest(UserAdminTestCase):
    def test_it_creates_a_user_in_the_own_municipality(self):
        response = self.client.post("/accounts/users/new/", self.new_user_data())
        nina = User.objects.get(username="nina")
        self.assertRedirects(response, f"/accounts/users/{nina.id}/", fetch_redirect_response=False)
        self.assertEqual(nina.municipality, self.vefsn)
        # The role waits for approval (tests/accounts/test_role_approval.py): the department comes with it.
        self.assertEqual(nina.role_proposals.get().department, self.health_station)
        self.assertTrue(nina.check_password("a long enough passphrase for nina"))
        self.assertIsNone(nina.oidc_subject)

    def test_it_creates_a_provider_only_user_without_a_password(self):
        data = self.new_user_data(password="", oidc_subject=" helseid-nina ")
        self.client.post("/accounts/users/new/", data)
        nina = User.objects.get(username="nina")
        self.assertFalse(nina.has_usable_password())
        self.assertEqual(nina.oidc_subject, "helseid-nina")

    def test_it_wants_a_password_or_a_provider_subject(self):
        response = self.client.post("/accounts/users/new/", self.new_user_data(password=""))
        self.assertTrue(response.context["form"].errors["password"])
        self.assertFalse(User.objects.filter(username="nina").exists())

    def test_it_rejects_a_weak_password(self):
        response = self.client.post("/accounts/users/new/", self.new_user_data(password="short"))
        self.assertTrue(response.context["form"].errors["password"])
        self.assertFalse(User.objects.filter(username="nina").exists())

    def test_it_rejects_a_taken_username(self):
        response = self.client.post("/accounts/users/new/", self.new_user_data(username="charlie"))
        self.assertTrue(response.context["form"].errors["username"])

    def test_it_rejects_a_unit_of_another_municipality(self):
        data = self.new_user_data(unit=self.na_health.id, department="")
        response = self.client.post("/accounts/users/new/", data)
        self.assertTrue(response.context["form"].errors["unit"])
        self.assertFalse(User.objects.filter(username="nina").exists())

    def test_it_rejects_a_department_outside_the_unit(self):
        response = self.client.post("/accounts/users/new/", self.new_user_data(unit=self.physio.id))
        self.assertTrue(response.context["form"].errors["department"])

    def test_it_requires_a_role(self):
        response = self.client.post("/accounts/users/new/", self.new_user_data(role=""))
        self.assertTrue(response.context["form"].errors["role"])


class EditUserTest(UserAdminTestCase):
    def test_it_sets_the_provider_subject(self):
        data = self.new_user_data(first_name="Alice", oidc_subject="helseid-alice")
        data.pop("username"), data.pop("password")
        response = self.client.post(f"/accounts/users/{self.alice.id}/", data)
        self.assertRedirects(response, f"/accounts/users/{self.alice.id}/", fetch_redirect_response=False)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.oidc_subject, "helseid-alice")

    def test_it_rejects_a_subject_another_user_has(self):
        User.objects.filter(pk=self.bob.pk).update(oidc_subject="helseid-taken")
        data = self.new_user_data(oidc_subject="helseid-taken")
        response = self.client.post(f"/accounts/users/{self.alice.id}/", data)
        self.assertTrue(response.context["form"].errors["oidc_subject"])

    def test_it_cannot_see_or_edit_a_user_of_another_municipality(self):
        charlie = f"/accounts/users/{self.charlie.id}/"
        self.assertEqual(self.client.get(charlie).status_code, 404)
        self.assertEqual(self.client.post(charlie, self.new_user_data(role=Role.PLANNER)).status_code, 404)
        for action in ("active/", "reset-two-factor/", "unlock/"):
            self.assertEqual(self.client.post(charlie + action, {"active": "0"}).status_code, 404)
        self.charlie.refresh_from_db()
        self.assertEqual(self.charlie.role, Role.NURSE)
        self.assertTrue(self.charlie.is_active)

    def test_the_other_municipality_cannot_touch_ours(self):
        self.login(self.na_admin)
        self.assertEqual(self.client.get(f"/accounts/users/{self.alice.id}/").status_code, 404)
        self.assertNotContains(self.client.get("/accounts/users/"), "alice")

    def test_an_administrator_cannot_drop_the_own_role(self):
        data = self.new_user_data(role=Role.NURSE, unit="", department="")
        response = self.client.post(f"/accounts/users/{self.administrator.id}/", data)
        self.assertTrue(response.context["form"].errors["role"])
        self.administrator.refresh_from_db()
        self.assertEqual(self.administrator.role, Role.ADMINISTRATOR)


class AccountActionsTest(UserAdminTestCase):
    def test_it_deactivates_and_reactivates_a_user(self):
        self.client.post(f"/accounts/users/{self.bob.id}/active/", {"active": "0"})
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.is_active)
        self.client.post(f"/accounts/users/{self.bob.id}/active/", {"active": "1"})
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.is_active)

    def test_a_deactivated_user_is_logged_out_at_once(self):
        bob_client, admin_client = self.client_class(), self.client
        self.client = bob_client
        self.login(self.bob)
        self.client = admin_client
        self.client.post(f"/accounts/users/{self.bob.id}/active/", {"active": "0"})
        response = bob_client.get("/people/")
        self.assertRedirects(response, "/accounts/login/?next=/people/", fetch_redirect_response=False)

    def test_it_refuses_to_deactivate_oneself(self):
        self.client.post(f"/accounts/users/{self.administrator.id}/active/", {"active": "0"})
        self.administrator.refresh_from_db()
        self.assertTrue(self.administrator.is_active)

    def test_actions_need_post(self):
        response = self.client.get(f"/accounts/users/{self.bob.id}/active/")
        self.assertEqual(response.status_code, 405)

    def test_it_resets_two_factor(self):
        TOTPDevice.objects.create(user=self.bob, name="phone", confirmed=True)
        self.assertContains(self.client.get(f"/accounts/users/{self.bob.id}/"), "Reset two-factor")
        self.client.post(f"/accounts/users/{self.bob.id}/reset-two-factor/")
        self.assertFalse(TOTPDevice.objects.filter(user=self.bob).exists())
        bob_client = self.client_class()
        bob_client.post("/accounts/login/", {"username": "bob", "password": self.password})
        response = bob_client.get("/accounts/two-factor/")
        self.assertRedirects(response, "/accounts/two-factor/enroll/?", fetch_redirect_response=False)


class UnitAdminTest(UserAdminTestCase):
    def test_it_lists_units_and_departments_of_the_own_municipality(self):
        response = self.client.get("/accounts/units/")
        self.assertContains(response, "Tjenestekontoret")
        self.assertContains(response, "Helsestasjon for eldre")
        self.assertNotContains(response, "Helse og omsorg")

    def test_it_creates_a_unit(self):
        response = self.client.post("/accounts/units/new/", {"name": "Folkehelse", "code": "folkehelse"})
        self.assertRedirects(response, "/accounts/units/", fetch_redirect_response=False)
        self.assertTrue(Unit.objects.filter(municipality=self.vefsn, code="folkehelse").exists())

    def test_it_rejects_a_unit_code_in_use(self):
        response = self.client.post("/accounts/units/new/", {"name": "Again", "code": "tjenestekontoret"})
        self.assertTrue(response.context["form"].errors["code"])
        self.assertEqual(Unit.objects.filter(municipality=self.vefsn, code="tjenestekontoret").count(), 1)

    def test_it_allows_a_unit_code_another_municipality_uses(self):
        self.client.post("/accounts/units/new/", {"name": "Helse", "code": "helse"})
        self.assertEqual(Unit.objects.filter(code="helse").count(), 2)

    def test_it_saves_the_contact_details_letters_print(self):
        data = {"name": "Tjenestekontoret", "code": "tjenestekontoret", "phone": "75 10 10 99", "email": "tk@vefsn.no"}
        data |= {"opening_hours": "08–15", "contact_person": "Siri"}
        response = self.client.post(f"/accounts/units/{self.service_office.pk}/", data)
        self.assertRedirects(response, "/accounts/units/", fetch_redirect_response=False)
        self.service_office.refresh_from_db()
        self.assertEqual((self.service_office.phone, self.service_office.contact_person), ("75 10 10 99", "Siri"))

    def test_the_list_says_which_unit_cannot_send_letters(self):
        Unit.objects.filter(pk=self.physio.pk).update(phone="")
        self.assertContains(self.client.get("/accounts/units/"), "no phone: its letters cannot be printed", count=1)

    def test_it_does_not_edit_another_municipalitys_unit(self):
        self.assertEqual(self.client.get(f"/accounts/units/{self.na_health.pk}/").status_code, 404)

    def test_it_creates_a_department(self):
        data = {"unit": self.service_office.id, "name": "Vedtak", "code": "vedtak"}
        self.client.post("/accounts/departments/new/", data)
        self.assertTrue(Department.objects.filter(unit=self.service_office, code="vedtak").exists())

    def test_it_rejects_a_department_in_another_municipality(self):
        data = {"unit": self.na_health.id, "name": "Sneaky", "code": "sneaky"}
        response = self.client.post("/accounts/departments/new/", data)
        self.assertTrue(response.context["form"].errors["unit"])
        self.assertFalse(Department.objects.filter(code="sneaky").exists())


class ActivationInputTest(UserAdminTestCase):
    def test_it_changes_nothing_without_a_clear_choice(self):
        response = self.client.post(f"/accounts/users/{self.bob.id}/active/", {"active": "perhaps"}, follow=True)
        self.assertContains(response, "Choose whether to activate or deactivate")
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.is_active)
