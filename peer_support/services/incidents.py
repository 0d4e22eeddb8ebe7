"""Emerging incidents and known-issue notices, applied.

Detection never runs in a request. A new ticket (HD Ticket after_insert) or an "I have this too"
mark asks for a run (`queue_detection`: one Redis key per site lets one request in twenty seconds
enqueue, and the job is deduplicated by its id), and a one-minute cron runs it anyway, so a burst is
counted by a handful of jobs whatever its size. The job (`detect`) reads the window's new tickets and
marks, groups them by topic and similarity (core.incidents; the subjects' sentence vectors, computed
in the job and kept in Redis for the window), and raises a Peer Incident Alert per group that crossed
a threshold, once (again when it doubles), telling the agents through Notification Log.

A known-issue notice (Peer Known Issue) is published by an agent, shown on the community feed, on
the Ask page before filing ("me too: subscribe", counted as a deflection) and to the followers of its
topics; when it is resolved, everyone affected is told, once (`resolution_notified_on`, set under the
notice's row lock before the job that tells them is queued).
"""

import json
from datetime import timedelta

import frappe
from frappe import _
from frappe.query_builder import DocType, Order
from frappe.query_builder.functions import Count
from frappe.utils import get_datetime, now_datetime, pretty_date
from frappe.utils.html_utils import sanitize_html

from peer_support import host
from peer_support.core.audience import SAME_CUSTOMER
from peer_support.core.holdout import DEFLECTED
from peer_support.core.incidents import (
	ACTIVE_STATUSES,
	RESOLVED,
	STATUSES,
	Cluster,
	Decision,
	PastAlert,
	Thresholds,
	Unit,
	alert_subject,
	clusters,
	decide,
	is_active,
	matching_notices,
	may_read_notice,
	to_tell_on_resolve,
)
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import access, notify
from peer_support.services.rows import statement
from peer_support.services.write_path import peer_writes

NOTICE = "Peer Known Issue"
SUBSCRIBER = "Peer Known Issue Subscriber"
ALERT = "Peer Incident Alert"
OPEN, PUBLISHED, DISMISSED = "Open", "Notice Published", "Dismissed"
JOB = "peer_support.services.incidents.detect"
QUEUED_KEY = "peer_support:incidents:queued"
QUEUED_SECONDS = 20
VECTOR_KEY = "peer_support:incidents:vector:{}"
LOCK = "peer_support_incident_detection"
# At most this many new tickets are read per run (the newest): a burst larger than this in one window
# is an incident whatever its exact size.
MAX_NEW_TICKETS = 5000
# Alerts raised this recently are the "same group" candidates (and every alert still Open).
ALERT_MEMORY = timedelta(days=1)
MAX_ACTIVE_NOTICES = 50
MAX_AGENTS_TOLD = 50
TITLE_LENGTH = 140


def thresholds(settings=None) -> Thresholds:
	settings = settings or get_settings()
	return Thresholds(
		marks=int(settings.get("incident_marks_threshold") or 0),
		tickets=int(settings.get("incident_tickets_threshold") or 0),
		similarity=float(settings.get("incident_similarity") or 0.6),
	)


def window(settings=None) -> timedelta:
	settings = settings or get_settings()
	return timedelta(minutes=max(int(settings.get("incident_window_minutes") or 60), 1))


# The request side: ask for a run, never run
# ------------------------------------------


def queue_detection() -> bool:
	"""A new ticket or mark: enqueue a detection run after the commit, at most one per QUEUED_SECONDS
	per site (a Redis key), deduplicated by job id (a queued run will see this change too). Returns
	whether this call queued one. The one-minute cron catches anything in between."""
	settings = get_settings()
	# (during install or migrate Frappe would run a queued job at once, inside the command)
	if (
		not settings.enabled
		or not thresholds(settings).enabled
		or frappe.flags.in_install
		or frappe.flags.in_migrate
	):
		return False
	key = frappe.cache.make_key(QUEUED_KEY)
	if not frappe.cache.set(key, 1, ex=QUEUED_SECONDS, nx=True):
		return False
	frappe.enqueue(
		JOB,
		queue="short",
		job_id=f"peer_support_incidents::{frappe.local.site}",
		deduplicate=True,
		enqueue_after_commit=True,
	)
	return True


def on_ticket_insert(doc, method=None) -> None:
	"""HD Ticket after_insert: a new ticket may be one of many about the same thing."""
	queue_detection()


# The job: detection
# ------------------


def detect(now=None) -> list[str]:
	"""The detection run (a job: queued by marks and new tickets, and every minute by the scheduler).
	Returns the alerts raised or raised again. Two runs never overlap (a MariaDB named lock): the
	second returns at once, the first sees its changes."""
	settings = get_settings()
	limits = thresholds(settings)
	if not settings.enabled or not limits.enabled:
		return []
	if not frappe.db.sql("SELECT GET_LOCK(%s, 0)", LOCK)[0][0]:
		return []
	try:
		now = get_datetime(now) if now else now_datetime()
		units = window_units(now - window(settings))
		found = clusters(units, limits.similarity, subject_vectors(units))
		crossing = [c for c in found if c.crosses(limits)]
		if not crossing:
			return []
		tickets = {t for c in crossing for t in c.tickets}
		decisions = decide(crossing, past_alerts(now, tickets), noticed_tickets(tickets), limits)
		return [raise_alert(decision, now) for decision in decisions]
	finally:
		frappe.db.sql("SELECT RELEASE_LOCK(%s)", LOCK)


def window_units(since) -> list[Unit]:
	"""The window's tickets: created since `since` (the newest MAX_NEW_TICKETS), and those with an "I have
	this too" mark since then (with the people who marked them then)."""
	Ticket, Affected = DocType(host.TICKET), DocType("Peer Ticket Affected")
	fields = (Ticket.name, Ticket.ticket_type, Ticket.raised_by, Ticket.subject, Ticket.creation)
	new = (
		frappe.qb.from_(Ticket)
		.select(*fields)
		.where(Ticket.creation >= since)
		.orderby(Ticket.creation, order=frappe.qb.desc)
		.limit(MAX_NEW_TICKETS)
		.run(as_dict=True)
	)
	markers: dict[str, set[str]] = {}
	for ticket, user in (
		frappe.qb.from_(Affected)
		.select(Affected.ticket, Affected.user)
		.where(Affected.creation >= since)
		.run()
	):
		markers.setdefault(str(ticket), set()).add(user)
	rows = {str(row.name): row for row in new}
	older = [name for name in markers if name not in rows]
	if older:
		for row in frappe.qb.from_(Ticket).select(*fields).where(Ticket.name.isin(older)).run(as_dict=True):
			rows[str(row.name)] = row
	return [
		Unit(
			name=name,
			topic=row.ticket_type,
			requester=row.raised_by,
			subject=row.subject or "",
			new=get_datetime(row.creation) >= get_datetime(since),
			markers=frozenset(markers.get(name, ())),
			created=get_datetime(row.creation),
		)
		for name, row in rows.items()
	]


def subject_vectors(units: list[Unit]) -> dict:
	"""Ticket name -> its subject's sentence vector (unit length), where the model is installed. Each
	subject is embedded once, by the first run that sees it, and kept in Redis for two windows."""
	from peer_support.services import search_index

	encoder = search_index.model(wait=True)  # a job: waiting for the model is fine
	if encoder is None or not units:
		return {}
	from peer_support import embedding

	found, missing = {}, []

	def key(unit: Unit) -> str:
		# By name and subject: an agent may edit the subject, and a rolled-back ticket's number is
		# given again by Helpdesk 1.2x's naming series (tests): neither may reuse another text's vector.
		return VECTOR_KEY.format(f"{unit.name}:{search_index.text_hash(unit.subject or '')[:16]}")

	for unit in units:
		# expires=True: read Redis, never the process's memo (which would keep a first miss for good)
		cached = frappe.cache.get_value(key(unit), expires=True)
		vector = search_index.decode_vector(cached) if cached else None
		if vector is not None:
			found[unit.name] = vector
		else:
			missing.append(unit)
	if missing:
		ttl = int(2 * window().total_seconds())
		vectors = encoder.encode([u.subject or "" for u in missing], max_tokens=embedding.QUERY_TOKENS)
		for unit, vector in zip(missing, vectors, strict=True):
			found[unit.name] = vector
			frappe.cache.set_value(key(unit), search_index.encode_vector(vector), expires_in_sec=ttl)
	return found


def past_alerts(now, tickets: set[str]) -> list[PastAlert]:
	"""Alerts of the last day (and every one still open), with whether a live notice covers them."""
	Alert = DocType(ALERT)
	rows = (
		frappe.qb.from_(Alert)
		.select(Alert.name, Alert.tickets, Alert.people_count, Alert.tickets_count, Alert.known_issue)
		.where((Alert.alerted_on >= now - ALERT_MEMORY) | (Alert.status == OPEN))
		.run(as_dict=True)
	)
	notices = {r.known_issue for r in rows if r.known_issue}
	live = (
		set(
			frappe.get_all(
				NOTICE,
				filters={"name": ["in", list(notices)], "status": ["in", ACTIVE_STATUSES]},
				pluck="name",
			)
		)
		if notices
		else set()
	)
	return [
		PastAlert(
			name=r.name,
			tickets=frozenset(json.loads(r.tickets or "[]")),
			people=r.people_count or 0,
			tickets_count=r.tickets_count or 0,
			covered=r.known_issue in live,
		)
		for r in rows
	]


def noticed_tickets(tickets: set[str]) -> frozenset[str]:
	"""Those of `tickets` linked to a notice that is not resolved."""
	if not tickets:
		return frozenset()
	Row, Notice = DocType("Peer Known Issue Ticket"), DocType(NOTICE)
	return frozenset(
		str(name)
		for name in frappe.qb.from_(Row)
		.join(Notice)
		.on(Row.parent == Notice.name)
		.select(Row.ticket)
		.where(Row.parenttype == NOTICE)
		.where(Row.ticket.isin(list(tickets)))
		.where(Notice.status.isin(list(ACTIVE_STATUSES)))
		.run(pluck=True)
	)


def raise_alert(decision: Decision, now) -> str:
	"""Write the alert (a new one, or the same group's, grown) and tell the agents."""
	cluster = decision.cluster
	values = {
		"subject": alert_subject(cluster)[:240],
		"topic": cluster.topic
		if cluster.topic and frappe.db.exists("HD Ticket Type", cluster.topic)
		else None,
		"first_ticket": cluster.tickets[0],
		"people_count": len(cluster.people),
		"tickets_count": len(cluster.tickets),
		"new_tickets": cluster.new_tickets,
		"most_marks": cluster.most_marks,
		"alerted_on": now,
		"tickets": json.dumps(list(cluster.tickets)),
	}
	with peer_writes():  # the detection job's own record
		if decision.alert:
			doc = frappe.get_doc(ALERT, decision.alert)
			doc.update(values)
			# grown since it was dismissed, or since its notice was resolved: a live alert again
			doc.status = OPEN
			doc.times_alerted = (doc.times_alerted or 1) + 1
			doc.save(ignore_permissions=True)
		else:
			doc = frappe.get_doc({"doctype": ALERT, "status": OPEN, "times_alerted": 1, **values})
			doc.insert(ignore_permissions=True)
	notify.notify(
		alert_recipients(cluster),
		(_("Grown: {0}") if decision.grown else "{0}").format(values["subject"]),
		None,
		body=_("Publish a known-issue notice from the alert, or dismiss it."),
		for_agents=True,
		reference=(ALERT, doc.name),
		link=f"/app/peer-incident-alert/{doc.name}",
	)
	return doc.name


def alert_recipients(cluster: Cluster) -> list[str]:
	"""The agents assigned to the group's tickets, and Helpdesk's agent managers; with neither, the
	active agents (someone must look)."""
	agents = set(notify.ticket_agents(cluster.tickets[0]))  # assigned, else the agent managers
	Ticket = DocType(host.TICKET)
	for assigned in (
		frappe.qb.from_(Ticket)
		.select(Ticket._assign)
		.where(Ticket.name.isin(list(cluster.tickets)))
		.run(pluck=True)
	):
		agents.update(frappe.parse_json(assigned or "[]"))
	if not agents:
		agents.update(
			frappe.get_all("HD Agent", filters={"is_active": 1}, pluck="user", limit=MAX_AGENTS_TOLD)
		)
	return sorted(agents)


# Notices: the service desk's side
# --------------------------------


def clean_status(status: str | None) -> str:
	if status not in STATUSES:
		frappe.throw(_("Status must be one of {0}").format(", ".join(STATUSES)), frappe.ValidationError)
	return status


def as_list(value) -> list:
	"""A list argument from JSON, a comma-separated string or a list."""
	if value in (None, ""):
		return []
	if isinstance(value, str):
		value = value.strip()
		value = frappe.parse_json(value) if value.startswith("[") else value.split(",")
	if not isinstance(value, list | tuple):
		frappe.throw(_("Expected a list"), frappe.ValidationError)
	return [str(v).strip() for v in value if str(v).strip()]


def checked_tickets(names) -> list[str]:
	"""Tickets the agent may read in Helpdesk (its own permission rules, agent groups included)."""
	found = []
	for name in as_list(names):
		if not frappe.db.exists(host.TICKET, name) or not frappe.has_permission(
			host.TICKET, "read", doc=name
		):
			frappe.throw(_("Ticket {0} not found").format(frappe.bold(name)), frappe.DoesNotExistError)
		found.append(host.ticket_name(name))
	return found


def checked(doctype: str, names, label: str) -> list[str]:
	names = as_list(names)
	for name in names:
		if not frappe.db.exists(doctype, name):
			frappe.throw(_("{0} {1} not found").format(label, frappe.bold(name)), frappe.ValidationError)
	return names


def customers_of_tickets(tickets: list[str]) -> list[str]:
	if not tickets:
		return []
	return sorted(
		set(
			frappe.get_all(
				host.TICKET, filters={"name": ["in", tickets], "customer": ["is", "set"]}, pluck="customer"
			)
		)
	)


def publish(
	title: str,
	summary: str | None = None,
	workaround: str | None = None,
	status: str | None = None,
	topics=None,
	customers=None,
	tickets=None,
	alert: str | None = None,
) -> "frappe.model.document.Document":
	"""A new known-issue notice, by an agent (the caller checked). From an alert, its tickets are linked
	and its topic is the notice's. Without customers given, the audience rule "same customer" shows it
	to the linked tickets' customers (none linked: every portal user)."""
	title = (title or "").strip()
	if not title:
		frappe.throw(_("A known issue needs a title."), frappe.MandatoryError)
	linked = checked_tickets(tickets)
	topics = checked("HD Ticket Type", topics, _("Topic"))
	if alert:
		row = frappe.db.get_value(ALERT, alert, ["name", "tickets", "topic", "known_issue"], as_dict=True)
		if not row:
			frappe.throw(_("Alert {0} not found").format(frappe.bold(alert)), frappe.DoesNotExistError)
		if row.known_issue and is_active(frappe.db.get_value(NOTICE, row.known_issue, "status")):
			frappe.throw(
				_("Known issue {0} was already published from this alert.").format(row.known_issue),
				frappe.ValidationError,
			)
		linked += [t for t in json.loads(row.tickets or "[]") if t not in linked]
		if row.topic and row.topic not in topics:
			topics.append(row.topic)
	if customers is None and get_settings().audience == SAME_CUSTOMER:
		customers = customers_of_tickets(linked)
	doc = frappe.get_doc(
		{
			"doctype": NOTICE,
			"title": title[:TITLE_LENGTH],
			"status": clean_status(status or ACTIVE_STATUSES[0]),
			"summary": (summary or "").strip()[:1000] or None,
			"workaround": sanitize_html(workaround or "", always_sanitize=True) or None,
			"published_on": now_datetime(),
			"alert": alert or None,
			"topics": [{"topic": t} for t in topics],
			"customers": [{"customer": c} for c in checked("HD Customer", customers, _("Customer"))],
			"tickets": [{"ticket": t, "linked_by": frappe.session.user} for t in linked],
		}
	)
	with peer_writes():  # an agent's notice (checked by the caller)
		doc.insert(ignore_permissions=True)
		if alert:
			alert_doc = frappe.get_doc(ALERT, alert)
			alert_doc.status, alert_doc.known_issue = PUBLISHED, doc.name
			alert_doc.save(ignore_permissions=True)
	for ticket in linked:
		host.log_activity(ticket, _("linked this ticket to known issue {0}: {1}").format(doc.name, doc.title))
	frappe.enqueue(
		"peer_support.services.incidents.tell_followers",
		notice=doc.name,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)
	return doc


def dismiss(alert: str) -> None:
	doc = frappe.get_doc(ALERT, alert)
	if doc.status == OPEN:
		doc.status = DISMISSED
		with peer_writes():  # an agent's decision (checked by the caller)
			doc.save(ignore_permissions=True)


def after_save(doc) -> None:
	"""Peer Known Issue on_update: resolved for the first time -> tell everyone affected, once.

	The notice's row is locked and its mark checked and set in this transaction, so two saves at once
	(two agents resolving, a resolve after a resolve) queue the telling once; the job runs after the
	commit, so a save that fails tells nobody."""
	if doc.status != RESOLVED:
		return
	if frappe.db.get_value(NOTICE, doc.name, "resolution_notified_on", for_update=True):
		return
	Notice = DocType(NOTICE)
	moment = now_datetime()
	frappe.qb.update(Notice).set(Notice.resolution_notified_on, moment).where(Notice.name == doc.name).run()
	doc.resolution_notified_on = moment
	frappe.enqueue(
		"peer_support.services.incidents.tell_resolved",
		notice=doc.name,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


def linked_tickets(notice: str) -> list[str]:
	"""The notice's tickets, and the tickets Helpdesk merged into them (host.merged_into)."""
	tickets = frappe.get_all(
		"Peer Known Issue Ticket", filters={"parent": notice, "parenttype": NOTICE}, pluck="ticket"
	)
	return sorted(set(tickets) | set(host.merged_into(tickets)))


def tell_resolved(notice: str) -> list[str]:
	"""The job: subscribers, "I have this too" of linked tickets, and their requesters hear it is resolved."""
	doc = frappe.get_doc(NOTICE, notice)
	tickets = linked_tickets(notice)
	subscribers = frappe.get_all(SUBSCRIBER, filters={"notice": notice}, pluck="user")
	affected = (
		frappe.get_all("Peer Ticket Affected", filters={"ticket": ["in", tickets]}, pluck="user")
		if tickets
		else []
	)
	requesters = (
		frappe.get_all(host.TICKET, filters={"name": ["in", tickets]}, pluck="raised_by") if tickets else []
	)
	users = to_tell_on_resolve(subscribers, affected, requesters, told_before=False)
	portal, agents = notify.split_by_role(users)
	subject = _("Resolved: {0}").format(doc.title)
	body = notify.excerpt(doc.summary or doc.workaround or "")
	notify.notify(portal, subject, None, body, reference=(NOTICE, notice), link=notice_route(notice))
	notify.notify(
		agents, subject, None, body, reference=(NOTICE, notice), link=f"/app/peer-known-issue/{notice}"
	)
	return users


def tell_followers(notice: str) -> list[str]:
	"""The job: colleagues who follow one of the notice's topics (and may read it) hear of it."""
	doc = frappe.get_doc(NOTICE, notice)
	topics = [row.topic for row in doc.topics]
	if not topics or not is_active(doc.status):
		return []
	Topic = DocType("Peer Profile Topic")
	followers = set(
		frappe.qb.from_(Topic)
		.select(Topic.parent)
		.distinct()
		.where(Topic.parenttype == "Peer Profile")
		.where(Topic.topic.isin(topics))
		.run(pluck=True)
	)
	customers = [row.customer for row in doc.customers]
	if customers and followers:
		followers &= set(host.people_of(customers).run(pluck=True)) | set(
			u for u in followers if host.is_agent(u)
		)
	users = sorted(followers)
	portal, agents = notify.split_by_role(users)
	subject = _("Known issue in a topic you follow: {0}").format(doc.title)
	notify.notify(
		portal,
		subject,
		None,
		notify.excerpt(doc.summary or ""),
		reference=(NOTICE, notice),
		link=notice_route(notice),
	)
	return portal


# Notices: what colleagues read and do
# ------------------------------------


def notice_route(name: str) -> str:
	return f"/community/known-issues/{name}"


def readable(rows: list, me) -> list:
	"""The notices (rows with a name) the caller may read: one query for their customers."""
	if not rows:
		return []
	Row = DocType("Peer Known Issue Customer")
	customers: dict[str, set[str]] = {}
	for parent, customer in (
		frappe.qb.from_(Row)
		.select(Row.parent, Row.customer)
		.where(Row.parenttype == NOTICE)
		.where(Row.parent.isin([r.name for r in rows]))
		.run()
	):
		customers.setdefault(parent, set()).add(customer)
	return [r for r in rows if may_read_notice(me, frozenset(customers.get(r.name, ())))]


NOTICE_FIELDS = (
	"name",
	"title",
	"status",
	"summary",
	"workaround",
	"subscriber_count",
	"published_on",
	"modified",
)


def active_notices(me) -> list:
	"""The live notices the caller may read, newest first."""

	# Every page of the community asks this: one statement, built once per process (services.rows).
	# Portal users have no role on the doctype; readable() applies the audience.
	def build():
		Notice = DocType(NOTICE)
		return (
			frappe.qb.from_(Notice)
			.select(*(Notice[f] for f in NOTICE_FIELDS))
			.where(Notice.status.isin(list(ACTIVE_STATUSES)))
			.orderby(Notice.published_on, order=Order.desc)
			.limit(MAX_ACTIVE_NOTICES)
		)

	return readable(frappe.db.sql(statement(("active_notices",), build), as_dict=True), me)


def get_readable(name: str | None, me):
	"""One notice the caller may read, else a 404 (its existence is not revealed)."""
	row = (
		frappe.db.get_value(NOTICE, name, list(NOTICE_FIELDS), as_dict=True)
		if name and isinstance(name, str)
		else None
	)
	if not row or not readable([row], me):
		frappe.throw(_("Known issue {0} not found").format(frappe.bold(name)), frappe.DoesNotExistError)
	return row


def project(rows: list, me) -> list[dict]:
	"""What leaves the server: the notice as colleagues see it; agents also get its tickets and customers."""
	if not rows:
		return []
	names = [r.name for r in rows]
	topics: dict[str, list[str]] = {}
	Topic = DocType("Peer Known Issue Topic")
	for parent, topic in (
		frappe.qb.from_(Topic)
		.select(Topic.parent, Topic.topic)
		.where(Topic.parenttype == NOTICE)
		.where(Topic.parent.isin(names))
		.run()
	):
		topics.setdefault(parent, []).append(topic)
	mine = set(frappe.get_all(SUBSCRIBER, filters={"notice": ["in", names], "user": me.user}, pluck="notice"))
	followed = set(
		frappe.get_all(
			"Peer Profile Topic", filters={"parent": me.user, "parenttype": "Peer Profile"}, pluck="topic"
		)
	)
	tickets = {}
	if me.is_agent:
		Row = DocType("Peer Known Issue Ticket")
		tickets = dict(
			frappe.qb.from_(Row)
			.select(Row.parent, Count("*"))
			.where(Row.parenttype == NOTICE)
			.where(Row.parent.isin(names))
			.groupby(Row.parent)
			.run()
		)
	result = []
	for r in rows:
		item = {
			"name": r.name,
			"title": r.title,
			"status": r.status,
			"active": is_active(r.status),
			"summary": r.summary or "",
			"workaround": sanitize_html(r.workaround or "", always_sanitize=True),
			"topics": topics.get(r.name, []),
			"followed": bool(followed & set(topics.get(r.name, []))),
			"subscriber_count": r.subscriber_count or 0,
			"subscribed": r.name in mine,
			"since": pretty_date(r.published_on) if r.published_on else "",
			"route": notice_route(r.name),
		}
		if me.is_agent:
			item["tickets_count"] = tickets.get(r.name, 0)
			item["desk_route"] = f"/app/peer-known-issue/{r.name}"
		result.append(item)
	return result


_notice_vectors: dict[tuple, object] = {}


def notice_vector(row):
	"""The notice's sentence vector, kept per worker until the notice changes; None while the model loads."""
	from peer_support import embedding
	from peer_support.services import search_index

	key = (frappe.local.site, row.name, str(row.modified))
	if key not in _notice_vectors:
		encoder = search_index.model(wait=not getattr(frappe.local, "request", None))
		if encoder is None:
			return None
		_notice_vectors[key] = encoder.encode([notice_text(row)], max_tokens=embedding.QUERY_TOKENS)[0]
	return _notice_vectors[key]


def notice_text(row) -> str:
	return " ".join(filter(None, (row.title, row.summary)))


def matching(text: str, me, vector=None) -> list[dict]:
	"""The live notices the caller may read that the typed question matches (Ask page), best first."""
	rows = active_notices(me)
	if not rows or not text.strip():
		return []
	names = matching_notices(
		text,
		[(r.name, notice_text(r), notice_vector(r) if vector is not None else None) for r in rows],
		vector,
	)
	by_name = {r.name: r for r in rows}
	return project([by_name[n] for n in names], me)


def subscribe(
	name: str | None, me, on: bool = True, session: str | None = None, query: str | None = None
) -> dict:
	"""\"Me too\": the caller has this problem; they hear when it is resolved. From the Ask page (with its
	session), it ends the session as a deflection: no ticket was filed."""
	from peer_support.services import holdout

	row = get_readable(name, me)
	if me.is_agent:
		frappe.throw(
			_("Agents follow known issues in Desk; colleagues subscribe here."), frappe.PermissionError
		)
	if on and not is_active(row.status):
		frappe.throw(_("This known issue is resolved already."), frappe.ValidationError)
	if session:
		holdout.own_session(session, me)  # a 404 before anything is written
	existing = frappe.db.get_value(SUBSCRIBER, {"notice": row.name, "user": me.user})
	delta = 0
	if on and not existing:
		try:
			with peer_writes():  # the caller's own "me too", on a notice they may read
				frappe.get_doc({"doctype": SUBSCRIBER, "notice": row.name, "user": me.user}).insert(
					ignore_permissions=True
				)
			delta = 1
		except frappe.UniqueValidationError:
			delta = 0
	elif not on and existing:
		Subscriber = DocType(SUBSCRIBER)
		frappe.qb.from_(Subscriber).delete().where(Subscriber.name == existing).run()
		delta = -1
	if delta:
		Notice = DocType(NOTICE)
		# Atomic in SQL: concurrent "me too"s all count; `modified` stays (the notice's text did not change).
		frappe.qb.update(Notice).set(Notice.subscriber_count, Notice.subscriber_count + delta).where(
			Notice.name == row.name
		).run()
	deflection = None
	if on and session:
		doc = frappe.get_doc(
			{
				"doctype": "Peer Deflection",
				"user": me.user,
				"query": ((query or "").strip() or row.title)[:500],
				"known_issue": row.name,
			}
		)
		with peer_writes():  # the caller's own deflection
			doc.insert(ignore_permissions=True)
		deflection = doc.name
		topic = frappe.db.get_value(
			"Peer Known Issue Topic", {"parent": row.name, "parenttype": NOTICE}, "topic"
		)
		holdout.end(session, me, DEFLECTED, deflection=deflection, topic=topic)
	count = frappe.db.get_value(NOTICE, row.name, "subscriber_count")
	return {
		"name": row.name,
		"subscribed": bool(on),
		"subscriber_count": count or 0,
		"deflection": deflection,
	}


# The agent view
# --------------


def for_ticket(ticket: str) -> dict:
	"""For an agent's ticket view: the notices this ticket is linked to, the open alerts it is part of,
	and the live notices it could be linked to."""
	ticket = host.ticket_name(ticket)
	Row = DocType("Peer Known Issue Ticket")
	linked = (
		frappe.qb.from_(Row)
		.select(Row.parent)
		.where(Row.parenttype == NOTICE)
		.where(Row.ticket == ticket)
		.run(pluck=True)
	)
	already = set(linked)
	me = access.viewer()  # an agent (the caller checked)
	rows = frappe.get_all(NOTICE, filters={"name": ["in", linked or [""]]}, fields=list(NOTICE_FIELDS))
	alerts = [a for a in open_alerts("tickets") if ticket in json.loads(a.tickets or "[]")]
	return {
		"ticket": ticket,
		"notices": project(rows, me),
		"alerts": [
			{"name": a.name, "subject": a.subject, "people": a.people_count, "tickets": a.tickets_count}
			for a in alerts
		],
		"active": [n for n in project(active_notices(me), me) if n["name"] not in already],
	}


def open_alerts(*extra: str) -> list[dict]:
	"""The 50 newest open alerts (with the `extra` columns too), newest first."""
	Alert = DocType(ALERT)
	return (
		frappe.qb.from_(Alert)
		.select(
			Alert.name,
			Alert.subject,
			Alert.topic,
			Alert.people_count,
			Alert.tickets_count,
			Alert.first_ticket,
			Alert.alerted_on,
			*(Alert[column] for column in extra),
		)
		.where(Alert.status == OPEN)
		.orderby(Alert.alerted_on, order=frappe.qb.desc)
		.limit(50)
		.run(as_dict=True)
	)
