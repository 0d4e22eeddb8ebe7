// Copyright (c) 2026, peer_support developers
// For license information, please see license.txt
// The notice's fields are read-only in Desk: agents change it through its methods (POST), which run
// the same checks as the agent view and the community page.
frappe.ui.form.on("Peer Known Issue", {
	refresh(frm) {
		if (frm.is_new()) return;
		const run = (method, args) =>
			frm.call(method, args || {}).then(() => frm.reload_doc());
		if (frm.doc.status !== "Resolved") {
			frm.add_custom_button(__("Resolve: tell everyone affected"), () =>
				frappe.confirm(__("Mark it resolved? Subscribers, colleagues who have it too and the requesters of linked tickets are told (once)."), () => run("resolve"))
			).addClass("btn-primary");
		}
		frm.add_custom_button(__("Update"), () => {
			const d = new frappe.ui.Dialog({
				title: __("Update the known issue"),
				fields: [
					{ fieldname: "title", fieldtype: "Data", label: __("Title"), default: frm.doc.title, reqd: 1 },
					{ fieldname: "status", fieldtype: "Select", label: __("Status"), options: "Investigating\nIdentified\nMonitoring\nResolved", default: frm.doc.status },
					{ fieldname: "summary", fieldtype: "Small Text", label: __("What People See"), default: frm.doc.summary },
					{ fieldname: "workaround", fieldtype: "Text Editor", label: __("Workaround"), default: frm.doc.workaround },
				],
				primary_action_label: __("Save"),
				primary_action(values) {
					d.hide();
					run("update_notice", values);
				},
			});
			d.show();
		});
		frm.add_custom_button(__("Link tickets"), () =>
			frappe.prompt(
				[{ fieldname: "ticket", fieldtype: "Link", options: "HD Ticket", label: __("Ticket"), reqd: 1 }],
				(values) => run("link_tickets", { tickets: JSON.stringify([values.ticket]) }),
				__("Link a ticket")
			)
		);
	},
});
