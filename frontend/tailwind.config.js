import frappeUIPreset from "frappe-ui/tailwind";
import typography from "@tailwindcss/typography";

export default {
	presets: [frappeUIPreset],
	content: [
		"./index.html",
		"./src/**/*.{vue,js}",
		"./node_modules/frappe-ui/src/**/*.{vue,js,ts}",
		"./node_modules/frappe-ui/frappe/**/*.{vue,js,ts}",
	],
	plugins: [typography],
};
