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


def fake_bench(root: Path, name: str, helpdesk: str, frappe: str = "15.0.0") -> Path:
	bench = root / name
	for app, version in (("helpdesk", helpdesk), ("frappe", frappe)):
		(bench / "apps" / app / app).mkdir(parents=True)
		(bench / "apps" / app / app / "__init__.py").write_text(f'__version__ = "{version}"\n')
	(bench / "sites").mkdir()
	(bench / "sites" / "apps.txt").write_text("frappe\nhelpdesk\n")
	(bench / "env" / "bin").mkdir(parents=True)
	(bench / "env" / "bin" / "python").write_text("")
	return bench


def test_the_matrix_finds_every_bench_once_labelled_by_its_helpdesk(tmp_path, monkeypatch):
	fake_bench(tmp_path, "frappe-bench", "1.28.1", "15.103.0")
	fake_bench(tmp_path, "frappe-bench-hd15", "1.5.0", "15.55.1")
	(tmp_path / "frappe-bench-broken").mkdir()  # not a bench: no sites, no env
	monkeypatch.delenv("PEER_SUPPORT_BENCH", raising=False)
	monkeypatch.setenv("PEER_SUPPORT_BENCHES", f"{tmp_path}/frappe-bench:{tmp_path}/frappe-bench-*")
	benches = run.Bench.find_all()
	assert [(b.path.name, b.label) for b in benches] == [
		("frappe-bench", "helpdesk 1.28.1"),
		("frappe-bench-hd15", "helpdesk 1.5.0"),
	]
	assert run.Bench.find_all(f"{tmp_path}/frappe-bench-hd15")[0].frappe_version == "15.55.1"


def test_two_benches_of_one_helpdesk_are_told_apart(tmp_path, monkeypatch):
	fake_bench(tmp_path, "a", "1.28.1", "15.103.0")
	fake_bench(tmp_path, "b", "1.28.1", "15.109.0")
	labels = [b.label for b in run.Bench.find_all(f"{tmp_path}/a,{tmp_path}/b")]
	assert labels == ["helpdesk 1.28.1, frappe 15.103.0, a", "helpdesk 1.28.1, frappe 15.109.0, b"]


def test_no_bench_found_is_an_empty_matrix(tmp_path, monkeypatch):
	monkeypatch.setenv("PEER_SUPPORT_BENCHES", str(tmp_path / "nothing-here"))
	assert run.Bench.find_all() == []


def test_helpdesk_suite_counts_from_unittest_output():
	output = "...\nRan 226 tests in 301.2s\n\nFAILED (failures=40, errors=70)\n"
	assert run.unittest_counts(output) == (226, 110)
	assert run.unittest_counts("Ran 12 tests in 1.0s\n\nOK\n") == (12, 0)
	assert run.unittest_counts("Traceback: no site") == (0, 0)
