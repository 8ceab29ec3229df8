"""The load benchmark's guard (benchmarks/load.py, issue #17): a row in which a Locust user got no successful
page request fails the run loudly instead of writing an empty or partial table. Read from files shaped like
Locust's --csv output and the locustfile's per-user report; no server, nothing timed."""

import json

import pytest

from benchmarks.load import BenchmarkFailed, page_stats

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)
LOGIN = "POST,login,32,0,7200,6895.2,1854.9,11973.3,0.0,2.49,0.0," + ",".join(["7200"] * 11)
PAGE = "GET,page,{n},{f},52,53.6,22.8,197.8,7531.0,16.5,0.0,52,57,62,66,74,92,120,120,200,200,200"
# What the old run wrote at 32 clients: every login still under way when the time was up, no page row at all.
NO_PAGE_ROW = [LOGIN, ",Aggregated,32,0,300,300,74,470,0,5.2,0.0,300,300,300,300,300,300,300,300,300,300,300"]


def write(tmp_path, rows, successes):
    stats = tmp_path / "row_stats.csv"
    stats.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = tmp_path / "row_users.json"
    if successes is not None:
        report.write_text(json.dumps({"users": len(successes), "successes": successes}), encoding="utf-8")
    return stats, report


def test_a_row_with_page_requests_from_every_user_is_read(tmp_path):
    stats, report = write(tmp_path, [LOGIN, PAGE.format(n=132, f=0)], {"nurse_bench_1": 70, "nurse_bench_2": 62})
    row = page_stats(stats, report, 2, "/outreach/")
    assert row == {"requests": 132, "failures": 0, "rps": 16.5, "p50": 52.0, "p95": 92.0, "p99": 120.0}


def test_no_page_row_at_all_fails(tmp_path):
    stats, report = write(tmp_path, NO_PAGE_ROW, {f"nurse_bench_{i}": 0 for i in range(32)})
    with pytest.raises(BenchmarkFailed, match="32 of 32 users got no successful page request"):
        page_stats(stats, report, 32, "/outreach/")


def test_one_user_without_a_successful_page_fails_the_row(tmp_path):
    stats, report = write(tmp_path, [LOGIN, PAGE.format(n=90, f=0)], {"nurse_bench_1": 90, "nurse_bench_2": 0})
    with pytest.raises(BenchmarkFailed, match="1 of 2 users.*nurse_bench_2"):
        page_stats(stats, report, 2, "/")


def test_users_that_never_started_fail_the_row(tmp_path):
    stats, report = write(tmp_path, [LOGIN, PAGE.format(n=90, f=0)], {"nurse_bench_1": 90})
    with pytest.raises(BenchmarkFailed, match="never started: 1"):
        page_stats(stats, report, 2, "/")


def test_no_report_from_locust_fails(tmp_path):
    stats, report = write(tmp_path, [LOGIN, PAGE.format(n=90, f=0)], None)
    with pytest.raises(BenchmarkFailed, match="2 of 2 users"):
        page_stats(stats, report, 2, "/")


def test_only_failed_page_requests_fail(tmp_path):
    stats, report = write(tmp_path, [LOGIN, PAGE.format(n=40, f=40)], {"nurse_bench_1": 1})
    with pytest.raises(BenchmarkFailed, match="no successful page request"):
        page_stats(stats, report, 1, "/")


def test_the_reason_a_login_failed_is_in_the_message(tmp_path):
    stats, report = write(tmp_path, [LOGIN], {"nurse_bench_1": 0})
    found = json.loads(report.read_text(encoding="utf-8"))
    found["failed"] = ["nurse_bench_1: login answered 200 , not 302"]
    report.write_text(json.dumps(found), encoding="utf-8")
    with pytest.raises(BenchmarkFailed, match="nurse_bench_1: login answered 200 , not 302"):
        page_stats(stats, report, 1, "/")
