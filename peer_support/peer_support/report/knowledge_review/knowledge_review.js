// Knowledge Review: the desk's queue of published articles sent back to review (readers' "didn't
// help", a reopened ticket, a deflected asker who asked again). Open a row to mark it reviewed.
frappe.query_reports["Knowledge Review"] = {
	filters: [
		{ fieldname: "status", label: __("Status"), fieldtype: "Select", options: "\nUnder Review\nReviewed", default: "Under Review" },
		{ fieldname: "reason", label: __("Reason"), fieldtype: "Select", options: "\nDidn't Help\nTicket Reopened\nAsked Again after Deflection" },
		{ fieldname: "article", label: __("Article"), fieldtype: "Link", options: "HD Article" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "status" && data) {
			const color = data.status === "Under Review" ? "orange" : "green";
			value = `<span class="indicator-pill ${color}">${__(data.status)}</span>`;
		}
		return value;
	},
};
