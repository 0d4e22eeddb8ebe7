import { onBeforeUnmount, onMounted, ref } from "vue";

export function useWindowWidth() {
	const width = ref(window.innerWidth);
	const update = () => (width.value = window.innerWidth);
	onMounted(() => window.addEventListener("resize", update));
	onBeforeUnmount(() => window.removeEventListener("resize", update));
	return width;
}
