// peer_support:portal-community-link
// HD Form Script for Helpdesk's customer portal ticket page, installed by peer_support: a link from
// the requester's ticket to its community page, where they can share it with colleagues.
function setupForm({ doc }) {
	return {
		actions: [
			{
				label: "Ask colleagues",
				icon: "users",
				onClick: () => {
					window.location.href = "/community/" + encodeURIComponent(doc.name);
				},
			},
		],
	};
}
