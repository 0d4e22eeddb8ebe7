// Peer Answer in Desk: agents turn a proven answer into a draft knowledge-base article.
frappe.ui.form.on("Peer Answer", {
	refresh(frm) {
		if (frm.doc.kb_article) {
			frm.add_custom_button(__("Open KB Draft"), () => window.open(`/helpdesk/kb/articles/${frm.doc.kb_article}`));
			return;
		}
		if (frm.doc.hidden || !(frm.doc.accepted || frm.doc.endorsed_by)) return;
		frm.add_custom_button(__("Make a KB Draft"), () => {
			frappe.prompt(
				[
					{ fieldname: "title", fieldtype: "Data", label: __("Title"), description: __("Empty: the ticket's subject") },
					{ fieldname: "category", fieldtype: "Link", label: __("Category"), options: "HD Article Category" },
				],
				(values) =>
					frappe
						.call("peer_support.api.knowledge.promote", { answer: frm.doc.name, ...values })
						.then(({ message }) => {
							frappe.show_alert({ message: __("Draft {0} created", [message.title]), indicator: "green" });
							frm.reload_doc();
						}),
				__("Make a Knowledge-Base Draft")
			);
		});
	},
});
