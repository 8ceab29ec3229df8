"""The OpenAPI schema, its reference page, and schemathesis fuzzing the API against the schema.

Schemathesis calls the WSGI application in process (no network, no server), with a
token holding every scope, for a bounded number of generated requests per operation,
and fails on any 5xx or answer that breaks the schema.
"""

import re

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.support import ApiTestCase
from trappa.api.scopes import Scope

EXAMPLES_PER_OPERATION = 30


class SchemaTests(ApiTestCase):
    def test_the_schema_is_openapi_3_and_names_the_scope_of_each_operation(self):
        schema = self.client.get("/api/schema/", {"format": "json"}).json()
        self.assertTrue(schema["openapi"].startswith("3."))
        scheme = schema["components"]["securitySchemes"]["clientCredentials"]
        self.assertEqual(set(scheme["flows"]["clientCredentials"]["scopes"]), set(Scope.values))
        persons = schema["paths"]["/api/persons/{person_id}/"]["get"]
        self.assertEqual(persons["security"], [{"clientCredentials": ["read:persons"]}])

    def test_the_reference_page_runs_no_inline_script_and_fetches_nothing_elsewhere(self):
        response = self.client.get("/api/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        self.assertTrue(scripts)
        for attributes, body in scripts:
            self.assertEqual(body.strip(), "")
            self.assertIn('src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"', attributes)
        self.assertNotRegex(html, r"(src|href)=\"https?://")


class FuzzTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        _client, token = self.api_client_with(*Scope.values)
        # As Django's test client does: the test's transaction must outlive each request. Both signals,
        # and only after the token is fetched (the test client connects close_old_connections again
        # after each of its requests): on PostgreSQL close_old_connections closes a connection whose
        # autocommit is off, the test's transaction, so every request answered 500 there ("the
        # connection is closed"; SQLite's in-memory database ignores the close).
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())

    def test_no_operation_answers_5xx_or_breaks_the_schema(self):
        operations = [result.ok() for result in self.schema.get_all_operations()]
        self.assertGreater(len(operations), 4)
        for operation in operations:
            with self.subTest(operation=operation.label):
                self._fuzz(operation)

    def _fuzz(self, operation):
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), with_token=st.booleans())
        def run(case, with_token):
            # Every check but "schema-valid data is accepted": the register's rules (a national ID's
            # check digits, the columns of each kind of file) say more than a schema can, and a
            # rejected import is a 400 by design.
            headers = self.headers if with_token else {}
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        run()
