#!/usr/bin/env python3
"""The test command: unit, integration and e2e tiers, one summary line each.

    python3 tests/run.py [--tier unit|integration|e2e] [--keep-site]

unit         plain pytest on tests/unit, no Frappe.
integration  finds a bench (PEER_SUPPORT_BENCH, else /home/frappe/frappe-bench), copies this
             checkout into its apps/peer_support, creates a throw-away site with helpdesk and
             peer_support, runs tests/integration inside it, then the lifecycle tests
             (uninstall / reinstall), and drops the site.
e2e          serves that site on a free loopback port and runs tests/e2e over HTTP.

The bench itself is built by hand (README, "Building a bench"); this script only finds it.
Exit status is non-zero when any tier fails. Logs go to test-results/.
"""

import argparse
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "peer_support"
DEFAULT_BENCH = "/home/frappe/frappe-bench"
RESULTS = ROOT / "test-results"
ADMIN_PASSWORD = "admin"  # of throw-away test sites only


def log(message: str) -> None:
	print(f"[run] {message}", flush=True)


def pytest_counts(output: str) -> tuple[int, int, int]:
	"""passed, failed (failures + errors), skipped from pytest's closing line."""

	def count(word: str) -> int:
		found = re.findall(rf"(\d+) {word}", output.splitlines()[-1] if output.strip() else "")
		return int(found[-1]) if found else 0

	return count("passed"), count("failed") + count("error"), count("skipped")


class Tier:
	def __init__(self, name: str):
		self.name = name
		self.passed = self.failed = self.skipped = 0
		self.note = ""

	def add(self, output: str, returncode: int) -> None:
		passed, failed, skipped = pytest_counts(output)
		if returncode not in (0, 5) and failed == 0:
			failed = 1  # pytest itself failed (collection, usage): count it, never pass silently
		self.passed += passed
		self.failed += failed
		self.skipped += skipped

	@property
	def ok(self) -> bool:
		return not self.note.startswith("FAILED") and self.failed == 0 and (self.passed > 0 or bool(self.note))

	def summary(self) -> str:
		if self.note and not self.passed and not self.failed:
			return f"{self.name}: {self.note}"
		line = f"{self.name}: {self.passed} passed, {self.failed} failed"
		if self.skipped:
			line += f", {self.skipped} skipped"
		return line + (f" ({self.note})" if self.note else "")


class Bench:
	"""An existing bench, used as its owner: bench refuses root, and so do we."""

	def __init__(self, path: Path):
		self.path = path
		self.sites = path / "sites"
		self.python = path / "env" / "bin" / "python"
		self.owner = pwd.getpwuid(path.stat().st_uid)

	@classmethod
	def find(cls) -> "Bench | None":
		path = Path(os.environ.get("PEER_SUPPORT_BENCH") or DEFAULT_BENCH)
		if (path / "sites" / "apps.txt").is_file() and (path / "env" / "bin" / "python").exists():
			return cls(path)
		return None

	def command(self, args: list[str]) -> list[str]:
		if os.geteuid() == 0 and self.owner.pw_uid != 0:
			return ["runuser", "-u", self.owner.pw_name, "--", "env", f"HOME={self.owner.pw_dir}", *args]
		return args

	def run(self, args: list[str], logfile: Path, cwd: Path | None = None, stdin: str | None = None, env=None):
		"""Run as the bench owner, output to logfile; returns (returncode, output)."""
		with open(logfile, "a") as out:
			out.write(f"\n$ {' '.join(args)}\n")
			out.flush()
			proc = subprocess.run(
				self.command(args),
				cwd=cwd or self.sites,
				input=stdin,
				stdout=subprocess.PIPE,
				stderr=subprocess.STDOUT,
				text=True,
				env={**os.environ, **(env or {})},
				start_new_session=True,  # no controlling tty: prompts read stdin
			)
			out.write(proc.stdout)
		return proc.returncode, proc.stdout

	def frappe(self, site: str | None, args: list[str], logfile: Path, **kwargs):
		site_args = ["--site", site] if site else []
		return self.run([str(self.python), "-m", "frappe.utils.bench_helper", "frappe", *site_args, *args], logfile, **kwargs)

	def install_checkout(self, logfile: Path) -> None:
		"""Put this checkout into apps/peer_support (a copy the bench owner owns) and pip-install it."""
		target = self.path / "apps" / APP
		if target.resolve() != ROOT:
			if target.is_symlink():
				target.unlink()
			elif target.exists():
				shutil.rmtree(target)
			shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(".git", "test-results", "__pycache__", "*.pyc"))
			if os.geteuid() == 0:
				for path in [target, *target.rglob("*")]:
					os.chown(path, self.owner.pw_uid, self.owner.pw_gid, follow_symlinks=False)
		code, _ = self.run([str(self.python), "-m", "pip", "install", "-q", "-e", str(target)], logfile)
		if code:
			raise RuntimeError(f"pip install of {APP} failed, see {logfile}")
		# Test tools in the bench's env; Playwright drives Debian's chromium (no browser download).
		code, _ = self.run([str(self.python), "-c", "import pytest, requests, playwright"], logfile)
		if code:
			self.run([str(self.python), "-m", "pip", "install", "-q", "pytest", "requests", "playwright"], logfile)
		apps = (self.sites / "apps.txt").read_text().split()
		if APP not in apps:
			(self.sites / "apps.txt").write_text("\n".join([*apps, APP]) + "\n")

	def new_site(self, site: str, logfile: Path) -> None:
		root_password = os.environ.get("PEER_SUPPORT_DB_ROOT_PASSWORD", "")
		code, _ = self.frappe(
			None,
			["new-site", site, "--admin-password", ADMIN_PASSWORD, "--db-root-username", "root",
			 "--install-app", "helpdesk", "--install-app", APP],
			logfile,
			stdin=root_password + "\n",  # Frappe asks for an empty root password on stdin
		)
		if code:
			raise RuntimeError(f"new-site {site} failed, see {logfile}")
		# The tests make more users in an hour than Frappe lets a site make by default (60).
		self.frappe(site, ["set-config", "--parse", "throttle_user_limit", "100000"], logfile)
		# A real site has been through Frappe's setup wizard; until then Desk shows only the wizard.
		snippet = (f"import frappe; frappe.init(site={site!r}, sites_path='.'); frappe.connect(); "
		           "frappe.db.set_single_value('System Settings', 'setup_complete', 1); frappe.db.commit()")
		self.run([str(self.python), "-c", snippet], logfile, cwd=self.sites)

	def drop_site(self, site: str, logfile: Path) -> None:
		root_password = os.environ.get("PEER_SUPPORT_DB_ROOT_PASSWORD", "")
		self.frappe(None, ["drop-site", site, "--force", "--no-backup", "--db-root-username", "root"],
		            logfile, stdin=root_password + "\n")
		archived = self.path / "archived" / "sites" / site
		if archived.exists():
			shutil.rmtree(archived, ignore_errors=True)


def run_pytest(python: str, paths: list[str], extra: list[str], cwd: Path, runner, env=None):
	args = [python, "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider", "--color=no", *extra]
	return runner(args, cwd=cwd, env=env)


def unit_tier() -> Tier:
	tier = Tier("unit")
	logfile = RESULTS / "unit.log"

	def runner(args, cwd, env=None):
		proc = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
		logfile.write_text(proc.stdout)
		return proc.returncode, proc.stdout

	code, output = run_pytest(sys.executable, ["tests/unit"], [], ROOT, runner)
	print(output.rstrip().splitlines()[-1] if output.strip() else "(no output)")
	tier.add(output, code)
	return tier


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def wait_for(url: str, seconds: float) -> bool:
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		try:
			with urllib.request.urlopen(url, timeout=5) as response:
				if response.status < 500:
					return True
		except Exception:
			time.sleep(1)
	return False


def site_tiers(bench: Bench, tiers: set[str], keep_site: bool) -> list[Tier]:
	integration, e2e = Tier("integration"), Tier("e2e")
	setup_log = RESULTS / "bench.log"
	site = f"ps-test-{secrets.token_hex(4)}.localhost"
	app_dir = bench.path / "apps" / APP
	env = {"PEER_SUPPORT_SITE": site, "PEER_SUPPORT_SITES_PATH": str(bench.sites), "PYTHONDONTWRITEBYTECODE": "1"}
	tier_list = [t for t in (integration, e2e) if t.name in tiers]
	try:
		log(f"bench: {bench.path} (owner {bench.owner.pw_name}); installing this checkout")
		bench.install_checkout(setup_log)
		log(f"creating site {site} with helpdesk and {APP} (takes a few minutes)")
		started = time.monotonic()
		bench.new_site(site, setup_log)
		log(f"site ready in {time.monotonic() - started:.0f} s")
	except Exception as error:
		for tier in tier_list:
			tier.note = f"FAILED (setup: {error})"
		bench.drop_site(site, setup_log)
		return tier_list

	def runner_for(logname):
		def runner(args, cwd, env=None):
			code, output = bench.run(args, RESULTS / logname, cwd=cwd, env=env)
			print(output.rstrip().splitlines()[-1] if output.strip() else "(no output)", flush=True)
			return code, output

		return runner

	try:
		python = str(bench.python)
		if "integration" in tiers:
			log("integration: in-site tests")
			code, output = run_pytest(python, [str(app_dir / "tests" / "integration")], ["-m", "not lifecycle"], bench.sites,
			                          runner_for("integration.log"), env)
			integration.add(output, code)
			log("integration: lifecycle tests (uninstall, Helpdesk alone, reinstall)")
			code, output = run_pytest(python, [str(app_dir / "tests" / "integration")], ["-m", "lifecycle"], bench.sites,
			                          runner_for("integration.log"), env)
			integration.add(output, code)
		if "e2e" in tiers:
			port = free_port()
			server_log = open(RESULTS / "server.log", "w")
			# The tests run as the bench owner, who may not be able to write into this checkout.
			artifacts = Path(tempfile.mkdtemp(prefix="peer-support-e2e-"))
			if os.geteuid() == 0:
				os.chown(artifacts, bench.owner.pw_uid, bench.owner.pw_gid)
			log(f"e2e: serving {site} on 127.0.0.1:{port}")
			server = subprocess.Popen(
				bench.command([python, "-m", "frappe.utils.bench_helper", "frappe", "--site", site,
				               "serve", "--port", str(port), "--noreload"]),
				cwd=bench.sites, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True,
			)
			try:
				base = f"http://127.0.0.1:{port}"
				if not wait_for(f"{base}/api/method/ping", 90):
					e2e.note = f"FAILED (web server did not start, see {RESULTS / 'server.log'})"
				else:
					code, output = run_pytest(python, [str(app_dir / "tests" / "e2e")], [],
					                          bench.sites, runner_for("e2e.log"),
					                          {**env, "PEER_SUPPORT_BASE_URL": base,
					                           "PEER_SUPPORT_ADMIN_PASSWORD": ADMIN_PASSWORD,
					                           "PEER_SUPPORT_ARTIFACTS": str(artifacts)})
					e2e.add(output, code)
					shutil.copytree(artifacts, RESULTS / "e2e-artifacts", dirs_exist_ok=True)
			finally:
				os.killpg(server.pid, 15)
				server.wait(timeout=30)
				server_log.close()
	finally:
		if keep_site:
			log(f"keeping site {site}")
		else:
			log(f"dropping site {site}")
			bench.drop_site(site, setup_log)
	return tier_list


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	parser.add_argument("--tier", choices=["unit", "integration", "e2e"], action="append",
	                    help="run only this tier (repeatable); default: all")
	parser.add_argument("--keep-site", action="store_true", help="do not drop the test site (debugging)")
	options = parser.parse_args()
	tiers = set(options.tier or ["unit", "integration", "e2e"])
	shutil.rmtree(RESULTS, ignore_errors=True)
	RESULTS.mkdir()

	results: list[Tier] = []
	if "unit" in tiers:
		log("unit: plain pytest, no Frappe")
		results.append(unit_tier())
	site_wanted = tiers & {"integration", "e2e"}
	if site_wanted:
		bench = Bench.find()
		if bench is None:
			for name in ("integration", "e2e"):
				if name in site_wanted:
					tier = Tier(name)
					tier.note = "SKIPPED (no bench)"
					results.append(tier)
		else:
			results.extend(site_tiers(bench, site_wanted, options.keep_site))

	print()
	for tier in results:
		print(tier.summary())
	return 0 if all(tier.ok for tier in results) else 1


if __name__ == "__main__":
	sys.exit(main())
