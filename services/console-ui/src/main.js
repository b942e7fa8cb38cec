import "uplot/dist/uPlot.min.css";
import "./console.css";
import { api, isPlatform, session, tenantIds } from "./api.js";
import { h, errorBox } from "./dom.js";
import { loginPage } from "./login.js";
import { modelsPage, modelPage } from "./models.js";
import { driftPage } from "./drift.js";
import { fleetPage } from "./fleet.js";
import { batchPage } from "./batch.js";
import { auditPage } from "./audit.js";

const PAGES = [
  ["models", "Models"],
  ["drift", "Drift"],
  ["fleet", "Fleet"],
  ["batch", "Batch jobs"],
  ["audit", "Audit"],
];

const app = document.getElementById("app");
let stopPage = null;

async function start() {
  if (!session.key) return showLogin();
  try {
    session.identity = await api.get("/v1/auth/whoami");
  } catch (error) {
    if (error.status === 401) return showLogin();
    app.replaceChildren(errorBox(error));
    return;
  }
  shell();
}

function showLogin() {
  session.key = null;
  app.replaceChildren(loginPage((identity) => {
    session.identity = identity;
    if (!location.hash || location.hash === "#/") location.hash = "#/models";
    shell();
  }));
}

function shell() {
  const { keyId, tenantId, role } = session.identity;
  const main = h("main", { id: "page" });
  const nav = h("nav", {}, h("span", { class: "brand" }, "Orbit"),
    PAGES.map(([id, label]) => h("a", { href: `#/${id}`, "data-page": id }, label)),
    h("span", { class: "who", "data-testid": "whoami" }, `tenant ${tenantId} · ${role} · key ${keyId}`),
    isPlatform() ? tenantPicker() : null,
    h("button", { class: "secondary", "data-testid": "logout", onclick: () => { session.key = null; location.hash = ""; showLogin(); } }, "Log out"));
  app.replaceChildren(nav, main);
  route();
}

/** The platform tenant may look at another tenant where an API accepts ?tenant= (models, audit, drift); the fleet shows it everything anyway. */
function tenantPicker() {
  const select = h("select", { "data-testid": "tenant", title: "narrows the Models and Audit pages to one tenant (unset: every tenant) and picks the tenant the Drift page reads (unset: admin)", onchange: (e) => pickTenant(e.target.value) },
    h("option", { value: "" }, "tenant: any"));
  tenantIds().then((ids) => {
    for (const id of ids) select.append(h("option", { value: id, selected: id === session.tenant }, `tenant: ${id}`));
  }).catch(() => select.append(h("option", { disabled: true }, "(listing tenants needs an admin key)")));
  return select;
}

/** Picks the tenant the pages look at (the header's picker and the Models page's filter both land here). */
function pickTenant(id) {
  session.tenant = id || null;
  const header = document.querySelector("nav [data-testid=tenant]");
  if (header && [...header.options].some((o) => o.value === (id || ""))) header.value = id || "";
  route();
}

function route() {
  const previous = document.getElementById("page");
  if (!previous) return;
  // A fresh element per visit: a slower page still loading writes into the detached old one, never over this one.
  const main = h("main", { id: "page" });
  previous.replaceWith(main);
  stopPage?.();
  stopPage = null;
  // #/models/NAME?tenant=T: a platform key's link to another tenant's model.
  const [path, query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const [page, ...rest] = path.split("/").map(decodeURIComponent);
  const tenant = new URLSearchParams(query).get("tenant");
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.page === (page || "models"));
  const run = (f) => Promise.resolve().then(f).catch((error) => main.replaceChildren(errorBox(error)));
  switch (page || "models") {
    case "models": return run(() => (rest[0] ? modelPage(main, rest[0], tenant) : modelsPage(main, pickTenant)));
    case "drift": return run(() => driftPage(main, rest[0]));
    case "fleet": stopPage = fleetPage(main); return;
    case "batch": stopPage = batchPage(main); return;
    case "audit": return run(() => auditPage(main));
    default: main.replaceChildren(errorBox(new Error(`No page "${page}".`)));
  }
}

window.addEventListener("hashchange", () => session.identity && route());
start();
