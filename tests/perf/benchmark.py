#!/usr/bin/env python3
"""The community's hot paths against Helpdesk's own agent ticket list, on a generated data set.

    python3 tests/perf/benchmark.py [--tickets 100000] [--calls 200] [--keep-site]

On the bench tests/run.py finds (PEER_SUPPORT_BENCH, default /home/frappe/frappe-bench), this copies
the checkout into the bench, creates a throw-away site `ps-bench-<hex>.localhost` with helpdesk and
peer_support, generates the data set inside it (tests/perf/bench_site.py: N tickets, 2N answers,
10N votes with their reputation ledger, N/10 portal users, 50 topics), measures each call in-process
and over HTTP (`frappe serve` on a free loopback port), prints a table, writes
test-results/benchmark-<N>.json and .md, and drops the site (unless --keep-site).

The figures are medians and 95th percentiles over --calls calls each, and their ratio to
Helpdesk's list call in the same mode. BENCHMARK.md has the data set, the machine and the results.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from run import APP, RESULTS, Bench, free_port, wait_for  # noqa: E402  (tests/run.py: the harness)

HOST = "host: Helpdesk agent ticket list"
# The targets: (what, check on the results, the figures it reads).
LIST_RATIO = 1.5
VOTE_P95_MS = 20
LEADERBOARD_P95_MS = 20
SUGGESTION_P95_MS = 60  # in-process, at 100k tickets
PING_RATIO = 2.0  # over HTTP: the suggestion's p95 against Frappe's ping's, timed in the same rounds
SUGGESTIONS = ("similar-ticket suggestion", "agent: similar solved tickets")
# Issue 16: every read the community app makes, over HTTP, within 1.5x ping's p95 in the same rounds.
PAGE_CALLS = (
	"feed page 1",
	"feed page 1, small customer",
	"ticket page, 20 answers",
	"known issues (feed)",
	"options (ask, profile)",
	"profile",
	"leaderboard all time",
	"similar-ticket suggestion",
)
PAGE_PING_RATIO = 1.5
GROWTH = 2.0


def log(message: str) -> None:
	print(f"[benchmark] {message}", flush=True)


def stream(bench: Bench, args: list[str], logfile: Path, env: dict | None = None) -> int:
	"""Run as the bench owner from its sites folder, printing each line as it comes (progress)."""
	with open(logfile, "a") as out:
		out.write(f"\n$ {' '.join(args)}\n")
		proc = subprocess.Popen(
			bench.command(args),
			cwd=bench.sites,
			stdout=subprocess.PIPE,
			stderr=subprocess.STDOUT,
			text=True,
			env={**os.environ, **(env or {})},
			start_new_session=True,
		)
		for line in proc.stdout:
			print(line, end="", flush=True)
			out.write(line)
		return proc.wait()


def find(results: list[dict], name: str, mode: str) -> dict | None:
	return next((r for r in results if r["name"] == name and r["mode"] == mode), None)


def targets(data: dict, other: dict | None) -> list[dict]:
	"""Which of the issue's targets the figures meet."""
	results = data["measurements"]
	checks = []

	def check(target: str, ok: bool, figures: str) -> None:
		checks.append({"target": target, "met": bool(ok), "figures": figures})

	def against_ping(name: str, ratio: float, prefix: str = "") -> None:
		r = find(results, name, "http")
		if r and "ping_ratio_p95" in r:
			check(
				f"{prefix}{name} p95 <= {ratio}x ping's p95 (HTTP, same rounds)",
				r["ping_ratio_p95"] <= ratio,
				f"{r['p95_ms']} ms, {r['ping_ratio_p95']}x",
			)

	for mode in ("in-process", "http"):
		for name in ("feed page 1", "feed page 50", "ticket page, 20 answers"):
			r = find(results, name, mode)
			if r:
				check(
					f"{name} <= {LIST_RATIO}x host list ({mode}, median and p95)",
					r["ratio_median"] <= LIST_RATIO and r["ratio_p95"] <= LIST_RATIO,
					f"{r['ratio_median']}x / {r['ratio_p95']}x",
				)
	r = find(results, "vote with reputation update", "in-process")
	check(f"vote p95 < {VOTE_P95_MS} ms in-process", r["p95_ms"] < VOTE_P95_MS, f"{r['p95_ms']} ms")
	for name in ("leaderboard all time", "leaderboard this month", "leaderboard per topic"):
		r = find(results, name, "in-process")
		check(
			f"{name} p95 < {LEADERBOARD_P95_MS} ms in-process",
			r["p95_ms"] < LEADERBOARD_P95_MS,
			f"{r['p95_ms']} ms",
		)
	for name in SUGGESTIONS:
		r = find(results, name, "in-process")
		if r:
			check(
				f"{name} p95 <= {SUGGESTION_P95_MS} ms in-process (the target is at 100k tickets)",
				r["p95_ms"] <= SUGGESTION_P95_MS,
				f"{r['p95_ms']} ms at {data['dataset']['tickets']} tickets",
			)
		against_ping(name, PING_RATIO)
	for name in PAGE_CALLS:
		against_ping(name, PAGE_PING_RATIO, "community app: ")
	if other:
		small, large = sorted([data, other], key=lambda d: d["dataset"]["tickets"])
		for name in ("feed page 1", "feed page 50", *SUGGESTIONS):
			a, b = (
				find(small["measurements"], name, "in-process"),
				find(large["measurements"], name, "in-process"),
			)
			if a and b:
				growth = b["median_ms"] / a["median_ms"]
				check(
					f"{name} grows < {GROWTH}x from {small['dataset']['tickets']} to {large['dataset']['tickets']} "
					"tickets (in-process median)",
					growth < GROWTH,
					f"{a['median_ms']} -> {b['median_ms']} ms ({growth:.2f}x)",
				)
	return checks


def table(data: dict) -> str:
	"""Markdown: one row per call, in-process and HTTP side by side."""
	results = data["measurements"]
	lines = [
		"| call | in-process median ms | p95 ms | x host (median / p95) | HTTP median ms | p95 ms | "
		"x host (median / p95) | HTTP p95 x ping p95 |",
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
	]
	names = list(dict.fromkeys(r["name"] for r in results))
	for name in names:
		cells = [name]
		for mode in ("in-process", "http"):
			r = find(results, name, mode)
			if r:
				ratio = f"{r['ratio_median']:.2f} / {r['ratio_p95']:.2f}" if "ratio_median" in r else ""
				cells += [f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}", ratio]
			else:
				cells += ["", "", ""]
		r = find(results, name, "http")
		cells.append(f"{r['ping_ratio_p95']:.2f}" if r and "ping_ratio_p95" in r else "")
		lines.append("| " + " | ".join(cells) + " |")
	return "\n".join(lines)


def report(data: dict) -> str:
	d = data["dataset"]
	head = (
		f"Benchmark at {d['tickets']} tickets ({d['community_tickets']} community), {d['answers']} answers, "
		f"{d['votes']} votes, {d['ledger_events']} ledger events, {d['portal_users']} portal users, "
		f"{d['topics']} topics; {data['calls']} calls per figure; generation {d['generated_seconds']} s; "
		f"run {data['run_seconds']} s; {data['machine']['cpus']} CPUs; "
		f"Frappe {data['versions']['frappe']}, Helpdesk {data['versions']['helpdesk']}, "
		f"MariaDB {data['versions']['mariadb']}."
	)
	checks = "\n".join(
		f"- [{'x' if c['met'] else ' '}] {c['target']}: {c['figures']}" for c in data["targets"]
	)
	return f"{head}\n\n{table(data)}\n\nTargets:\n\n{checks}\n"


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument(
		"--tickets", type=int, default=100_000, help="tickets in the data set (default 100000)"
	)
	parser.add_argument("--calls", type=int, default=200, help="timed calls per figure (default 200)")
	parser.add_argument("--keep-site", action="store_true", help="do not drop the site at the end")
	parser.add_argument(
		"--site", help="reuse a kept ps-bench-* site (its data set stays; code is synced and migrated)"
	)
	parser.add_argument(
		"--generate-only",
		action="store_true",
		help="make and keep the site with its data set, without the suggestion index, and measure nothing "
		"(for probes that bring their own load, e.g. tests/perf/incidents.py)",
	)
	options = parser.parse_args()
	if options.calls < 200:
		log("note: fewer than 200 calls per figure")
	benches = Bench.find_all()  # the first of the matrix (PEER_SUPPORT_BENCH(ES) pick one)
	if not benches:
		log("no bench found (PEER_SUPPORT_BENCH, default /home/frappe/frappe-bench)")
		return 2
	bench = benches[0]
	log(f"bench: {bench.path} ({bench.label})")
	RESULTS.mkdir(exist_ok=True)
	logfile = RESULTS / f"benchmark-{options.tickets}.log"
	logfile.write_text("")
	python = str(bench.python)
	app_dir = bench.path / "apps" / APP
	site = options.site or f"ps-bench-{secrets.token_hex(4)}.localhost"
	if not site.startswith("ps-bench-"):
		log("--site must be a ps-bench-* site this command made")
		return 2
	work = Path(tempfile.mkdtemp(prefix="peer-support-bench-"))
	if os.geteuid() == 0:
		os.chown(work, bench.owner.pw_uid, bench.owner.pw_gid)
	started = time.monotonic()
	keep = options.keep_site or bool(options.site) or options.generate_only
	server = None
	try:
		log(f"bench: {bench.path} (owner {bench.owner.pw_name}); installing this checkout")
		bench.install_checkout(logfile)
		if options.site:
			log(f"reusing {site}: migrating")
			code, _ = bench.frappe(site, ["migrate"], logfile)
			if code:
				raise RuntimeError(f"migrate failed, see {logfile}")
		else:
			log(f"creating site {site} with helpdesk and {APP} (takes a few minutes)")
			step = time.monotonic()
			bench.new_site(site, logfile)  # also raises throttle_user_limit, as tests/run.py does
			log(f"site ready in {time.monotonic() - step:.0f} s")
		inner = [
			python,
			str(app_dir / "tests" / "perf" / "bench_site.py"),
			"--site",
			site,
			"--sites-path",
			".",
		]
		env = {"PYTHONDONTWRITEBYTECODE": "1"}
		step = time.monotonic()
		log(f"generating the data set at {options.tickets} tickets")
		generate = [*inner, "generate", "--tickets", str(options.tickets)]
		if stream(bench, generate + (["--no-index"] if options.generate_only else []), logfile, env):
			raise RuntimeError(f"generation failed, see {logfile}")
		log(f"data set ready in {time.monotonic() - step:.0f} s")
		if options.generate_only:
			log(f"--generate-only: site {site} kept, nothing measured")
			return 0

		port = free_port()
		server_log = open(RESULTS / f"benchmark-{options.tickets}-server.log", "w")
		log(f"serving {site} on 127.0.0.1:{port}")
		server = bench.serve(site, port, server_log)
		base = f"http://127.0.0.1:{port}"
		if not wait_for(f"{base}/api/method/ping", 90):
			raise RuntimeError(f"the web server did not start, see {server_log.name}")
		out = work / "results.json"
		step = time.monotonic()
		log(f"measuring: {options.calls} calls per figure, in-process then over HTTP")
		if stream(
			bench,
			[*inner, "measure", "--calls", str(options.calls), "--base-url", base, "--out", str(out)],
			logfile,
			env,
		):
			raise RuntimeError(f"measurement failed, see {logfile}")
		log(f"measured in {time.monotonic() - step:.0f} s")
		data = json.loads(out.read_text())
	finally:
		if server:
			os.killpg(server.pid, 15)
			server.wait(timeout=30)
		shutil.rmtree(work, ignore_errors=True)
		if keep:
			log(f"keeping site {site}")
		else:
			log(f"dropping site {site}")
			bench.drop_site(site, logfile)

	data["run_seconds"] = round(time.monotonic() - started)
	data["site"] = site if keep else None
	data["machine"] = {
		"cpus": os.cpu_count(),
		"platform": platform.platform(),
		"python": platform.python_version(),
	}
	other_size = 10_000 if options.tickets != 10_000 else 100_000
	other_file = RESULTS / f"benchmark-{other_size}.json"
	other = json.loads(other_file.read_text()) if other_file.exists() else None
	data["targets"] = targets(data, other)
	(RESULTS / f"benchmark-{options.tickets}.json").write_text(json.dumps(data, indent=1))
	text = report(data)
	(RESULTS / f"benchmark-{options.tickets}.md").write_text(text)
	print()
	print(text)
	log(f"results: {RESULTS / f'benchmark-{options.tickets}.json'} and .md; {data['run_seconds']} s in all")
	return 0


if __name__ == "__main__":
	sys.exit(main())
