"""Single-row reads for the hot paths (votes, ticket pages).

`frappe.db.get_value` parses every field name with sqlparse to sanitise it, which costs more than
the query itself when a request reads a dozen fields. Field names here are this app's constants,
never input, so the query builder reads them directly.
"""

import frappe
from frappe.query_builder.terms import NamedParameterWrapper


def get_row(doctype: str, name_or_filters, fields: list[str], for_update: bool = False) -> frappe._dict | None:
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.from_(table).select(*(table[field] for field in fields)).limit(1)
	filters = name_or_filters if isinstance(name_or_filters, dict) else {"name": name_or_filters}
	for field, value in filters.items():
		query = query.where(table[field] == value)
	if for_update:
		query = query.for_update()
	rows = query.run(as_dict=True)
	return rows[0] if rows else None


def get_field(doctype: str, name, field: str):
	row = get_row(doctype, name, [field])
	return row[field] if row else None


def full_names(users) -> dict[str, str]:
	"""Full names of users, in one query."""
	users = [user for user in set(users) if user]
	if not users:
		return {}
	User = frappe.qb.DocType("User")
	return dict(frappe.qb.from_(User).select(User.name, User.full_name).where(User.name.isin(users)).run())


def run_returning(query, columns: list[str]) -> list[frappe._dict]:
	"""Run an INSERT (an upsert too) and return the rows as written, through MariaDB's INSERT ... RETURNING.

	After ON DUPLICATE KEY UPDATE, RETURNING gives the row as updated, so totals just incremented by
	atomic SQL come back in the same statement instead of a second read.
	"""
	params = NamedParameterWrapper()
	sql = query.get_sql(param_wrapper=params)
	returning = ", ".join(f"`{column}`" for column in columns)  # this app's constants, never input
	return frappe.db.sql(f"{sql} RETURNING {returning}", params.get_parameters(), as_dict=True)


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
