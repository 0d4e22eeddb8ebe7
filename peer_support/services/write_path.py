"""This app's records change only through its own methods, whatever the path and whatever the role.

Every record of the community (answers, votes, flags, "I have this too", followers, the reputation
ledger and periods, profiles, routing and deflection records) is written by peer_support's checked
functions, inside `peer_writes()`. A write from anywhere else — Desk, `/api/resource` (POST, PUT,
DELETE), `frappe.client.set_value`, a rename, a `frappe.get_doc(...).save()` in a console or another
app — reaches the doctype's controller outside that block and is refused with a PermissionError
(HTTP 403) and a message saying where the change is made instead. So an agent cannot put words in a
colleague's mouth, nobody can set a score, an acceptance, an endorsement or a hidden state, and the
ledger and the totals built from it stay equal.

`frappe.flags` live for one request (or one job) and no request argument sets them, so a REST call
cannot open the block.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model.document import Document

# What to tell a caller, per doctype: where the change is made instead.
WHERE = {
	"Peer Answer": _(
		"Peer answers change only through the community page's actions (answer, edit, vote, accept, "
		"endorse, hide, flag), so that their rules and the reputation ledger stay right."
	),
	"Peer Answer Vote": _("Votes are cast on the community page, one per colleague and answer."),
	"Peer Answer Flag": _("Answers are flagged on the community page."),
	"Peer Ticket Affected": _('Colleagues say "I have this too" on the community page.'),
	"Peer Ticket Follower": _("Colleagues follow questions on the community page."),
	"Peer Reputation Event": _(
		"Reputation events are never changed or deleted; a compensating event corrects them."
	),
	"Peer Reputation Period": _(
		"Leaderboard totals are kept from the reputation ledger; bench peer-support-recompute rebuilds them."
	),
	"Peer Profile": _(
		"Profiles are kept from the reputation ledger; their owner changes involvement and topics on "
		"the community page."
	),
	"Peer Routing": _("Routing records are written when a question is routed to experts."),
	"Peer Deflection": _("Deflections are recorded by the Ask page."),
	"Peer Ask Session": _(
		"Ask sessions are recorded by the Ask page, for the Deflection Holdout report; nobody edits them."
	),
	"Peer Article Source": _(
		"An article's sources are recorded when an agent makes it from a peer answer; nobody edits them."
	),
	"Peer Article Review": _(
		"Articles go back to review by their readers' feedback and reopened tickets; an agent closes "
		"the review with Mark Reviewed."
	),
	"Peer Known Issue": _(
		"Known issues change through their actions (publish, update, link tickets, resolve), agents only, "
		"so that everyone affected is told once when one is resolved."
	),
	"Peer Known Issue Subscriber": _('Colleagues say "me too" to a known issue on the community page.'),
	"Peer Incident Alert": _(
		"Incident alerts are raised by the detection job; agents publish a known issue from one or dismiss it."
	),
	"Peer Demo Record": _(
		"Only the demo (bench peer-support-demo load) notes what it made; remove deletes exactly that."
	),
}


@contextmanager
def peer_writes():
	"""This app's checked functions write its records (and HD Ticket's peer fields) inside this block."""
	previous = frappe.flags.peer_support_writing
	frappe.flags.peer_support_writing = True
	try:
		yield
	finally:
		frappe.flags.peer_support_writing = previous


def inside() -> bool:
	return bool(frappe.flags.peer_support_writing)


def refuse(doctype: str) -> None:
	frappe.throw(
		WHERE.get(doctype) or _("This record is kept by Peer Support."),
		frappe.PermissionError,
		title=_("Not allowed"),
	)


class AppWritten(Document):
	"""Base of this app's community doctypes: written only inside `peer_writes()`."""

	def before_insert(self):  # before the naming, which would refuse first for want of a name
		if not inside():
			refuse(self.doctype)

	def before_validate(self):  # runs even where `flags.ignore_validate` skips validate()
		if not inside():
			refuse(self.doctype)

	def validate(self):  # insert and save, from any path
		if not inside():
			refuse(self.doctype)

	def on_trash(self):
		if not inside() and not frappe.flags.peer_support_erasing_user:
			refuse(self.doctype)

	def before_rename(self, old, new, merge=False):
		# Frappe's personal data deletion renames a person's profile to the anonymous name, as a System
		# Manager; nobody else renames these records.
		if not inside() and "System Manager" not in frappe.get_roles():
			refuse(self.doctype)
