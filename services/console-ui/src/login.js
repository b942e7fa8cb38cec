import { api, session } from "./api.js";
import { h, errorBox } from "./dom.js";

export function loginPage(onLoggedIn) {
  const input = h("input", { type: "password", id: "api-key", name: "api-key", autocomplete: "off", placeholder: "orb_…", "data-testid": "api-key" });
  const message = h("div");
  const form = h("form", { class: "login", onsubmit: async (e) => {
    e.preventDefault();
    message.replaceChildren();
    try {
      const identity = await api.get("/v1/auth/whoami", input.value.trim());
      session.key = input.value.trim();
      onLoggedIn(identity);
    } catch (error) {
      message.replaceChildren(errorBox(error.status === 401 ? new Error("That key was not accepted (HTTP 401).") : error));
    }
  } },
  h("h1", {}, "Orbit console"),
  h("label", { for: "api-key" }, "API key"),
  input,
  h("button", { type: "submit", "data-testid": "login" }, "Log in"),
  h("p", { class: "muted" }, "The key stays in this tab's session storage and is sent only to this platform."),
  message);
  return form;
}
