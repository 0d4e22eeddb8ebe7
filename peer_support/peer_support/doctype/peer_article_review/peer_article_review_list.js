// The review queue: articles under review first.
frappe.listview_settings["Peer Article Review"] = {
	filters: [["status", "=", "Under Review"]],
	get_indicator(doc) {
		return doc.status === "Under Review" ? [__("Under Review"), "orange", "status,=,Under Review"] : [__("Reviewed"), "green", "status,=,Reviewed"];
	},
};
