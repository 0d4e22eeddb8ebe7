"""Knowledge Review: the articles sent back to review, oldest open first, with why, the "didn't help"
and helpful marks since the last review, the ticket that came back, and who wrote the article and its
source answers. Agents open a row's review to mark the article reviewed."""

import frappe
from frappe import _

from peer_support.core.knowledge_review import UNDER_REVIEW
from peer_support.services.knowledge_review import REVIEW, SOURCE
from peer_support.services.rows import full_names


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = load(filters)
	return columns(), rows, None, None, summary(rows)


def load(filters) -> list[dict]:
	conditions = {key: filters[key] for key in ("status", "reason", "article") if filters.get(key)}
	# frappe.get_list: the caller's own read permission on the reviews (agents and managers).
	reviews = frappe.get_list(
		REVIEW,
		filters=conditions,
		fields=[
			"name",
			"article",
			"article_title",
			"status",
			"reason",
			"ticket",
			"opened_on",
			"didnt_help",
			"helped",
			"closed_by",
			"closed_on",
		],
		order_by="opened_on asc",
		limit_page_length=0,
	)
	articles = list({r.article for r in reviews})
	authors = dict(
		frappe.get_all(
			"HD Article", filters={"name": ["in", articles or [""]]}, fields=["name", "author"], as_list=True
		)
	)
	sources: dict[str, list[str]] = {}
	for row in frappe.get_all(
		SOURCE, filters={"article": ["in", articles or [""]]}, fields=["article", "author"]
	):
		sources.setdefault(row.article, []).append(row.author)
	names = full_names(
		[*authors.values(), *(a for v in sources.values() for a in v), *(r.closed_by for r in reviews)]
	)
	return [
		{
			**review,
			"author": names.get(authors.get(review.article)) or authors.get(review.article),
			"source_authors": ", ".join(
				sorted({names.get(a) or a for a in sources.get(review.article, []) if a})
			),
			"closed_by": names.get(review.closed_by) or review.closed_by,
		}
		for review in reviews
	]


def columns():
	def column(fieldname, label, fieldtype="Data", width=140, options=None):
		return {
			"fieldname": fieldname,
			"label": _(label),
			"fieldtype": fieldtype,
			"width": width,
			"options": options,
		}

	return [
		column("name", "Review", "Link", 110, REVIEW),
		column("article", "Article", "Link", 110, "HD Article"),
		column("article_title", "Title", width=260),
		column("status", "Status", width=110),
		column("reason", "Reason", width=190),
		column("opened_on", "Sent to Review On", "Datetime", 160),
		column("didnt_help", "Didn't Help", "Int", 100),
		column("helped", "Helpful", "Int", 90),
		column("ticket", "Ticket", "Link", 90, "HD Ticket"),
		column("author", "Article's Author", width=150),
		column("source_authors", "Source Answers' Authors", width=180),
		column("closed_by", "Reviewed By", width=140),
		column("closed_on", "Reviewed On", "Datetime", 160),
	]


def summary(rows):
	return [
		{
			"label": _("Under Review"),
			"value": sum(r["status"] == UNDER_REVIEW for r in rows),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{
			"label": _("Reviewed"),
			"value": sum(r["status"] != UNDER_REVIEW for r in rows),
			"datatype": "Int",
			"indicator": "Green",
		},
	]
