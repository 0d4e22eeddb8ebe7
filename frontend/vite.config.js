// The community app: built by `bench build --app peer_support` (the app's root package.json "build"
// script, which Frappe's esbuild runs for each app) into peer_support/public/frontend, with its entry
// page copied to peer_support/www/community.html (both build output, not in git).
import path from "path";
import vue from "@vitejs/plugin-vue";
import frappeui from "frappe-ui/vite";
import { defineConfig } from "vite";

export default defineConfig({
	plugins: [
		frappeui({
			frappeProxy: true, // `yarn dev` proxies /api to the bench's web server
			lucideIcons: true, // ~icons/lucide/* and lucide-* classes, as Helpdesk uses them
			jinjaBootData: true, // the entry page writes `boot` (peer_support/www/community.py) into window
			buildConfig: {
				outDir: "../peer_support/public/frontend",
				emptyOutDir: true,
				sourcemap: false,
				indexHtmlPath: "../peer_support/www/community.html",
			},
		}),
		vue(),
	],
	resolve: {
		alias: [
			{ find: "@", replacement: path.resolve(__dirname, "src") },
			{ find: /^lowlight$/, replacement: path.resolve(__dirname, "src/lowlight.js") },
		],
		// one copy of ProseMirror, or the editor fails with "different instances of a keyed plugin"
		dedupe: ["@tiptap/core", "@tiptap/pm", "prosemirror-state", "prosemirror-model", "prosemirror-view"],
	},
	optimizeDeps: { exclude: ["frappe-ui"] },
});
