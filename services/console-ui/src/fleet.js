import { api } from "./api.js";
import { h, table, errorBox, num, time, dash } from "./dom.js";

const REFRESH_MS = 3000;

/** GET /v1/workers every few seconds; a tenant's key sees only workers serving its models, without shared-machine detail. */
export function fleetPage(root) {
  const status = h("p", { class: "muted", "data-testid": "fleet-updated" }, "Loading…");
  const body = h("div");
  root.replaceChildren(h("h2", {}, "Fleet"), status, body);
  const tick = async () => {
    try {
      const { items } = await api.get("/v1/workers");
      status.textContent = `${items.length} worker(s) · updated ${time(new Date().toISOString())} · refreshes every ${REFRESH_MS / 1000}s`;
      body.replaceChildren(items.length ? table(["worker", "host", "device / provider", "loaded models", "queue", "batches", "mean batch", "busy", "heartbeat"],
        items.map(worker), { "data-testid": "workers" }) : h("p", { class: "empty" }, "No live worker."));
    } catch (error) {
      body.replaceChildren(errorBox(error));
    }
  };
  tick();
  const timer = setInterval(tick, REFRESH_MS);
  return () => clearInterval(timer);
}

function worker(w) {
  const busy = w.busyFraction ?? null;
  return h("tr", { "data-testid": "worker" },
    h("td", { class: "mono" }, w.workerId),
    h("td", {}, w.host ?? dash),
    h("td", {}, `${w.device ?? dash} / ${w.provider ?? dash}`, w.providerFallbackReason ? h("div", { class: "warn small" }, `fell back: ${w.providerFallbackReason}`) : null),
    h("td", {}, (w.loadedModels ?? []).map((m) => h("div", {}, `${m.tenantId}/${m.modelName} v${m.version}`,
      m.batching === true ? ` · batches ≤ ${m.maxBatchSize ?? "?"}` : m.batching === false ? " · no batching" : ""))),
    h("td", { class: "n" }, num(w.queueDepth)),
    h("td", { class: "n" }, num(w.batchesRun)),
    h("td", { class: "n" }, num(w.meanBatchSize, 3)),
    h("td", {}, busy === null ? dash : h("div", { class: "bar", title: `${(busy * 100).toFixed(0)}%` }, h("div", { style: { width: `${Math.min(100, busy * 100)}%` } }), h("span", {}, `${(busy * 100).toFixed(0)}%`))),
    h("td", {}, time(w.sentAt)));
}
