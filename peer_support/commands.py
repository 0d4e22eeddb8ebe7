"""Bench commands: `bench --site <site> peer-support-recompute`."""

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


commands = [recompute, demo]
