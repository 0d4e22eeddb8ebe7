// Peer Article Review in Desk: the agent who checked the article marks it reviewed (trusted again).
frappe.ui.form.on("Peer Article Review", {
	refresh(frm) {
		frm.add_custom_button(__("Open Article"), () => window.open(`/helpdesk/kb/articles/${frm.doc.article}`));
		if (frm.doc.status !== "Under Review") return;
		frm.add_custom_button(
			__("Mark Reviewed"),
			() =>
				frappe.prompt(
					[{ fieldname: "note", fieldtype: "Small Text", label: __("What was checked or changed?") }],
					({ note }) =>
						frappe
							.call("peer_support.api.knowledge.close_review", { review: frm.doc.name, note })
							.then(() => {
								frappe.show_alert({ message: __("Reviewed: the article is trusted again"), indicator: "green" });
								frm.reload_doc();
							}),
					__("Close the Review")
				),
			null
		).addClass("btn-primary");
	},
});
