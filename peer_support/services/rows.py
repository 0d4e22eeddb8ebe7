"""Single-row reads and writes for the hot paths (votes, ticket pages).

`frappe.db.get_value` parses every field name with sqlparse to sanitise it, which costs more than
the query itself when a request reads a dozen fields. Field names here are this app's constants,
never input, so the query builder reads them directly. The statements of the hot paths are the
same on every call with other values: each is built once per process with the query builder,
with named placeholders, and its SQL text is reused (building it costs more than running it).
"""

import frappe
from pypika.terms import Parameter

_STATEMENTS: dict[tuple, str] = {}


def param(name: str) -> Parameter:
	"""A named placeholder, filled by `frappe.db.sql(sql, {name: value})` (the driver escapes it)."""
	return Parameter(f"%({name})s")


def statement(key: tuple, build) -> str:
	"""The SQL text of `build()`, a query-builder statement with `param` placeholders, made once per process."""
	key = (frappe.db.db_type, *key)
	sql = _STATEMENTS.get(key)
	if sql is None:
		sql = _STATEMENTS[key] = build().get_sql()
	return sql


def get_row(
	doctype: str, name_or_filters, fields: list[str], for_update: bool = False
) -> frappe._dict | None:
	filters = name_or_filters if isinstance(name_or_filters, dict) else {"name": name_or_filters}

	def build():
		table = frappe.qb.DocType(doctype)
		query = frappe.qb.from_(table).select(*(table[field] for field in fields)).limit(1)
		for field in filters:
			query = query.where(table[field] == param(field))
		return query.for_update() if for_update else query

	sql = statement(("get_row", doctype, tuple(fields), tuple(filters), for_update), build)
	rows = frappe.db.sql(sql, filters, as_dict=True)
	return rows[0] if rows else None


def get_field(doctype: str, name, field: str):
	row = get_row(doctype, name, [field])
	return row[field] if row else None


def insert_row(doctype: str, values: dict) -> None:
	"""One row written directly (no document hooks), for append-only rows of the hot paths."""

	def build():
		return (
			frappe.qb.into(frappe.qb.DocType(doctype))
			.columns(*values)
			.insert(*(param(column) for column in values))
		)

	frappe.db.sql(statement(("insert_row", doctype, tuple(values)), build), values)


def full_names(users) -> dict[str, str]:
	"""Full names of users, in one query."""
	users = [user for user in set(users) if user]
	if not users:
		return {}
	User = frappe.qb.DocType("User")
	return dict(frappe.qb.from_(User).select(User.name, User.full_name).where(User.name.isin(users)).run())


def ages(datetimes) -> list[str]:
	"""Frappe's pretty_date ("2 hours ago", in the user's language) of many values against one "now".

	pretty_date parses the current time from text and finds the locale for every value: for the 20
	rows of a feed page that was about a millisecond, more than the query that read them."""
	from babel.dates import format_timedelta

	now = frappe.utils.now_datetime()
	locale = frappe.local.lang.replace("-", "_") if frappe.local.lang else None
	return [
		format_timedelta(frappe.utils.get_datetime(value) - now, add_direction=True, locale=locale)
		if value
		else ""
		for value in datetimes
	]


def returning(sql: str, columns) -> str:
	"""`sql` (an INSERT, an upsert too) with MariaDB's RETURNING: the rows as written.

	After ON DUPLICATE KEY UPDATE, RETURNING gives the row as updated, so totals just incremented by
	atomic SQL come back in the same statement instead of a second read.
	"""
	return f"{sql} RETURNING {', '.join(f'`{column}`' for column in columns)}"  # this app's constants


def insert_rows(doctype: str, columns: list[str], rows: list[tuple], chunk_size: int = 5000) -> None:
	"""Bulk insert with placeholders (values are never formatted into the SQL).

	`frappe.db.bulk_insert` builds each value as a query-builder term, which for a few hundred
	thousand rows costs more than the database's own work; this leaves the escaping to the driver.
	"""
	table = frappe.qb.DocType(doctype).get_sql(quote_char="`")
	names = ", ".join(f"`{column}`" for column in columns)
	row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
	for start in range(0, len(rows), chunk_size):
		chunk = rows[start : start + chunk_size]
		values = [value for row in chunk for value in row]
		frappe.db.sql(f"INSERT INTO {table} ({names}) VALUES {', '.join([row_marks] * len(chunk))}", values)
