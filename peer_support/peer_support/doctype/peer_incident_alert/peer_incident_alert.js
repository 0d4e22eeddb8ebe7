// Copyright (c) 2026, peer_support developers
// For license information, please see license.txt
frappe.ui.form.on("Peer Incident Alert", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status !== "Open") {
			if (frm.doc.known_issue)
				frm.add_custom_button(__("Open the known issue"), () => frappe.set_route("Form", "Peer Known Issue", frm.doc.known_issue));
			return;
		}
		frm.add_custom_button(__("Publish a known issue"), () =>
			frappe.prompt(
				[
					{ fieldname: "title", fieldtype: "Data", label: __("Title"), reqd: 1, default: frm.doc.subject.replace(/^Possible incident: [^:]*: ?/, "") },
					{ fieldname: "summary", fieldtype: "Small Text", label: __("What People See") },
				],
				(values) => frm.call("publish_notice", values).then(({ message }) => frappe.set_route("Form", "Peer Known Issue", message.name)),
				__("Publish a known issue")
			)
		).addClass("btn-primary");
		frm.add_custom_button(__("Dismiss"), () => frm.call("dismiss").then(() => frm.reload_doc()));
	},
});
