// The community page: a small client of peer_support's whitelisted API (no build step).
// User text is always set with textContent; only answer and question bodies, sanitised by the
// server, are set as HTML.
(function () {
	"use strict";
	const boot = window.peer_support_boot || {};
	const main = document.getElementById("ps-main");
	const state = { options: null, feedFilter: "newest", search: "" };

	// --- helpers -------------------------------------------------------------------------------
	async function api(method, args = {}, post = false) {
		const defined = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined && value !== null));
		const query = new URLSearchParams(defined).toString();
		const response = await fetch("/api/method/" + method + (post ? "" : "?" + query), {
			method: post ? "POST" : "GET",
			headers: {
				Accept: "application/json",
				"Content-Type": "application/json",
				"X-Frappe-CSRF-Token": window.csrf_token,
			},
			body: post ? JSON.stringify(defined) : undefined, // JSON, as frappe-ui sends it: dicts stay dicts
		});
		const data = await response.json().catch(() => ({}));
		if (!response.ok) throw new Error(serverMessage(data) || response.statusText);
		return data.message;
	}

	function serverMessage(data) {
		try {
			return JSON.parse(data._server_messages)
				.map((m) => JSON.parse(m).message)
				.join(" ")
				.replace(/<[^>]+>/g, "");
		} catch (e) {
			return data.exception || "";
		}
	}

	const ps = (name) => "peer_support.api." + name;

	function h(tag, attrs = {}, ...children) {
		const node = document.createElement(tag);
		for (const [key, value] of Object.entries(attrs)) {
			if (value === undefined || value === null || value === false) continue;
			if (key === "class") node.className = value;
			else if (key === "html") node.innerHTML = value; // server-sanitised HTML only
			else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
			else node.setAttribute(key, value === true ? "" : value);
		}
		for (const child of children.flat()) {
			if (child === null || child === undefined || child === false) continue;
			node.append(child instanceof Node ? child : document.createTextNode(String(child)));
		}
		return node;
	}

	const pill = (text, tone) => h("span", { class: "ps-pill" + (tone ? " ps-pill-" + tone : "") }, text);
	const button = (label, onclick, attrs = {}) => h("button", { type: "button", class: "ps-btn", onclick, ...attrs }, label);

	let toastTimer;
	function toast(message, error) {
		const node = document.getElementById("ps-toast");
		node.textContent = message;
		node.className = "ps-toast ps-show" + (error ? " ps-error" : "");
		clearTimeout(toastTimer);
		toastTimer = setTimeout(() => (node.className = "ps-toast"), 4000);
	}

	const fail = (error) => toast(error.message, true);

	function render(...nodes) {
		main.replaceChildren(...nodes.filter((node) => node !== null && node !== undefined));
	}

	function go(path) {
		history.pushState({}, "", path);
		route();
	}

	function link(path, ...children) {
		return h("a", { href: path, onclick: (e) => { e.preventDefault(); go(path); } }, ...children);
	}

	function debounce(fn, ms) {
		let timer;
		return (...args) => {
			clearTimeout(timer);
			timer = setTimeout(() => fn(...args), ms);
		};
	}

	// --- feed ----------------------------------------------------------------------------------
	const FILTER_LABELS = {
		newest: "Newest",
		unanswered: "Unanswered",
		my_topics: "My topics",
		most_affected: "Most affected",
		mine: "My questions",
	};

	async function showFeed() {
		const list = h("ul", { class: "ps-list", "aria-label": "Questions" });
		const more = button("Load more", () => load(page + 1), { hidden: true });
		let page = 1;
		const filters = h(
			"div",
			{ class: "ps-toolbar", role: "group", "aria-label": "Filter questions" },
			Object.entries(FILTER_LABELS).map(([key, label]) =>
				button(label, () => { state.feedFilter = key; showFeed(); }, { "aria-pressed": String(state.feedFilter === key) })
			)
		);
		const search = h("input", {
			class: "ps-input",
			type: "search",
			id: "ps-search",
			placeholder: "Search questions",
			value: state.search,
			oninput: debounce((e) => { state.search = e.target.value; load(1); }, 300),
		});
		const notices = h("section", { class: "ps-known-issues", id: "ps-known-issues", "aria-label": "Known issues", hidden: true });
		api(ps("incidents.notices")).then((rows) => {
			notices.hidden = !rows.length;
			notices.replaceChildren(...(rows.length ? [h("h2", {}, "Known issues")] : []), ...rows.map((n) => noticeCard(n)));
		}, () => {});
		render(
			h("h1", {}, "Questions from colleagues"),
			h("p", { class: "ps-muted" }, "Colleagues help each other here; the service desk keeps every ticket."),
			notices,
			h("div", { class: "ps-field" }, h("label", { for: "ps-search", class: "ps-sr-only" }, "Search questions"), search),
			filters,
			list,
			more
		);

		async function load(nextPage) {
			try {
				const data = await api(ps("community.feed"), { filter: state.feedFilter, search: state.search, page: nextPage });
				page = nextPage;
				if (nextPage === 1) list.replaceChildren();
				if (!data.enabled) list.append(h("li", { class: "ps-muted" }, "Peer support is switched off."));
				else if (data.no_topics) list.append(h("li", { class: "ps-muted" }, "Choose topics to follow on your profile."));
				else if (!data.rows.length && nextPage === 1) list.append(h("li", { class: "ps-muted" }, "No questions here yet."));
				data.rows.forEach((row) => list.append(feedRow(row)));
				more.hidden = !data.has_more;
			} catch (error) {
				fail(error);
			}
		}
		load(1);
	}

	function feedRow(row) {
		return h(
			"li",
			{ class: "ps-row" },
			link(
				"/community/" + row.name,
				h("div", { class: "ps-row-title" }, row.subject),
				h(
					"div",
					{ class: "ps-meta" },
					row.topic ? pill(row.topic) : null,
					h("span", {}, row.age),
					h("span", {}, row.status),
					h("span", {}, row.answers + (row.answers === 1 ? " answer" : " answers")),
					row.accepted ? pill("✓ Accepted", "green") : null,
					row.affected_count ? h("span", {}, row.affected_count + " also affected") : null
				)
			)
		);
	}

	// --- known issues --------------------------------------------------------------------------
	// A notice from the service desk: what is wrong, its status, the workaround, "me too: subscribe".
	function noticeCard(notice, options = {}) {
		const count = h("span", {}, notice.subscriber_count + (notice.subscriber_count === 1 ? " person has this too" : " people have this too"));
		const card = h(
			"article",
			{ class: "ps-card ps-known-issue", "data-notice": notice.name },
			h(
				"div",
				{ class: "ps-meta" },
				pill(notice.status, notice.active ? "amber" : "green"),
				notice.followed ? pill("Your topic", "blue") : null,
				notice.topics.map((t) => pill(t)),
				h("span", {}, notice.since)
			),
			h("h3", { class: "ps-row-title" }, link(notice.route, notice.title)),
			notice.summary ? h("p", {}, notice.summary) : null,
			notice.workaround && options.full ? h("div", { class: "ps-notice-workaround" }, h("strong", {}, "Workaround: "), h("div", { html: notice.workaround })) : null,
			h("div", { class: "ps-meta" }, count)
		);
		if (notice.active && !boot.is_agent) {
			const subscribe = button(notice.subscribed ? "Subscribed: you will be told when it is fixed" : "Me too: subscribe", async () => {
				subscribe.disabled = true;
				try {
					const result = await api(ps("incidents.subscribe"), { notice: notice.name, subscribe: !notice.subscribed, session: options.session, query: options.query && options.query() }, true);
					notice.subscribed = result.subscribed;
					notice.subscriber_count = result.subscriber_count;
					if (options.onSubscribed && result.subscribed) return options.onSubscribed(notice);
					card.replaceWith(noticeCard(notice, options));
				} catch (error) {
					subscribe.disabled = false;
					fail(error);
				}
			}, { class: "ps-btn" + (notice.subscribed ? "" : " ps-btn-primary"), "aria-pressed": String(!!notice.subscribed) });
			card.append(subscribe);
		}
		if (notice.desk_route) card.append(" ", h("a", { href: notice.desk_route }, "Open in Desk"));
		return card;
	}

	async function showNotice(name) {
		let notice;
		try {
			notice = await api(ps("incidents.notice"), { name });
		} catch (error) {
			render(h("h1", {}, "Known issue not found"), h("p", { class: "ps-muted" }, error.message), link("/community", "Back to questions"));
			return;
		}
		render(h("h1", {}, "Known issue"), noticeCard(notice, { full: true }), link("/community", "Back to questions"));
	}

	// --- ticket --------------------------------------------------------------------------------
	async function showTicket(name) {
		let ticket;
		try {
			ticket = await api(ps("tickets.get"), { ticket: name });
		} catch (error) {
			render(h("h1", {}, "Question not found"), h("p", { class: "ps-muted" }, error.message), link("/community", "Back to questions"));
			return;
		}
		const colleague = !ticket.is_requester && !boot.is_agent;
		const header = [
			h("h1", {}, ticket.subject),
			h(
				"div",
				{ class: "ps-meta" },
				ticket.topic ? pill(ticket.topic) : null,
				h("span", {}, "Asked by " + ticket.requester + " · " + ticket.age),
				h("span", {}, ticket.status),
				ticket.visibility === "Community" ? pill("Shared with colleagues", "blue") : pill("Private"),
				ticket.affected_count ? h("span", {}, ticket.affected_count + " also affected") : null
			),
			deskClock(ticket),
			h("div", { class: "ps-body ps-card", html: ticket.description }),
			articlesFrom(ticket),
		];
		const toolbar = h("div", { class: "ps-toolbar" });
		if (colleague) {
			toolbar.append(
				button(ticket.i_am_affected ? "✓ I have this too" : "I have this too", () =>
					api(ps("tickets.affected"), { ticket: name, affected: ticket.i_am_affected ? 0 : 1 }, true).then(() => showTicket(name), fail),
					{ "aria-pressed": String(ticket.i_am_affected) }
				),
				button(ticket.i_follow ? "✓ Following" : "Follow", () =>
					api(ps("tickets.follow"), { ticket: name, follow: ticket.i_follow ? 0 : 1 }, true).then(() => showTicket(name), fail),
					{ "aria-pressed": String(ticket.i_follow) }
				)
			);
		}
		if (ticket.is_requester || boot.is_agent) {
			const share = ticket.visibility !== "Community";
			toolbar.append(
				button(share ? "Share with colleagues" : "Make private", () =>
					api(ps("tickets.share"), { ticket: name, visibility: share ? "Community" : "Private" }, true).then(
						() => { toast(share ? "Shared with colleagues" : "Now private"); showTicket(name); }, fail)
				)
			);
		}
		const answers = h("section", { "aria-label": "Answers" },
			h("h2", {}, ticket.answers.length + (ticket.answers.length === 1 ? " answer" : " answers")),
			ticket.answers.map((answer) => answerCard(ticket, answer)));
		const form = colleague && ticket.visibility === "Community" ? answerForm(ticket) : null;
		render(link("/community", "← Questions"), ...header, toolbar, answers, form);
	}

	// Knowledge that decays: an article its readers doubted (or whose ticket came back) says so until
	// the service desk has checked it again.
	function reviewPill() {
		return h("span", { class: "ps-pill ps-pill-amber", "data-review": "under-review",
			title: "Readers said it did not help, or a ticket it solved came back; the service desk is checking it." },
			"Under review");
	}

	function articlesFrom(ticket) {
		if (!ticket.articles || !ticket.articles.length) return null;
		return h("section", { class: "ps-card", "aria-label": "Knowledge-base articles from this question" },
			h("strong", {}, "From this question: "),
			ticket.articles.map((a) => h("span", { class: "ps-article" },
				h("a", { href: a.route, target: "_blank", rel: "noopener" }, a.title), " ",
				a.under_review ? reviewPill() : null,
				a.published ? null : pill("Draft"))));
	}

	// The peer window: colleagues have a share of the desk's first-response time, then the desk steps in.
	function deskClock(ticket) {
		if (ticket.service_desk_on_it) {
			return h("div", { class: "ps-notice", role: "status", "data-peer-window": "escalated" },
				h("strong", {}, "The service desk is on it."),
				" Colleagues' time on this question has passed and its agents have been asked to take it. Answers are still welcome.");
		}
		if (ticket.peer_window_ends) {
			const ends = new Date(ticket.peer_window_ends.replace(" ", "T"));
			return h("div", { class: "ps-notice ps-notice-quiet", "data-peer-window": "open" },
				"Colleagues first: the service desk steps in at " +
				ends.toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) + " if nobody has solved it by then.");
		}
		return null;
	}

	function answerCard(ticket, answer) {
		const reload = () => showTicket(ticket.name);
		const act = (method, args = {}) => api(ps("answers." + method), { answer: answer.name, ...args }, true).then(reload, fail);
		const marks = h(
			"div",
			{ class: "ps-meta" },
			h("strong", {}, answer.author),
			answer.accepted ? pill("✓ Accepted by the asker", "green") : null,
			answer.endorsed ? pill("Verified by IT · " + (answer.endorsed_by || "agent"), "blue") : null,
			answer.hidden ? pill("Hidden: " + (answer.hidden_reason || ""), "red") : null,
			answer.flags ? pill(answer.flags + " flag(s)", "amber") : null,
			h("span", {}, new Date(answer.created.replace(" ", "T")).toLocaleDateString())
		);
		const canVote = !ticket.is_requester && !answer.is_mine && !boot.is_agent;
		const votes = h(
			"div",
			{ class: "ps-votes" },
			canVote ? button("▲", () => act("vote", { value: answer.my_vote === 1 ? 0 : 1 }),
				{ "aria-label": "Helpful", "aria-pressed": String(answer.my_vote === 1) }) : null,
			h("span", { class: "ps-score", "aria-label": "Score " + answer.score }, String(answer.score)),
			canVote ? button("▼", () => act("vote", { value: answer.my_vote === -1 ? 0 : -1 }),
				{ "aria-label": "Not helpful", "aria-pressed": String(answer.my_vote === -1) }) : null
		);
		const actions = h("div", { class: "ps-actions" });
		const body = h("div", { class: "ps-body", html: answer.body });
		if (ticket.is_requester && !answer.accepted) actions.append(button("Accept: this solved it", () => acceptDialog(ticket, answer, actions)));
		if (ticket.is_requester && answer.accepted) actions.append(button("Withdraw acceptance", () => act("unaccept")));
		if (answer.is_mine && !answer.accepted) actions.append(button("Edit", () => editAnswer(answer, body, actions, reload)));
		if (!answer.is_mine && !boot.is_agent) actions.append(button("Flag", () => {
			const reason = window.prompt("What is wrong with this answer? The service desk reviews flagged answers.");
			if (reason !== null) act("flag", { reason });
		}, { class: "ps-btn ps-btn-ghost" }));
		if (boot.is_agent) {
			actions.append(answer.endorsed ? button("Withdraw endorsement", () => act("unendorse")) : button("Endorse (verified by IT)", () => act("endorse")));
			actions.append(answer.hidden ? button("Show again", () => act("unhide")) : button("Hide", () => {
				const reason = window.prompt("Why is this answer hidden? Its author is told.");
				if (reason) act("hide", { reason });
			}));
		}
		return h(
			"article",
			{ class: "ps-card ps-answer" + (answer.accepted ? " ps-card-accepted" : ""), "data-answer": answer.name },
			votes,
			h("div", {}, marks, body, actions)
		);
	}

	async function acceptDialog(ticket, answer, actions) {
		let options = [];
		try {
			options = await api(ps("tickets.feedback_options"));
		} catch (error) {
			return fail(error);
		}
		const select = h("select", { class: "ps-select", id: "ps-feedback-" + answer.name },
			h("option", { value: "" }, "How was the help? (the service desk asks when a ticket is resolved)"),
			options.map((o) => h("option", { value: o.name }, o.label)));
		const confirm = button("Accept", () =>
			api(ps("answers.accept"), { answer: answer.name, feedback: select.value || undefined }, true).then(
				() => { toast("Accepted. Thank you!"); showTicket(ticket.name); }, fail),
			{ class: "ps-btn ps-btn-primary" });
		actions.replaceChildren(
			h("div", { class: "ps-field", style: "flex:1" }, h("label", { for: select.id }, "Your feedback"), select),
			h("div", { class: "ps-toolbar" }, confirm, button("Cancel", () => showTicket(ticket.name)))
		);
		select.focus();
	}

	function editAnswer(answer, body, actions, reload) {
		const area = h("textarea", { class: "ps-textarea", id: "ps-edit-" + answer.name, "aria-label": "Edit your answer" });
		area.value = answer.body;
		body.replaceChildren(area);
		actions.replaceChildren(
			button("Save", () => api(ps("answers.update"), { answer: answer.name, body: area.value }, true).then(reload, fail), { class: "ps-btn ps-btn-primary" }),
			button("Cancel", reload)
		);
		area.focus();
	}

	function answerForm(ticket) {
		const area = h("textarea", { class: "ps-textarea", id: "ps-answer", placeholder: "Share what worked for you. Markdown is fine." });
		const submit = h("button", { type: "submit", class: "ps-btn ps-btn-primary" }, "Post answer");
		return h(
			"form",
			{
				onsubmit: (e) => {
					e.preventDefault();
					submit.disabled = true;
					api(ps("answers.create"), { ticket: ticket.name, body: area.value }, true).then(
						() => { toast("Answer posted"); showTicket(ticket.name); },
						(error) => { submit.disabled = false; fail(error); });
				},
			},
			h("h2", {}, "Your answer"),
			h("div", { class: "ps-field" }, h("label", { for: "ps-answer" }, "Answer (rich text or Markdown)"), area),
			submit
		);
	}

	// --- ask -----------------------------------------------------------------------------------
	async function showAsk() {
		const options = await loadOptions();
		const subject = h("input", { class: "ps-input", id: "ps-subject", required: true, autocomplete: "off" });
		const description = h("textarea", { class: "ps-textarea", id: "ps-description" });
		const topic = h("select", { class: "ps-select", id: "ps-topic" }, h("option", { value: "" }, "Not sure"),
			options.topics.map((t) => h("option", { value: t }, t)));
		const suggestions = h("section", { class: "ps-suggestions", "aria-live": "polite", hidden: true, id: "ps-suggestions" });
		const known = h("section", { class: "ps-suggestions ps-known-issues", "aria-live": "polite", hidden: true, id: "ps-ask-notices" });
		const submit = h("button", { type: "submit", class: "ps-btn ps-btn-primary" }, "Ask the service desk");
		const result = h("div", {});
		// Honest deflection: the visit is counted, and a stable random share of askers (per person and
		// month) asks without suggestions, so the report can tell what suggestions really save.
		const ask = await api(ps("community.ask_started"), {}, true).catch(() => ({ session: null, holdout: false }));

		const subscribed = (notice) =>
			render(h("h1", {}, "You are subscribed"), h("p", { class: "ps-muted" }, "Nothing was filed: the service desk knows about \u201c" +
				notice.title + "\u201d and will tell you when it is fixed."), link("/community", "Back to questions"));

		const suggest = debounce(async () => {
			try {
				const found = await api(ps("community.similar"), { subject: subject.value, description: description.value });
				// Known issues (the service desk's own word on an incident) are shown to every asker.
				const notices = found.notices || [];
				known.hidden = !notices.length;
				known.replaceChildren(...(notices.length ? [h("h2", {}, "Is it this known issue?")] : []),
					...notices.map((n) => noticeCard(n, { session: ask.session, query: () => subject.value, onSubscribed: subscribed })));
				if (ask.holdout) return;
				suggestions.replaceChildren();
				if (found.holdout) return;
				suggestions.hidden = !(found.tickets.length || found.articles.length);
				if (suggestions.hidden) return;
				suggestions.append(h("h2", {}, "Maybe already solved"));
				found.tickets.forEach((t) => suggestions.append(suggestion(t.subject, t.accepted_answer, "/community/" + t.name, { ticket: t.name })));
				found.articles.forEach((a) => suggestions.append(suggestion(a.title, a.excerpt, a.route, { article: a.name }, a.under_review)));
			} catch (error) {
				fail(error);
			}
		}, 300);

		function suggestion(title, text, href, target, underReview) {
			return h(
				"div",
				{ class: "ps-card" },
				h("a", { href, target: "_blank", rel: "noopener" }, title),
				underReview ? reviewPill() : null,
				h("p", { class: "ps-muted" }, text),
				button("This solved it", () =>
					api(ps("community.deflect"), { query: subject.value, session: ask.session, ...target }, true).then(() => {
						render(h("h1", {}, "Glad it helped"), h("p", { class: "ps-muted" }, "Nothing was filed. " +
							"If it comes back, ask again."), link("/community", "Back to questions"));
					}, fail))
			);
		}

		// Not shown to the asker (telling them would change how they ask); tests and styles can read it.
		const suggestionsState = ask.holdout ? "holdout" : "on";
		subject.addEventListener("input", suggest);
		description.addEventListener("input", suggest);
		const form = h(
			"form",
			{
				"data-suggestions": suggestionsState,
				onsubmit: async (e) => {
					e.preventDefault();
					submit.disabled = true;
					try {
						const doc = { subject: subject.value, description: description.value || subject.value };
						if (topic.value) doc.ticket_type = topic.value;
						// Helpdesk's own API files the ticket: its SLA, assignment and notifications apply.
						const ticket = await api(boot.new_ticket_method, { doc }, true);
						if (ask.session) api(ps("community.ask_filed"), { session: ask.session, ticket: ticket.name }, true).catch(() => {});
						afterAsk(ticket.name, result, form);
					} catch (error) {
						submit.disabled = false;
						fail(error);
					}
				},
			},
			h("div", { class: "ps-field" }, h("label", { for: "ps-subject" }, "What do you need help with?"), subject),
			known,
			suggestions,
			h("div", { class: "ps-field" }, h("label", { for: "ps-description" }, "Details"), description),
			h("div", { class: "ps-field" }, h("label", { for: "ps-topic" }, "Topic"), topic),
			submit
		);
		render(h("h1", {}, "Ask"), h("p", { class: "ps-muted" }, "The service desk gets your question as a ticket; " +
			"you can also share it with colleagues."), form, result);
		subject.focus();
	}

	async function afterAsk(name, result, form) {
		form.hidden = true;
		const sharing = await api(ps("community.sharing"), { ticket: name }).catch(() => ({ allowed: false }));
		result.replaceChildren(
			h("h2", {}, "Ticket #" + name + " filed"),
			h("p", { class: "ps-muted" }, "The service desk has it." + (sharing.allowed ? " Colleagues may often answer sooner:" : " " + (sharing.reason || "").replace(/<[^>]+>/g, ""))),
			sharing.allowed
				? button("Share with colleagues", () =>
					api(ps("tickets.share"), { ticket: name }, true).then(() => go("/community/" + name), fail), { class: "ps-btn ps-btn-primary" })
				: null,
			" ",
			link("/community/" + name, "Open the question")
		);
	}

	// --- profile -------------------------------------------------------------------------------
	async function showProfile() {
		const options = await loadOptions();
		let profile;
		try {
			profile = await api(ps("profiles.get"));
		} catch (error) {
			return fail(error);
		}
		const involvement = h("select", { class: "ps-select", id: "ps-involvement" },
			profile.involvements.map((level) => h("option", { value: level, selected: level === profile.involvement }, level)));
		const topics = h("fieldset", { class: "ps-card" }, h("legend", {}, "Topics I follow"),
			options.topics.map((t) => h("label", { style: "display:inline-flex;gap:6px;margin:4px 12px 4px 0" },
				h("input", { type: "checkbox", value: t, checked: profile.topics.includes(t) }), t)));
		const save = button("Save", () => {
			const chosen = [...topics.querySelectorAll("input:checked")].map((i) => i.value);
			api(ps("profiles.update"), { involvement: involvement.value, topics: chosen }, true).then(() => toast("Saved"), fail);
		}, { class: "ps-btn ps-btn-primary" });
		const board = h("div", {});
		const periods = h("div", { class: "ps-toolbar", role: "group", "aria-label": "Leaderboard period" });
		const showBoard = async (period) => {
			periods.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.period === period)));
			const rows = await api(ps("profiles.leaderboard"), { period }).catch(fail);
			board.replaceChildren(h("table", { class: "ps-table" },
				h("thead", {}, h("tr", {}, ["#", "Colleague", "Points", "Accepted", "Verified by IT"].map((c) => h("th", { scope: "col" }, c)))),
				h("tbody", {}, (rows || []).map((r) => h("tr", { class: r.is_me ? "ps-me" : "" },
					[r.rank, r.full_name, r.points, r.accepted, r.endorsed].map((v) => h("td", {}, String(v))))))));
		};
		[["all", "All time"], ["month", "This month"], ["week", "This week"]].forEach(([key, label]) =>
			periods.append(button(label, () => showBoard(key), { "data-period": key })));
		render(
			h("h1", {}, profile.full_name),
			h("div", { class: "ps-grid" },
				[["Reputation", profile.reputation], ["Answers", profile.answers], ["Accepted", profile.accepted],
					["Verified by IT", profile.endorsed], ["Helpful votes", profile.helpful_votes]].map(([label, value]) =>
					h("div", { class: "ps-stat" }, h("b", {}, String(value)), h("span", { class: "ps-muted" }, label)))),
			h("h2", {}, "Badges"),
			h("div", { class: "ps-toolbar" }, profile.badges.length ? profile.badges.map((b) => pill(b.title + (b.topic ? ": " + b.topic : ""), "amber"))
				: h("span", { class: "ps-muted" }, "Answer a question to earn your first badge.")),
			h("h2", {}, "How involved do you want to be?"),
			h("div", { class: "ps-field" }, h("label", { for: "ps-involvement" }, "Questions of my topics"), involvement),
			topics,
			save,
			h("h2", {}, "Leaderboard"),
			periods,
			board
		);
		showBoard("all");
	}

	async function loadOptions() {
		if (!state.options) state.options = await api(ps("community.options"));
		return state.options;
	}

	// --- routing -------------------------------------------------------------------------------
	function route() {
		const path = location.pathname.replace(/\/+$/, "");
		const part = path.split("/")[2] || "";
		document.querySelectorAll("[data-nav]").forEach((a) => {
			const current = (part === "" && a.dataset.nav === "feed") || a.dataset.nav === part;
			current ? a.setAttribute("aria-current", "page") : a.removeAttribute("aria-current");
		});
		const view = part === "" ? showFeed() : part === "ask" ? showAsk() : part === "profile" ? showProfile()
			: part === "known-issues" ? showNotice(decodeURIComponent(path.split("/")[3] || "")) : showTicket(decodeURIComponent(part));
		Promise.resolve(view).catch(fail);
		main.focus({ preventScroll: true });
	}

	document.querySelectorAll("[data-nav]").forEach((a) =>
		a.addEventListener("click", (e) => { e.preventDefault(); go(a.getAttribute("href")); }));
	window.addEventListener("popstate", route);
	route();
})();
