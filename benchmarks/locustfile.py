"""What one Locust user does in the load benchmark (benchmarks/load.py): log in as a real member of staff
the way a person does the first time (the login form, the one-time enrollment code an administrator
issued, the authenticator's secret read off the enrollment page and its current TOTP code), then ask for
one page over and over. Two-factor stays required, as in production.

BENCH_USERS is "username:enrollment code" per user, comma-separated, one per Locust user (a TOTP code is
accepted once per device, so 32 clients are 32 people with the same role and unit); BENCH_PASSWORD,
BENCH_PAGE, BENCH_SECONDS and BENCH_REPORT (a JSON file: successful page requests per user) say the rest.

The clock starts only when every user has logged in: logging in 32 users at once (password hashing) takes
longer than a short run, and is not what is measured. Then the statistics are reset and the run stops
BENCH_SECONDS later.
"""

import hmac
import json
import os
import re
import struct
import time
from base64 import b32decode

import gevent
from locust import HttpUser, constant, events, task

USERS = [entry.split(":", 1) for entry in os.environ.get("BENCH_USERS", "").split(",") if entry]
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SECRET = re.compile(r"<code>([A-Z2-7]{4}(?: [A-Z2-7]{4})+)</code>")  # the key for typing in, in groups of four

logged_in = []  # one entry per user that got through the login
successes = {}  # username: successful page requests
failed = []  # why a user's login failed


def totp(key, step=30, digits=6):
    """The authenticator app's current code (RFC 6238, as django-otp's defaults: SHA-1, 30 s, 6 digits)."""
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // step), "sha1").digest()
    offset = digest[-1] & 0x0F
    return (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits


class LoginFailed(Exception):
    pass


class PageUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.username, code = USERS.pop(0)
        successes[self.username] = 0
        try:
            self.log_in(code)
        except LoginFailed as exc:
            # Stop the whole run now: the others would wait for this user until the time cap.
            failed.append(str(exc))
            self.environment.runner.quit()
            raise
        logged_in.append(self.username)
        if len(logged_in) == self.environment.parsed_options.num_users:
            self.environment.runner.stats.reset_all()
            gevent.spawn_later(SECONDS, self.environment.runner.quit)
        while len(logged_in) < self.environment.parsed_options.num_users:
            gevent.sleep(0.1)

    def log_in(self, enrollment_code):
        form = self.step("GET", "/accounts/login/", "login form", 200)
        data = {"username": self.username, "password": os.environ["BENCH_PASSWORD"]}
        self.step("POST", "/accounts/login/", "login", 302, data, form)
        page = self.step("GET", "/accounts/two-factor/enroll/", "enrollment code form", 200)
        self.step(
            "POST", "/accounts/two-factor/enroll/", "enrollment code", 302, {"enrollment_code": enrollment_code}, page
        )
        page = self.step("GET", "/accounts/two-factor/enroll/", "enroll form", 200)
        found = SECRET.search(page)
        if not found:
            raise LoginFailed(f"{self.username}: no authenticator secret on the enrollment page")
        key = b32decode("".join(found.group(1).split()))
        self.step("POST", "/accounts/two-factor/enroll/", "enroll", 302, {"code": f"{totp(key):06d}"}, page)

    def step(self, method, path, name, status, data=None, form_page=None):
        """One request of the login; anything but the expected status stops this user with the reason."""
        if data is not None:
            token = CSRF.search(form_page)
            data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        with self.client.request(
            method, path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != status:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {where}")
                raise LoginFailed(f"{self.username}: {name} answered {response.status_code} {where}, not {status}")
            return response.text

    @task
    def page(self):
        # No redirect is followed: a page that sends the user back to the login is a failure, not a page.
        with self.client.get(os.environ["BENCH_PAGE"], name="page", allow_redirects=False, catch_response=True) as r:
            if r.status_code == 200:
                successes[self.username] += 1
            else:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")


@events.quitting.add_listener
def report(environment, **_kwargs):
    """Successful page requests per user, for load.py's check; a user with none fails the run."""
    if os.environ.get("BENCH_REPORT"):
        with open(os.environ["BENCH_REPORT"], "w", encoding="utf-8") as f:
            json.dump({"users": environment.parsed_options.num_users, "successes": successes, "failed": failed}, f)
    if failed or len(successes) < environment.parsed_options.num_users or not all(successes.values()):
        environment.process_exit_code = 3
