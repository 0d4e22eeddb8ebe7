// Live updates through Frappe's realtime, as Helpdesk's desk/src/socket.ts connects: the bench's
// socket.io server on its own port in development (`socketio_port`, from the boot data), behind the
// site's own address in production. A page joins the room of the ticket it shows, whose name only the
// ticket API hands out (peer_support/services/live.py); events say what changed, the page reads the
// ticket again through that API.
import { io } from "socket.io-client";
import { onBeforeUnmount, reactive, watch } from "vue";
import { boot } from "./boot";

const EVENT = "peer_support_ticket";
let socket = null;
/** Whether the page hears live updates now (the ticket page shows it as data-live="on"). */
export const liveState = reactive({ connected: false });

function connect() {
	if (socket) return socket;
	const { protocol, hostname, port } = window.location;
	const host = port && boot.socketioPort ? `${protocol}//${hostname}:${boot.socketioPort}` : window.location.origin;
	socket = io(`${host}/${boot.siteName}`, { withCredentials: true, reconnectionAttempts: 5 });
	socket.on("connect", () => {
		for (const room of rooms.keys()) socket.emit("task_subscribe", room);
		liveState.connected = true;
	});
	socket.on("disconnect", () => (liveState.connected = false));
	socket.on(EVENT, (message) => {
		for (const handler of rooms.get(message?.room) || []) handler(message);
	});
	return socket;
}

// room -> handlers of the pages that show it
const rooms = new Map();

function join(room, handler) {
	if (!rooms.has(room)) {
		rooms.set(room, new Set());
		if (socket?.connected) socket.emit("task_subscribe", room);
	}
	rooms.get(room).add(handler);
	connect();
}

function leave(room, handler) {
	const handlers = rooms.get(room);
	if (!handlers) return;
	handlers.delete(handler);
	if (!handlers.size) {
		rooms.delete(room);
		socket?.emit("task_unsubscribe", room);
	}
}

/** Calls `onChange(message)` while the component lives, for the room `room()` returns (it may change:
 * a ticket made private moves to another room). Bursts (a vote and its score) arrive as one call. */
export function useLiveRoom(room, onChange, wait = 100) {
	let timer = null;
	let last = null;
	const handler = (message) => {
		last = message;
		clearTimeout(timer);
		timer = setTimeout(() => onChange(last), wait);
	};
	const stop = watch(
		room,
		(next, previous) => {
			if (previous) leave(previous, handler);
			if (next) join(next, handler);
		},
		{ immediate: true }
	);
	onBeforeUnmount(() => {
		stop();
		clearTimeout(timer);
		const current = room();
		if (current) leave(current, handler);
	});
}
