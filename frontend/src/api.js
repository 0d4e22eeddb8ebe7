// Calls to peer_support's whitelisted API with frappe-ui's request (CSRF token, server messages).
import { call, toast } from "frappe-ui";
import { __ } from "./translation";

export const ps = (name) => "peer_support.api." + name;

/** The server's human message for a failed call (frappe-ui puts Frappe's messages on the error). */
export function errorMessage(error) {
	const messages = error?.messages?.length ? error.messages : [error?.message || __("Something went wrong")];
	return messages.join(" ").replace(/<[^>]+>/g, "");
}

export function fail(error) {
	toast.error(errorMessage(error));
}

/** POST (or GET) one method; errors are shown as a toast and rethrown. */
export async function post(method, args = {}) {
	try {
		return await call(ps(method), args);
	} catch (error) {
		fail(error);
		throw error;
	}
}

export function debounce(fn, ms) {
	let timer;
	return (...args) => {
		clearTimeout(timer);
		timer = setTimeout(() => fn(...args), ms);
	};
}
