"""Benchmarks: `make bench` (python -m benchmarks.run) writes docs/benchmarks.md.

The contract is small. Every module in this package whose name does not start
with an underscore (except `run`) and that defines `run() -> str` is a
benchmark; `run()` does its measuring and returns one markdown section, headed
`## ...`. The runner adds the date, the machine and the git commit, and keeps
one section per module in docs/benchmarks.md.

Benchmarks measure on this machine with real databases; they are never part of
the test suite, and the test suite never asserts on time.
"""
