// Peer Support Overview: what peer support is worth, per month and topic.
frappe.query_reports["Peer Support Overview"] = {
	filters: [
		{ fieldname: "from_date", label: __("From"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -6), reqd: 1 },
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "team", label: __("Team"), fieldtype: "Link", options: "HD Team" },
		{ fieldname: "ticket_type", label: __("Ticket Type"), fieldtype: "Link", options: "HD Ticket Type" },
	],
};
