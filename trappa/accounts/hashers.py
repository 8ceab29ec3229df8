"""A cheap Argon2 for the test suite only.

Django's Argon2 parameters (100 MiB, parallelism 8) are right for production
and make every test user cost most of a second on a busy CI machine; the tests
still go through Argon2, with small parameters. Stored hashes carry their own
parameters, so either hasher verifies the other's hashes.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1
