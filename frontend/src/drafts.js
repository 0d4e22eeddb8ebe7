import { ref, watch } from "vue";

/** A half-written text kept in localStorage under key(): it survives actions, reloads and navigation. */
export function useDraft(key) {
	const draft = ref(localStorage.getItem(key()) || "");
	watch(key, (next) => (draft.value = localStorage.getItem(next) || ""));
	watch(draft, (value) => {
		if (value && value.replace(/<[^>]*>/g, "").trim()) localStorage.setItem(key(), value);
		else localStorage.removeItem(key());
	});
	return {
		draft,
		clear() {
			draft.value = "";
			localStorage.removeItem(key());
		},
	};
}
