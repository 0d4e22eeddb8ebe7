// __() as Helpdesk and CRM have it: the messages of the user's language come with the boot data
// (window.translated_messages, written by peer_support/www/community.py), "{0}" takes arguments.
export function __(message, ...args) {
	const translated = (window.translated_messages || {})[message] || message;
	if (!args.length) return translated;
	return translated.replace(/{(\d+)}/g, (match, index) => (args[index] !== undefined ? String(args[index]) : match));
}

export function translationPlugin(app) {
	app.config.globalProperties.__ = __;
	window.__ = __;
}
