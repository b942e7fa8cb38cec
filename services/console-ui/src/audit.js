import { api, isPlatform, session } from "./api.js";
import { h, table, errorBox, time, dash } from "./dom.js";

/** GET /v1/audit with its filters; "Load more" follows the cursor; the text box filters what is loaded. */
export function auditPage(root) {
  const field = (name, placeholder, type = "text") => h("input", { name, placeholder, type, "data-testid": `audit-${name}` });
  const inputs = { model: field("model", "model"), actor: field("actor", "key:ID"), from: field("from", "from", "datetime-local"), to: field("to", "to", "datetime-local") };
  const search = h("input", { placeholder: "filter loaded rows…", "data-testid": "audit-search", oninput: () => render() });
  const body = h("div");
  const more = h("button", { class: "secondary", onclick: () => load(false) }, "Load more");
  let entries = [];
  let cursor = null;
  const render = () => {
    const q = search.value.trim().toLowerCase();
    const shown = q ? entries.filter((e) => JSON.stringify(e).toLowerCase().includes(q)) : entries;
    body.replaceChildren(shown.length ? table(["at", "actor", "tenant", "action", "target", "model", "change"], shown.map(row), { "data-testid": "audit" })
      : h("p", { class: "empty" }, "No audit entries match."));
    more.hidden = !cursor;
  };
  const load = async (fresh) => {
    const params = new URLSearchParams({ limit: "100" });
    for (const [k, el] of Object.entries(inputs)) {
      if (!el.value) continue;
      params.set(k, k === "from" || k === "to" ? new Date(el.value).toISOString() : el.value.trim());
    }
    if (isPlatform() && session.tenant) params.set("tenant", session.tenant);
    if (!fresh && cursor) params.set("cursor", cursor);
    try {
      const page = await api.get(`/v1/audit?${params}`);
      entries = fresh ? page.items : entries.concat(page.items);
      cursor = page.nextCursor;
      render();
    } catch (error) {
      body.replaceChildren(errorBox(error));
      more.hidden = true;
    }
  };
  const form = h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); load(true); } },
    Object.entries(inputs).map(([name, el]) => h("label", {}, `${name} `, el)), h("button", { type: "submit" }, "Apply"), search);
  root.replaceChildren(h("h2", {}, "Audit"), form, body, more);
  load(true);
}

function row(e) {
  const change = (label, value) => value === null || value === undefined ? null : h("details", {}, h("summary", {}, label), h("pre", {}, JSON.stringify(value, null, 2)));
  return h("tr", {},
    h("td", {}, time(e.at)),
    h("td", { class: "mono" }, `key:${e.actorKeyId}`, e.actorTenantId !== e.tenantId ? ` (${e.actorTenantId})` : ""),
    h("td", {}, e.tenantId),
    h("td", {}, e.action),
    h("td", { class: "mono" }, e.target),
    h("td", {}, e.model ?? dash),
    h("td", {}, change("before", e.before), change("after", e.after)));
}
