import { api, enc, hasRole } from "./api.js";
import { h, table, errorBox, num, time, badge, duration, confirmAction } from "./dom.js";

const REFRESH_MS = 3000;
const ENDED = new Set(["completed", "failed", "cancelled"]);

// Built against the batch API (GET /v1/batch-jobs, …/{id}/cancel, …/output, …/errors; BatchJobView).
export function batchPage(root) {
  const status = h("div");
  const body = h("div");
  root.replaceChildren(h("h2", {}, "Batch jobs"), status, body);
  const tick = async () => {
    try {
      const { items } = await api.get("/v1/batch-jobs?limit=100");
      status.replaceChildren();
      body.replaceChildren(items.length ? table(["job", "model", "state", "progress", "rate", "ETA", "failed rows", "created", ""], items.map((j) => job(j, tick)), { "data-testid": "batch-jobs" })
        : h("p", { class: "empty" }, "No batch jobs in this tenant."));
    } catch (error) {
      status.replaceChildren(errorBox(new Error(`Batch jobs could not be loaded. ${error.message}`)));
    }
  };
  tick();
  const timer = setInterval(tick, REFRESH_MS);
  return () => clearInterval(timer);
}

function job(j, refresh) {
  const done = j.rowsDone + j.rowsFailed;
  const share = j.rowsTotal > 0 ? done / j.rowsTotal : ENDED.has(j.state) ? 1 : 0;
  const cancel = !ENDED.has(j.state) && hasRole("predictor") ? h("button", { class: "danger", onclick: async () => {
    if (!(await confirmAction(`Cancel batch job ${j.id}? Rows already scored stay in its output.`))) return;
    try { await api.post(`/v1/batch-jobs/${enc(j.id)}/cancel`); } catch (e) { alert(e.message); }
    refresh();
  } }, "Cancel") : null;
  const ready = ENDED.has(j.state) && j.state !== "failed";
  return h("tr", { "data-testid": `batch-${j.id}` },
    h("td", { class: "mono" }, j.id, j.inputName ? h("div", { class: "muted small" }, j.inputName) : null),
    h("td", {}, `${j.model} v${j.version}`),
    h("td", {}, badge(j.state), j.reason ? h("div", { class: "small" }, j.reason) : null),
    h("td", {}, h("div", { class: "bar wide" }, h("div", { style: { width: `${(share * 100).toFixed(1)}%` } }),
      h("span", {}, `${num(done)} / ${num(j.rowsTotal)} rows · ${j.chunksDone}/${j.chunksTotal} chunks`))),
    h("td", { class: "n" }, `${num(j.rowsPerSecond, 3)} rows/s`),
    h("td", {}, ENDED.has(j.state) ? "—" : duration(j.etaSeconds)),
    h("td", { class: "n" }, num(j.rowsFailed)),
    h("td", {}, time(j.createdAt)),
    h("td", { class: "actions" }, cancel,
      ready ? download("Output", `/v1/batch-jobs/${enc(j.id)}/output`, `${j.id}.${j.outputFormat}`) : null,
      j.rowsFailed > 0 || ENDED.has(j.state) ? download("Errors", `/v1/batch-jobs/${enc(j.id)}/errors`, `${j.id}-errors.csv`) : null));
}

/** The files need the key, so they are fetched with it and handed to the browser as a blob. */
function download(label, path, fileName) {
  return h("button", { class: "secondary", onclick: async () => {
    try {
      const url = URL.createObjectURL(await api.blob(path));
      const a = h("a", { href: url, download: fileName });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      alert(e.message);
    }
  } }, label);
}
