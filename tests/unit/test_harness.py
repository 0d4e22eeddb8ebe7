"""The test command's own parsing of pytest output: a tier must never pass on nothing."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("run", Path(__file__).resolve().parents[1] / "run.py")
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)


def test_counts_from_pytest_closing_line():
	assert run.pytest_counts("...\n3 failed, 12 passed, 2 skipped in 1.20s") == (12, 3, 2)
	assert run.pytest_counts("...\n1 passed, 2 errors in 0.1s") == (1, 2, 0)
	assert run.pytest_counts("") == (0, 0, 0)


def test_a_tier_that_crashed_counts_as_failed():
	tier = run.Tier("integration")
	tier.add("ImportError: no module named frappe", 4)
	assert (tier.passed, tier.failed) == (0, 1) and not tier.ok
	assert tier.summary() == "integration: 0 passed, 1 failed"


def test_a_tier_that_ran_nothing_does_not_pass():
	tier = run.Tier("e2e")
	tier.add("no tests ran in 0.01s", 5)
	assert not tier.ok


def test_skipped_without_a_bench_is_reported_and_not_a_failure():
	tier = run.Tier("integration")
	tier.note = "SKIPPED (no bench)"
	assert tier.summary() == "integration: SKIPPED (no bench)" and tier.ok


def test_setup_failure_fails_the_tier():
	tier = run.Tier("e2e")
	tier.note = "FAILED (setup: new-site failed)"
	assert not tier.ok and tier.summary() == "e2e: FAILED (setup: new-site failed)"
