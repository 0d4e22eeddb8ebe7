// peer_support:agent-peer-answers
// HD Form Script for Helpdesk's agent ticket view, installed by peer_support (setup/install.py).
// Adds a "Peer answers" action that lists colleagues' answers with endorse / hide / show actions, and
// a "Similar solved" action: solved tickets and articles like this one (peer_support.api.knowledge.similar),
// and a "Known issues" action: possible-incident alerts this ticket is part of, its known-issue notices,
// publish / link / resolve (peer_support.api.incidents).
// Plain DOM and fetch: Helpdesk v1.5 passes only `doc` to form scripts; later versions pass more.
function setupForm({ doc }) {
	const api = "/api/method/peer_support.api.";

	async function call(method, args, post) {
		const query = new URLSearchParams(args).toString();
		const response = await fetch(api + method + (post ? "" : "?" + query), {
			method: post ? "POST" : "GET",
			headers: {
				Accept: "application/json",
				"Content-Type": "application/x-www-form-urlencoded",
				"X-Frappe-CSRF-Token": window.csrf_token || "",
			},
			body: post ? query : undefined,
		});
		const data = await response.json().catch(() => ({}));
		if (!response.ok) {
			let message = data.exception || response.statusText;
			try {
				message = JSON.parse(JSON.parse(data._server_messages)[0]).message;
			} catch (e) {}
			throw new Error(message);
		}
		return data.message;
	}

	function el(tag, style, text) {
		const node = document.createElement(tag);
		if (style) node.style.cssText = style;
		if (text !== undefined) node.textContent = text;
		return node;
	}

	const chip = (text, color) =>
		el("span", `font-size:12px;padding:2px 8px;border-radius:999px;margin-left:6px;background:${color}`, text);

	function button(label, onClick) {
		const b = el(
			"button",
			"font-size:13px;padding:4px 10px;border-radius:6px;border:1px solid #d1d5db;background:#fff;margin-right:6px;cursor:pointer",
			label
		);
		b.type = "button";
		b.addEventListener("click", onClick);
		return b;
	}

	function renderAnswer(answer, refresh, showError) {
		const card = el(
			"article",
			"border:1px solid #e5e7eb;border-radius:8px;padding:12px;margin-bottom:10px;" +
				(answer.hidden ? "background:#f9fafb;opacity:.8" : "")
		);
		card.setAttribute("data-answer", answer.name);
		const head = el("div", "display:flex;align-items:center;flex-wrap:wrap;font-size:13px;color:#374151");
		head.append(el("strong", "", answer.author), el("span", "margin-left:8px;color:#6b7280", `score ${answer.score}`));
		if (answer.accepted) head.append(chip("Accepted by requester", "#dcfce7"));
		if (answer.endorsed) head.append(chip(`Verified by IT (${answer.endorsed_by || ""})`, "#dbeafe"));
		if (answer.flags) head.append(chip(`${answer.flags} flag(s)`, "#fef3c7"));
		if (answer.hidden) head.append(chip(`Hidden: ${answer.hidden_reason || ""}`, "#fee2e2"));
		const body = el("div", "font-size:14px;color:#111827;margin:8px 0");
		body.innerHTML = answer.body; // sanitised by the server
		const actions = el("div", "");
		const act = (method, args) => () =>
			call(method, Object.assign({ answer: answer.name }, args || {}), true).then(refresh, showError);
		actions.append(
			answer.endorsed ? button("Withdraw endorsement", act("answers.unendorse")) : button("Endorse", act("answers.endorse"))
		);
		if ((answer.accepted || answer.endorsed) && !answer.hidden) {
			actions.append(
				answer.kb_article
					? button("Open KB draft", () => window.open("/helpdesk/kb/articles/" + answer.kb_article, "_blank"))
					: button("Make a KB draft", () =>
							call("knowledge.promote", { answer: answer.name }, true).then(
								(article) => window.open(article.route, "_blank") && refresh(),
								showError
							)
					  )
			);
		}
		if (answer.hidden) {
			actions.append(button("Show again", act("answers.unhide")));
		} else {
			actions.append(
				button("Hide", () => {
					const reason = window.prompt("Why is this answer hidden? Its author is told.");
					if (reason) act("answers.hide", { reason })();
				})
			);
		}
		card.append(head, body, actions);
		return card;
	}

	function dialog(label) {
		const backdrop = el(
			"div",
			"position:fixed;inset:0;background:rgba(17,24,39,.4);z-index:1000;display:flex;justify-content:center;align-items:flex-start;padding:48px 12px"
		);
		backdrop.id = "peer-answers-dialog";
		const panel = el(
			"section",
			"background:#fff;border-radius:12px;max-width:720px;width:100%;max-height:80vh;overflow:auto;padding:20px;box-shadow:0 10px 30px rgba(0,0,0,.2);font-family:inherit"
		);
		panel.setAttribute("role", "dialog");
		panel.setAttribute("aria-label", label);
		const close = () => backdrop.remove();
		backdrop.addEventListener("click", (e) => e.target === backdrop && close());
		document.addEventListener("keydown", function onKey(e) {
			if (e.key === "Escape") {
				close();
				document.removeEventListener("keydown", onKey);
			}
		});
		backdrop.append(panel);
		document.body.append(backdrop);
		return { panel, close };
	}

	function heading(panel, text, close) {
		const title = el("div", "display:flex;justify-content:space-between;align-items:center;margin-bottom:12px");
		title.append(el("h2", "font-size:16px;font-weight:600", text), button("Close", close));
		panel.append(title);
	}

	function openSimilar() {
		const { panel, close } = dialog("Similar solved tickets");
		heading(panel, `Similar to #${doc.name}`, close);
		const list = el("div", "", "Looking for similar solved tickets…");
		panel.append(list);
		call("knowledge.similar", { ticket: doc.name }).then(
			(found) => {
				list.replaceChildren();
				if (!found.tickets.length && !found.articles.length)
					list.append(el("p", "font-size:14px", "No similar solved ticket or article yet."));
				const item = (title, route, meta, text) => {
					const card = el("article", "border:1px solid #e5e7eb;border-radius:8px;padding:12px;margin-bottom:10px");
					card.setAttribute("data-similar", route);
					const link = el("a", "font-weight:600;font-size:14px;color:#111827", title);
					link.href = route;
					link.target = "_blank";
					card.append(link, el("div", "font-size:12px;color:#6b7280;margin:4px 0", meta));
					if (text) card.append(el("p", "font-size:13px;color:#374151", text));
					list.append(card);
				};
				found.tickets.forEach((t) =>
					item(`#${t.name} ${t.subject}`, t.route, [t.status, t.topic].filter(Boolean).join(" · "), t.answer)
				);
				found.articles.forEach((a) => item(a.title, a.route, "Knowledge base", a.excerpt));
			},
			(error) => list.replaceChildren(el("p", "color:#b91c1c", error.message))
		);
	}

	function openIncidents() {
		const { panel, close } = dialog("Known issues");
		const showError = (error) => window.alert(error.message);
		const card = (title, meta, ...actions) => {
			const node = el("article", "border:1px solid #e5e7eb;border-radius:8px;padding:12px;margin-bottom:10px");
			node.append(el("div", "font-weight:600;font-size:14px;color:#111827", title), el("div", "font-size:12px;color:#6b7280;margin:4px 0 8px", meta));
			actions.forEach((a) => node.append(a));
			return node;
		};
		const publish = (args) => {
			const title = window.prompt("Title of the known issue (colleagues read it on the community page)", args.title || "");
			if (!title) return;
			const summary = window.prompt("What people see: what is wrong and since when", "") || "";
			call("incidents.publish", Object.assign({}, args, { title, summary }), true).then(refresh, showError);
		};
		const refresh = () =>
			call("incidents.for_ticket", { ticket: doc.name }).then((found) => {
				panel.replaceChildren();
				heading(panel, `Known issues and incidents: #${doc.name}`, close);
				found.alerts.forEach((a) => {
					const node = card(a.subject, `Possible incident: ${a.people} people, ${a.tickets} tickets`,
						button("Publish a known issue", () => publish({ alert: a.name, title: a.subject.replace(/^Possible incident: [^:]*: ?/, "") })),
						button("Dismiss", () => call("incidents.dismiss", { alert: a.name }, true).then(refresh, showError)));
					node.setAttribute("data-alert", a.name);
					panel.append(node);
				});
				found.notices.forEach((n) => {
					const actions = [button("Open in Desk", () => window.open(n.desk_route, "_blank"))];
					if (n.active) {
						actions.push(button("Resolve: tell everyone", () => call("incidents.resolve", { notice: n.name }, true).then(refresh, showError)));
						actions.push(button("Unlink this ticket", () => call("incidents.unlink", { notice: n.name, ticket: doc.name }, true).then(refresh, showError)));
					}
					const node = card(`${n.name}: ${n.title}`, `${n.status} · ${n.tickets_count} linked ticket(s) · ${n.subscriber_count} subscriber(s)`, ...actions);
					node.setAttribute("data-notice", n.name);
					panel.append(node);
				});
				if (!found.alerts.length && !found.notices.length)
					panel.append(el("p", "font-size:14px;margin-bottom:12px", "This ticket is in no alert and linked to no known issue."));
				found.active.forEach((n) =>
					panel.append(card(`${n.name}: ${n.title}`, `${n.status} · ${n.subscriber_count} subscriber(s)`,
						button("Link this ticket", () => call("incidents.link", { notice: n.name, tickets: JSON.stringify([doc.name]) }, true).then(refresh, showError))))
				);
				panel.append(button("Publish a known issue from this ticket", () =>
					publish({ tickets: JSON.stringify([doc.name]), topics: JSON.stringify(doc.ticket_type ? [doc.ticket_type] : []), title: doc.subject })));
			}, showError);
		refresh();
	}

	function open() {
		const { panel, close } = dialog("Peer answers");
		const showError = (error) => window.alert(error.message);
		const refresh = () =>
			call("tickets.get", { ticket: doc.name }).then((ticket) => {
				panel.replaceChildren();
				heading(panel, `Peer answers on #${ticket.name}`, close);
				const meta = el(
					"p",
					"font-size:13px;color:#6b7280;margin-bottom:12px",
					`${ticket.visibility} · ${ticket.answers.length} answer(s) · ${ticket.affected_count} colleague(s) have this too` +
						(ticket.affected_users && ticket.affected_users.length
							? ": " + ticket.affected_users.map((u) => u.full_name || u.user).join(", ")
							: "")
				);
				panel.append(meta);
				if (!ticket.answers.length) panel.append(el("p", "font-size:14px", "No peer answers yet."));
				ticket.answers.forEach((answer) => panel.append(renderAnswer(answer, refresh, showError)));
			}, showError);
		refresh();
	}

	return {
		actions: [
			{ label: "Peer answers", icon: "users", onClick: open },
			{ label: "Similar solved", icon: "search", onClick: openSimilar },
			{ label: "Known issues", icon: "alert-triangle", onClick: openIncidents },
		],
	};
}
