// Peer Support Top Contributors: who helped most in the period (from the reputation ledger).
frappe.query_reports["Peer Support Top Contributors"] = {
	filters: [
		{ fieldname: "from_date", label: __("From"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -6), reqd: 1 },
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "team", label: __("Team"), fieldtype: "Link", options: "HD Team" },
		{ fieldname: "ticket_type", label: __("Ticket Type"), fieldtype: "Link", options: "HD Ticket Type" },
	],
};
