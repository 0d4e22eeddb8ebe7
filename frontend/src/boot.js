// What the entry page knows about the caller (peer_support/www/community.py get_boot), read once.
export const boot = {
	user: window.session_user,
	fullName: window.user_full_name || window.session_user,
	isAgent: Boolean(window.is_agent),
	helpdeskLink: window.helpdesk_link || "/helpdesk",
	newTicketMethod: window.new_ticket_method,
	base: window.community_base || "/community",
	siteName: window.site_name || window.location.hostname,
	socketioPort: window.socketio_port || null,
};
