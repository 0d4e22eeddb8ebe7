"""Single-row reads for the hot paths (votes, ticket pages).

`frappe.db.get_value` parses every field name with sqlparse to sanitise it, which costs more than
the query itself when a request reads a dozen fields. Field names here are this app's constants,
never input, so the query builder reads them directly.
"""

import frappe


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
