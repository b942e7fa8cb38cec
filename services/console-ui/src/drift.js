import { api, enc, withTenant, isPlatform, session, tenantParam } from "./api.js";
import { h, table, errorBox, loading, num, time, badge, dash } from "./dom.js";
import { histogramChart, seriesChart, accuracyChart } from "./charts.js";

// Built against GET /v1/drift/{model} (DriftModelView) as the drift monitor documents it (docs/drift.md).
export async function driftPage(root, model) {
  root.replaceChildren(h("h2", {}, "Drift"), loading());
  const open = (e) => { location.hash = `#/drift/${enc(e.target.value)}`; };
  let picker, models = [];
  if (isPlatform() && session.tenant) {
    // Another tenant's model is typed, with that tenant's models (the registry lists them for platform keys) offered as suggestions.
    const suggestions = h("datalist", { id: "drift-models" });
    api.get(tenantParam("/v1/models?limit=500", session.tenant))
      .then((page) => suggestions.append(...page.items.map((m) => h("option", { value: m.name }))))
      .catch(() => {});
    picker = h("span", {}, h("input", { "data-testid": "drift-model", list: "drift-models", placeholder: `a model of ${session.tenant}`, value: model ?? "", onchange: open }), suggestions);
  } else {
    // A platform key's plain listing holds every tenant's models; the Drift page reads its own tenant's here.
    const path = isPlatform() ? tenantParam("/v1/models?limit=500", session.identity.tenantId) : "/v1/models?limit=500";
    models = (await api.get(path)).items.map((m) => m.name);
    picker = h("select", { "data-testid": "drift-model", onchange: open },
      h("option", { value: "" }, "choose a model…"), models.map((m) => h("option", { value: m, selected: m === model }, m)));
  }
  const body = h("div", {}, model ? loading() : h("p", { class: "empty" }, models.length || session.tenant ? "Choose a model." : "No models in this tenant."));
  root.replaceChildren(h("h2", {}, "Drift"), h("label", {}, "Model ", picker), body);
  if (!model) return;
  try {
    const view = await api.get(withTenant(`/v1/drift/${enc(model)}`));
    body.replaceChildren(
      h("p", { class: "muted" }, `Outcomes waiting for their prediction: ${num(view.pendingOutcomes)} · never matched: ${num(view.unknownOutcomes)}`),
      view.versions.length ? h("div", {}, view.versions.map(versionView)) : h("p", { class: "empty" }, "The drift monitor has no evaluation of this model yet."));
  } catch (error) {
    body.replaceChildren(errorBox(new Error(`Drift data could not be loaded. ${error.message}${error.status === 404 ? " (Is the drift monitor running, and does the gateway forward /v1/drift?)" : ""}`)));
  }
}

function versionView(v) {
  return h("section", { "data-testid": `drift-version-${v.modelVersion}` },
    h("h3", {}, `v${v.modelVersion} `, badge(v.status)),
    h("p", {}, `sample ${num(v.sampleSize)} rows over ${v.windowSeconds}s · evaluated ${time(v.evaluatedAt)}`, v.reason ? ` · ${v.reason}` : ""),
    accuracy(v.accuracy),
    v.accuracySeries?.points?.length ? accuracyChart(v.accuracySeries, `${v.accuracy.metric} over time (warning ${pct(v.accuracySeries.warning)}, critical ${pct(v.accuracySeries.critical)} degradation)`) : null,
    h("div", { class: "features" }, v.features.map(feature)),
    h("h4", {}, "Alert history"),
    v.alerts.length
      ? table(["at", "feature", "metric", "from → to", "value", "threshold", "sample"], v.alerts.map((a) => h("tr", {},
          h("td", {}, time(a.at)), h("td", {}, a.feature), h("td", {}, a.metric), h("td", {}, badge(a.from), " → ", badge(a.to)),
          h("td", { class: "n" }, num(a.value)), h("td", { class: "n" }, num(a.threshold)), h("td", { class: "n" }, num(a.sampleSize)))))
      : h("p", { class: "empty" }, "No alert has changed state."));
}

const pct = (x) => `${(x * 100).toFixed(0)}%`;

function accuracy(a) {
  if (!a) return h("p", { class: "muted" }, "Accuracy: no outcomes joined yet.");
  return h("p", { "data-testid": "accuracy" }, "Accuracy: ", badge(a.level), ` ${a.metric} ${num(a.value)} (expected ${num(a.expected)}, degradation ${a.degradation === null ? dash : (a.degradation * 100).toFixed(1) + "%"}) over ${num(a.sampleSize)} outcomes`, a.reason ? ` · ${a.reason}` : "");
}

function feature(f) {
  const scores = Object.entries(f.scores ?? {}).filter(([, x]) => x !== null).map(([k, x]) => `${k} ${num(x)}`).join(" · ");
  return h("div", { class: "feature", "data-testid": `feature-${f.feature}` },
    h("h4", {}, f.feature, " ", badge(f.level), h("span", { class: "muted" }, ` ${f.kind} · ${f.test} ${num(f.value)} (warning ${num(f.warning)}, critical ${num(f.critical)}) · ${num(f.sampleSize)} rows`)),
    h("div", { class: "muted small" }, scores),
    histogramChart(f.live, f.baseline, "live over baseline (share of rows per bin)"),
    f.series.length ? seriesChart(f.series, f.test, f.warning, f.critical, `${f.test} over time`) : h("p", { class: "empty" }, "No evaluations yet."));
}
