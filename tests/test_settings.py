"""The settings module read with given environment variables, in a fresh
interpreter each time: bad values stop start-up with a clear message, and the
demo is the only place two-factor may be turned off."""

import json
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "a-real-secret-key-for-this-test",
    "TRAPPA_ACCESS_LOG_KEY": "a-real-access-log-key-of-at-least-32-characters",
}
SCRIPT = """
import json, trappa.settings as s
print(json.dumps({name: getattr(s, name) for name in %r}, default=str))
"""


def load_settings(env, names=("DEBUG",)):
    """Import trappa.settings with exactly these environment variables; returns (values, error)."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT % (list(names),)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        return None, result.stderr.strip().splitlines()[-1]
    return json.loads(result.stdout), None


class SettingsTest(SimpleTestCase):
    def assert_refused(self, env, message):
        values, error = load_settings(env)
        self.assertIsNone(values)
        self.assertIn("ImproperlyConfigured", error)
        self.assertIn(message, error)

    def test_production_defaults_are_strict(self):
        names = ["DEBUG", "DEMO", "REQUIRE_TWO_FACTOR", "PASSWORD_HASHERS", "ALLOW_SYNTHETIC_NATIONAL_IDS"]
        values, error = load_settings(PRODUCTION, names)
        self.assertIsNone(error)
        self.assertFalse(values["DEBUG"])
        self.assertFalse(values["DEMO"])
        self.assertTrue(values["REQUIRE_TWO_FACTOR"])
        self.assertFalse(values["ALLOW_SYNTHETIC_NATIONAL_IDS"])
        self.assertEqual(values["PASSWORD_HASHERS"][0], "django.contrib.auth.hashers.Argon2PasswordHasher")

    def test_it_needs_a_secret_key_outside_the_demo_and_the_tests(self):
        self.assert_refused({}, "SECRET_KEY must be set")

    def test_booleans_accept_the_usual_words(self):
        for raw, expected in (("true", True), ("YES", True), ("on", True), ("1", True), ("0", False), ("off", False)):
            with self.subTest(raw=raw):
                values, _ = load_settings({**PRODUCTION, "DEBUG": raw})
                self.assertEqual(values["DEBUG"], expected)

    def test_a_boolean_that_is_not_one_is_refused(self):
        self.assert_refused({**PRODUCTION, "DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'")

    def test_a_number_that_is_not_one_is_refused(self):
        self.assert_refused({**PRODUCTION, "AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT must be a whole number")

    def test_a_number_below_its_minimum_is_refused(self):
        self.assert_refused({**PRODUCTION, "AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT must be at least 1")
        self.assert_refused({**PRODUCTION, "TRAPPA_SESSION_IDLE_MINUTES": "1"}, "must be at least 5")

    def test_a_choice_outside_the_list_is_refused(self):
        self.assert_refused({**PRODUCTION, "TRAPPA_TASKS": "celery"}, "TRAPPA_TASKS must be one of database, immediate")

    def test_numbers_are_read(self):
        env = {**PRODUCTION, "AXES_FAILURE_LIMIT": "7", "TRAPPA_SESSION_IDLE_MINUTES": "30"}
        values, _ = load_settings(env, ["AXES_FAILURE_LIMIT", "SESSION_IDLE_SECONDS"])
        self.assertEqual(values, {"AXES_FAILURE_LIMIT": 7, "SESSION_IDLE_SECONDS": 1800})

    def test_production_keeps_its_database_connections_and_checks_them_before_reuse(self):
        env = {**PRODUCTION, "DATABASE_URL": "postgres://app@db.example/trappa"}
        values, error = load_settings(env, ["DATABASES"])
        self.assertIsNone(error)
        self.assertEqual(values["DATABASES"]["default"]["CONN_MAX_AGE"], 300)
        self.assertTrue(values["DATABASES"]["default"]["CONN_HEALTH_CHECKS"])
        values, _ = load_settings({**env, "DB_CONN_MAX_AGE": "0"}, ["DATABASES"])
        self.assertEqual(values["DATABASES"]["default"]["CONN_MAX_AGE"], 0)
        self.assert_refused({**env, "DB_CONN_MAX_AGE": "-1"}, "DB_CONN_MAX_AGE must be at least 0")

    def test_two_factor_cannot_be_turned_off_outside_the_demo(self):
        self.assert_refused({**PRODUCTION, "TRAPPA_REQUIRE_TWO_FACTOR": "false"}, "allowed only with TRAPPA_DEMO=true")
        env = {**PRODUCTION, "TRAPPA_REQUIRE_TWO_FACTOR": "false", "TRAPPA_DEMO": "false"}
        self.assert_refused(env, "allowed only with TRAPPA_DEMO=true")

    def test_the_demo_may_turn_two_factor_off(self):
        env = {"TRAPPA_DEMO": "true", "TRAPPA_REQUIRE_TWO_FACTOR": "false"}
        values, error = load_settings(env, ["DEMO", "REQUIRE_TWO_FACTOR"])
        self.assertIsNone(error)
        self.assertEqual(values, {"DEMO": True, "REQUIRE_TWO_FACTOR": False})

    def test_oidc_needs_its_endpoints(self):
        self.assert_refused({**PRODUCTION, "OIDC_ENABLED": "true"}, "OIDC_ENABLED needs OIDC_RP_CLIENT_ID")

    def test_a_database_other_than_sqlite_or_postgresql_is_refused(self):
        self.assert_refused({**PRODUCTION, "DATABASE_URL": "mysql://db/trappa"}, "SQLite or PostgreSQL")

    def test_oidc_with_public_key_signatures_needs_the_key_set(self):
        env = {
            **PRODUCTION,
            "OIDC_ENABLED": "true",
            "OIDC_RP_CLIENT_ID": "trappa",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://helseid.example/connect/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": "https://helseid.example/connect/token",
            "OIDC_OP_USER_ENDPOINT": "https://helseid.example/connect/userinfo",
        }
        self.assert_refused(env, "needs OIDC_OP_JWKS_ENDPOINT")
        env["OIDC_OP_JWKS_ENDPOINT"] = "https://helseid.example/jwks"
        values, error = load_settings(env, ["OIDC_ENABLED"])
        self.assertIsNone(error)
        self.assertEqual(values, {"OIDC_ENABLED": True})

    def test_production_needs_the_access_log_key(self):
        env = {k: v for k, v in PRODUCTION.items() if k != "TRAPPA_ACCESS_LOG_KEY"}
        self.assert_refused(env, "TRAPPA_ACCESS_LOG_KEY must be set outside the demo and the tests")

    def test_a_short_access_log_key_is_refused(self):
        self.assert_refused({**PRODUCTION, "TRAPPA_ACCESS_LOG_KEY": "short"}, "at least 32 characters")


class DeployCheckTest(SimpleTestCase):
    """Issue 12: `manage.py check --deploy` finds nothing to warn about in a production environment."""

    def test_the_deploy_check_gives_no_warnings_in_production(self):
        env = {
            "PATH": "/usr/bin:/bin",
            "SECRET_KEY": "k" * 20 + "-a-long-random-production-key-with-many-characters-3f9a",
            "DATABASE_URL": "postgres://trappa@127.0.0.1:5432/trappa",
            "ALLOWED_HOSTS": "trappa.kommune.no",
            "SITE_ROOT": "https://trappa.kommune.no",
            "TRAPPA_ACCESS_LOG_KEY": "a-production-access-log-key-of-at-least-32-characters",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("no issues", result.stdout)

    def test_production_is_https_only_and_behind_a_proxy_trusts_its_https_header(self):
        names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE"]
        values, _ = load_settings(PRODUCTION, names)
        self.assertTrue(values["SECURE_SSL_REDIRECT"])
        self.assertGreaterEqual(values["SECURE_HSTS_SECONDS"], 365 * 24 * 3600)
        self.assertTrue(values["SESSION_COOKIE_SECURE"])
        self.assertIsNone(values["SECURE_PROXY_SSL_HEADER"])
        values, _ = load_settings({**PRODUCTION, "TRAPPA_TRUSTED_PROXIES": "1"}, names)
        self.assertEqual(values["SECURE_PROXY_SSL_HEADER"], ["HTTP_X_FORWARDED_PROTO", "https"])
