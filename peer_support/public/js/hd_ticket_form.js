// HD Ticket form in Desk: the Peer Support tab lists the ticket's peer answers (read-only here;
// agents moderate them from Helpdesk's agent view or the community page).
frappe.ui.form.on("HD Ticket", {
	refresh(frm) {
		const field = frm.fields_dict.peer_answers_html;
		if (!field || frm.is_new()) return;
		frappe
			.call("peer_support.api.tickets.get", { ticket: frm.doc.name })
			.then(({ message: ticket }) => field.$wrapper.html(render(ticket)));
	},
});

function render(ticket) {
	const esc = frappe.utils.escape_html;
	if (!ticket.answers.length) {
		return `<p class="text-muted">${__("No peer answers yet.")}</p>`;
	}
	const affected = (ticket.affected_users || []).map((u) => esc(u.full_name || u.user)).join(", ");
	const rows = ticket.answers.map((a) => {
		const marks = [
			a.accepted ? `<span class="indicator-pill green">${__("Accepted")}</span>` : "",
			a.endorsed ? `<span class="indicator-pill blue">${__("Verified by IT")}</span>` : "",
			a.hidden ? `<span class="indicator-pill red">${__("Hidden")}: ${esc(a.hidden_reason || "")}</span>` : "",
		].join(" ");
		return `<div class="peer-answer" data-answer="${esc(a.name)}" style="border-bottom:1px solid var(--border-color);padding:8px 0">
			<div><b>${esc(a.author)}</b> <span class="text-muted">${__("score")} ${a.score}</span> ${marks}
			<a class="pull-right" href="/app/peer-answer/${encodeURIComponent(a.name)}">${__("Open")}</a></div>
			<div>${a.body}</div></div>`;
	});
	return (affected ? `<p class="text-muted">${__("Also affected")}: ${affected}</p>` : "") + rows.join("");
}
