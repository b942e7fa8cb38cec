// Every call goes to the platform's own APIs (same origin), with the key the user logged in with.
const KEY = "orbit.console.key";

export class ApiError extends Error {
  constructor(method, path, status, detail) {
    super(`${method} ${path} failed: ${status ? `HTTP ${status}` : "no answer"}${detail ? ` — ${detail}` : ""}`);
    this.status = status;
  }
}

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
  identity: null,
  tenant: null, // the tenant a platform key is looking at; null = its own
};

const ROLES = ["viewer", "predictor", "deployer", "admin"];
export const hasRole = (role) => session.identity && ROLES.indexOf(session.identity.role) >= ROLES.indexOf(role);
export const isPlatform = () => session.identity?.tenantId === "admin";

async function send(method, path, body, key = session.key) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    throw new ApiError(method, path, 0, e.message);
  }
  if (!response.ok) {
    throw new ApiError(method, path, response.status, await problemText(response));
  }
  return response;
}

async function problemText(response) {
  const text = await response.text().catch(() => "");
  if (!text) return response.statusText;
  try {
    const problem = JSON.parse(text);
    const fields = problem.errors ? Object.entries(problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(", ")}`).join("; ") : "";
    return [problem.title, problem.detail, problem.error, fields].filter(Boolean).join(" — ") || text.slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}

export const api = {
  get: async (path, key) => (await send("GET", path, undefined, key)).json(),
  post: async (path, body) => {
    const response = await send("POST", path, body ?? {});
    return response.status === 204 ? null : response.json().catch(() => null);
  },
  blob: async (path) => (await send("GET", path)).blob(),
};

/** Adds ?tenant= for a platform key looking at another tenant, on the APIs that accept it. */
export function withTenant(path) {
  if (!session.tenant || !isPlatform() || session.tenant === session.identity.tenantId) return path;
  return tenantParam(path, session.tenant);
}

/** Adds ?tenant=<tenant> to a path, or nothing when tenant is empty. */
export const tenantParam = (path, tenant) => tenant ? path + (path.includes("?") ? "&" : "?") + "tenant=" + encodeURIComponent(tenant) : path;

/** The tenants a platform key may pick (GET /v1/tenants answers platform admins only; an empty list otherwise). */
export const tenantIds = () => api.get("/v1/tenants?limit=500").then((page) => page.items.map((t) => t.id));

export const enc = encodeURIComponent;
