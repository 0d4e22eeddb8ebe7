app_name = "peer_support"
app_title = "Peer Support"
app_publisher = "peer_support developers"
app_description = "Social, peer-to-peer IT support inside Frappe Helpdesk"
app_email = "peer-support@example.org"
app_license = "mit"

# "org/repo" form: Frappe resolves a bare name by asking GitHub, which an offline bench cannot.
required_apps = ["frappe/helpdesk"]

# Every whitelisted function declares its argument types, so bad input fails with a 4xx.
require_type_annotated_api_methods = True

# Installation
# ------------
after_install = "peer_support.setup.install.after_install"
after_migrate = "peer_support.setup.install.after_migrate"
before_uninstall = "peer_support.setup.install.before_uninstall"

# Website
# -------
# /community/<ticket>, /community/ask, /community/profile and /community/known-issues/<notice> are
# drawn by the same page, the community app's router.
website_route_rules = [
	{"from_route": "/community/<path:app_path>", "to_route": "community"},
]

portal_menu_items = [{"title": "Community", "route": "/community", "reference_doctype": "", "role": ""}]

# Desk
# ----
doctype_js = {"HD Ticket": "public/js/hd_ticket_form.js"}

# Helpdesk v1.5 reads a ticket for its pages without asking HD Ticket's permissions; this adds the check.
override_whitelisted_methods = {
	"helpdesk.helpdesk.doctype.hd_ticket.api.get_one": "peer_support.services.access.get_one",
}

# Document Events
# ---------------
doc_events = {
	"HD Ticket": {
		"before_save": [
			"peer_support.services.visibility.before_save",
			"peer_support.services.guard.before_save",
		],
		"on_update": [
			"peer_support.services.notify.on_ticket_update",
			"peer_support.services.routing.on_ticket_update",
			"peer_support.services.search_index.on_ticket_update",
			# a reopened ticket sends the articles it was solved with back to review (in a job)
			"peer_support.services.knowledge_review.on_ticket_update",
		],
		"on_trash": "peer_support.services.search_index.on_ticket_trash",
		# Many similar new tickets may be an incident: asks for a detection job (never runs it here).
		"after_insert": "peer_support.services.incidents.on_ticket_insert",
	},
	# The suggestion index follows the knowledge base: published, changed, unpublished, deleted.
	"HD Article": {
		"on_update": "peer_support.services.search_index.on_article_update",
		"on_trash": "peer_support.services.search_index.on_article_trash",
	},
	# Helpdesk's own "didn't help" marks on an article (its first mark inserts the row; a changed mark
	# is a db.set_value without events, which the hourly scan below reads).
	"HD Article Feedback": {"on_update": "peer_support.services.knowledge_review.on_feedback"},
}
# Who a user is to this app (agent or not, whose contact) is cached per user (services.access.viewer):
# a change of what it is made of empties that cache. Roles (User, Has Role), HD Agent, and a
# contact's customers (Contact and its links on Helpdesk v1.5; HD Customer and its HD Customer Member
# rows on v1.2x).
doc_events.update(
	{
		doctype: dict.fromkeys(
			("on_change", "on_trash", "after_rename"), "peer_support.services.access.forget_viewers"
		)
		for doctype in (
			"User",
			"Has Role",
			"HD Agent",
			"Contact",
			"Dynamic Link",
			"HD Customer",
			"HD Customer Member",
		)
	}
)

# Requests
# --------
# A worker's first request starts loading the sentence model in a thread (services.search_index.warm).
before_request = ["peer_support.services.search_index.warm"]

# Permissions
# -----------
# Private tickets stay private: narrows Helpdesk's own HD Ticket rules for portal users.
has_permission = {
	"HD Ticket": "peer_support.services.access.ticket_has_permission",
	# Helpdesk v1.5 lets every role read draft articles; this app's drafts quote community questions.
	"HD Article": "peer_support.services.access.article_has_permission",
}

permission_query_conditions = {
	"HD Ticket": "peer_support.services.access.ticket_query_conditions",
	"HD Article": "peer_support.services.access.article_query_conditions",
}

# Scheduled Tasks
# ---------------
scheduler_events = {
	# The peer window: shared tickets colleagues did not solve in their share of the first-response budget.
	"cron": {
		"*/5 * * * *": ["peer_support.services.peer_window.escalate_due"],
		# Emerging incidents: marks and new tickets queue a run; this one catches what a burst left over.
		"* * * * *": ["peer_support.services.incidents.detect"],
	},
	# Knowledge that decays: "didn't help" marks Helpdesk changed in place since the last runs.
	"hourly": ["peer_support.services.knowledge_review.scan_feedback"],
	"daily": [
		"peer_support.services.reputation.reverse_serial_votes",
		"peer_support.services.routing.send_daily_digests",
	],
	"weekly": ["peer_support.services.routing.send_weekly_digests"],
}

# Personal data
# -------------
# Read by Frappe's Personal Data Deletion Request (and its download). Its last step renames the User
# to "deleted-user-NNNN@SITE": that rewrites every Link to the person (answers' author, votes' voter, the
# ledger's user and actor, "I have this too", followers, leaderboard rows) and every owner and
# modified_by column, by SQL, without running these doctypes' controllers. Listed here are the records
# whose text may carry the person's name or address, and the profile, which is named after the address.
# Records with nothing but Links (Peer Answer Vote, Peer Ticket Affected and Follower, Peer Reputation
# Event and Period) are not listed: Frappe would run an UPDATE without a text column on them, which
# fails. The ledger keeps its points, so totals still equal the ledger after the renames.
user_data_fields = [
	{"doctype": "Peer Profile", "filter_by": "user", "redact_fields": ["full_name"], "rename": True},
	{"doctype": "Peer Answer", "filter_by": "author"},
	{"doctype": "Peer Answer Flag", "filter_by": "flagged_by"},
	{"doctype": "Peer Deflection", "filter_by": "user"},
	# this app writes people's names into others' notifications and Helpdesk's ticket activity (not
	# HD Article, whose drafts credit the author: Frappe's redaction fails on its virtual title_slug)
	{"doctype": "Notification Log", "strict": True},
	{"doctype": "HD Ticket Activity", "strict": True},
]
