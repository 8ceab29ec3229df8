"""What one Locust user does in the load benchmark (benchmarks/load.py): log in as a real role with
the login form, then ask for one page over and over. BENCH_ROLE, BENCH_PASSWORD and BENCH_PAGE say which."""

import os

from locust import HttpUser, constant, task


class PageUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.get("/accounts/login/", name="login form")
        token = self.client.cookies.get("csrftoken")
        data = {"username": os.environ["BENCH_ROLE"], "password": os.environ["BENCH_PASSWORD"]}
        response = self.client.post(
            "/accounts/login/", data={**data, "csrfmiddlewaretoken": token}, name="login", allow_redirects=False
        )
        if response.status_code != 302:
            raise RuntimeError(f"login as {data['username']} failed: {response.status_code}")

    @task
    def page(self):
        self.client.get(os.environ["BENCH_PAGE"], name="page")
