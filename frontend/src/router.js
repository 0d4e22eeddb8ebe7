import { createRouter, createWebHistory } from "vue-router";
import { boot } from "./boot";

export const router = createRouter({
	history: createWebHistory(boot.base),
	routes: [
		{ path: "/", name: "Feed", component: () => import("./pages/Feed.vue") },
		{ path: "/ask", name: "Ask", component: () => import("./pages/Ask.vue") },
		{ path: "/profile", name: "Profile", component: () => import("./pages/Profile.vue") },
		{
			path: "/known-issues/:notice",
			name: "KnownIssue",
			component: () => import("./pages/KnownIssue.vue"),
			props: true,
		},
		{ path: "/:ticket", name: "Ticket", component: () => import("./pages/Ticket.vue"), props: true },
	],
	scrollBehavior: () => ({ top: 0 }),
});
