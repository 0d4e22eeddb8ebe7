// Peer Window: shared tickets solved by colleagues inside their share of the first-response budget,
// escalated to the desk, and the desk's first-response time they saved.
frappe.query_reports["Peer Window"] = {
	filters: [
		{ fieldname: "from_date", label: __("From"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -6), reqd: 1 },
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "team", label: __("Team"), fieldtype: "Link", options: "HD Team" },
		{ fieldname: "ticket_type", label: __("Ticket Type"), fieldtype: "Link", options: "HD Ticket Type" },
	],
};
