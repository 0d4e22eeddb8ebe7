// Agents publish a known issue from here too (the doctype has no "New": its rules run in publish).
frappe.listview_settings["Peer Known Issue"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Publish a known issue"), () =>
			frappe.prompt(
				[
					{ fieldname: "title", fieldtype: "Data", label: __("Title"), reqd: 1 },
					{ fieldname: "summary", fieldtype: "Small Text", label: __("What People See") },
					{ fieldname: "topic", fieldtype: "Link", options: "HD Ticket Type", label: __("Topic") },
				],
				(values) =>
					frappe
						.call("peer_support.api.incidents.publish", {
							title: values.title,
							summary: values.summary,
							topics: JSON.stringify(values.topic ? [values.topic] : []),
						})
						.then(({ message }) => frappe.set_route("Form", "Peer Known Issue", message.name)),
				__("Publish a known issue")
			)
		);
	},
	get_indicator(doc) {
		const colors = { Investigating: "orange", Identified: "yellow", Monitoring: "blue", Resolved: "green" };
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
