import { createApp } from "vue";
import { FrappeUI, frappeRequest, setConfig } from "frappe-ui";
import App from "./App.vue";
import { fail } from "./api";
import { router } from "./router";
import { translationPlugin } from "./translation";
import "./index.css";

setConfig("resourceFetcher", frappeRequest);
setConfig("fallbackErrorHandler", fail);
// Frappe's msgprint messages of a successful call are not shown: each action says what it did.
setConfig("serverMessagesHandler", () => {});

createApp(App).use(FrappeUI).use(translationPlugin).use(router).mount("#app");
