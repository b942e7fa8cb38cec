/** h("div", {class: "x", onclick: f}, child, "text", [more]) builds elements without innerHTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function table(headers, rows, attrs) {
  return h("table", attrs, h("thead", {}, h("tr", {}, headers.map((t) => h("th", {}, t)))), h("tbody", {}, rows));
}

export const errorBox = (error) => h("div", { class: "error", role: "alert", "data-testid": "error" }, String(error.message ?? error));
export const loading = () => h("p", { class: "muted" }, "Loading…");
export const dash = "—";

export function num(value, digits = 4) {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Number(value.toPrecision(digits)).toString();
}

export function time(iso) {
  if (!iso) return dash;
  const d = new Date(iso);
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return dash;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export const badge = (text, kind) => h("span", { class: `badge ${kind ?? text}` }, text);

/** A confirmation in the page (not window.confirm), so its wording names the action and the target. */
export function confirmAction(question) {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", "data-testid": "confirm" },
      h("p", {}, question),
      h("div", { class: "actions" },
        h("button", { class: "secondary", onclick: () => close(false) }, "Cancel"),
        h("button", { class: "danger", "data-testid": "confirm-yes", onclick: () => close(true) }, "Confirm")));
    function close(answer) { dialog.close(); dialog.remove(); resolve(answer); }
    dialog.addEventListener("cancel", () => close(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}
