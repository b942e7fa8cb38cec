import { api, enc, hasRole, isPlatform, session, tenantIds, tenantParam } from "./api.js";
import { h, table, errorBox, loading, num, time, badge, dash, confirmAction } from "./dom.js";

export async function modelsPage(root, pickTenant) {
  root.replaceChildren(h("h2", {}, "Models"), loading());
  const platform = isPlatform();
  // A platform key lists every tenant's models, or the picked tenant's; any other key lists its own.
  const items = await allModels(platform ? tenantParam("/v1/models?limit=500", session.tenant) : "/v1/models?limit=500");
  const rows = items.map((m) => h("tr", { "data-testid": `model-${m.name}`, "data-tenant": m.tenant },
    platform ? h("td", { "data-testid": "model-tenant" }, m.tenant) : null,
    h("td", {}, h("a", { href: modelLink(m) }, m.name)),
    h("td", {}, num(m.versionCount)),
    h("td", {}, m.latestVersion ?? dash),
    h("td", {}, split(m.deployment)),
    h("td", {}, time(m.createdAt))));
  const headers = ["model", "versions", "latest", "serving", "created"];
  root.replaceChildren(h("h2", {}, "Models"), platform ? tenantFilter(pickTenant) : null,
    rows.length ? table(platform ? ["tenant", ...headers] : headers, rows, { "data-testid": "models" })
      : h("p", { class: "empty" }, platform && !session.tenant ? "No models in any tenant yet." : "No models in this tenant yet."));
}

/** Follows the listing's cursor: a platform key's listing of every tenant can pass one page. */
async function allModels(path) {
  const items = [];
  let cursor = null;
  do {
    const page = await api.get(cursor ? `${path}&cursor=${enc(cursor)}` : path);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 5000);
  return items;
}

/** A model of another tenant is opened with its tenant, so the model page reads it there. */
const modelLink = (m) => m.tenant && m.tenant !== session.identity.tenantId ? `#/models/${enc(m.name)}?tenant=${enc(m.tenant)}` : `#/models/${enc(m.name)}`;

function tenantFilter(pickTenant) {
  const select = h("select", { "data-testid": "models-tenant", onchange: (e) => pickTenant(e.target.value) },
    h("option", { value: "" }, "every tenant"));
  const add = (id) => select.append(h("option", { value: id, selected: id === session.tenant }, id));
  tenantIds().then((ids) => ids.forEach(add))
    .catch(() => { if (session.tenant) add(session.tenant); }); // a platform key below admin may not list tenants: keep what is picked
  return h("form", { class: "filters", onsubmit: (e) => e.preventDefault() }, h("label", {}, "Tenant ", select));
}

function split(deployment) {
  if (!deployment || !deployment.routes?.length) return "not deployed";
  return deployment.routes.map((r) => `v${r.version} ${r.weight}%`).join(" · ");
}

/** A model; <tenant> (from a platform key's link) is another tenant's, read with ?tenant= and never changed from here. */
export async function modelPage(root, name, tenant) {
  root.replaceChildren(h("h2", {}, name), loading());
  const foreign = tenant && tenant !== session.identity.tenantId ? tenant : null;
  const of = (path) => tenantParam(path, foreign);
  const [model, versions, deployment, rollout] = await Promise.all([
    api.get(of(`/v1/models/${enc(name)}`)),
    api.get(of(`/v1/models/${enc(name)}/versions?limit=500`)),
    optional(api.get(of(`/v1/models/${enc(name)}/deployment`))),
    optional(api.get(of(`/v1/models/${enc(name)}/rollout?decisions=50`))),
  ]);
  const refresh = () => modelPage(root, name, tenant).catch((e) => root.replaceChildren(errorBox(e)));
  // Changes act on the key's own tenant only, so another tenant's model is shown without its buttons.
  const canChange = !foreign && hasRole("deployer");
  root.replaceChildren(
    h("div", { class: "title-row" }, h("h2", {}, model.name), isPlatform() ? h("span", { class: "badge", "data-testid": "model-page-tenant" }, `tenant ${model.tenant}`) : null,
      h("button", { class: "secondary", onclick: refresh }, "Refresh")),
    foreign ? h("p", { class: "muted", "data-testid": "read-only" }, `Read-only: this is ${foreign}'s model, and changes act on the key's own tenant; use a key of ${foreign} to change it.`) : null,
    deploymentSection(name, deployment, refresh, canChange),
    rolloutSection(name, rollout, refresh, canChange),
    versionsSection(versions.items),
    lineageSection(versions.items),
    foreign ? retrainsElsewhere(foreign) : retrainsSection(name));
}

/** The retrainer answers for the key's own tenant only (no ?tenant=), so another tenant's retrains are not shown as if they were these. */
function retrainsElsewhere(tenant) {
  return h("section", { "data-testid": "retrains" }, h("h3", {}, "Retrains"),
    h("p", { class: "empty" }, `The retrainer shows a tenant's retrains to that tenant's keys only: log in with a key of ${tenant} to see them.`));
}

/** The retrainer's attempts; loaded on its own, so a retrainer that is down leaves an error here and the rest of the page. */
function retrainsSection(name) {
  const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  api.get(`/v1/retrains/${enc(name)}?limit=20`).then((page) => {
    const metrics = (m) => Object.entries(m ?? {}).map(([k, x]) => `${k} ${num(x)}`).join(", ") || dash;
    body.replaceChildren(page.items.length ? table(["created", "trigger", "status", "versions", "candidate metrics", "stable metrics", "reason"],
      page.items.map((a) => h("tr", {},
        h("td", {}, time(a.createdAt)), h("td", {}, a.trigger, h("div", { class: "small muted" }, a.detail)), h("td", {}, badge(a.status)),
        h("td", {}, a.candidateVersion ? `v${a.stableVersion ?? "?"} → v${a.candidateVersion}` : dash),
        h("td", {}, metrics(a.candidateMetrics)), h("td", {}, metrics(a.stableMetrics)), h("td", { class: "reason" }, a.reason ?? ""))))
      : h("p", { class: "empty" }, "No retrain of this model yet."));
  }).catch((error) => body.replaceChildren(errorBox(new Error(`Retrain history could not be loaded. ${error.message}`))));
  return h("section", { "data-testid": "retrains" }, h("h3", {}, "Retrains"), body);
}

/** A 404 is an answer here (no deployment, no rollout yet); anything else is an error. */
async function optional(promise) {
  try {
    return await promise;
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

function actionButton(label, question, path, refresh, testid) {
  return h("button", { class: "danger", "data-testid": testid, onclick: async (e) => {
    if (!(await confirmAction(question))) return;
    const status = e.target.closest("section").querySelector(".action-status");
    try {
      await api.post(path);
      await refresh();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  } }, label);
}

function deploymentSection(name, d, refresh, canChange) {
  const body = !d ? [h("p", { class: "empty" }, "Not deployed.")] : [
    h("p", { "data-testid": "deployment-split" }, "Serving: ", h("strong", {}, split(d)), ` · stable v${d.stableVersion ?? dash}`,
      d.candidateVersion ? ` · candidate v${d.candidateVersion} at ${d.candidateWeight}%` : "",
      ` · strategy ${d.strategy} · revision ${d.revision} · by ${d.updatedBy} at ${time(d.updatedAt)}`),
  ];
  const actions = d && canChange ? h("div", { class: "actions", "data-testid": "deployment-actions" },
    d.candidateVersion ? actionButton("Promote", `Promote v${d.candidateVersion} of ${name} to stable (all traffic)?`, `/v1/models/${enc(name)}/deployment/promote`, refresh, "promote") : null,
    actionButton("Roll back", d.candidateVersion ? `Drop candidate v${d.candidateVersion} of ${name} and send all traffic to v${d.stableVersion}?` : `Restore the stable version ${name} served before v${d.stableVersion}?`,
      `/v1/models/${enc(name)}/deployment/rollback`, refresh, "rollback")) : null;
  return h("section", { "data-testid": "deployment" }, h("h3", {}, "Deployment"), body, actions, h("div", { class: "action-status" }));
}

function rolloutSection(name, r, refresh, canChange) {
  if (!r) return h("section", { "data-testid": "rollout" }, h("h3", {}, "Rollout"), h("p", { class: "empty" }, "No rollout of this model yet."));
  const live = r.state === "running" || r.state === "paused";
  if (r.shadow) return shadowSection(name, r, refresh, canChange && live);
  const a = r.analysis;
  const actions = live && canChange ? h("div", { class: "actions", "data-testid": "rollout-actions" },
    r.state === "running" ? actionButton("Pause", `Pause the rollout of v${r.candidateVersion} (weights stay at ${r.weight}%)?`, `/v1/models/${enc(name)}/rollout/pause`, refresh, "pause")
      : actionButton("Resume", `Resume the rollout of v${r.candidateVersion}?`, `/v1/models/${enc(name)}/rollout/resume`, refresh, "resume"),
    actionButton("Abort", `Abort the rollout and send all traffic back to v${r.stableVersion}?`, `/v1/models/${enc(name)}/rollout/abort`, refresh, "abort")) : null;
  const steps = h("ol", { class: "steps" }, r.steps.map((w, i) => h("li", { class: i < r.step ? "done" : i === r.step ? "current" : "" }, `${w}%`)));
  return h("section", { "data-testid": "rollout" },
    h("h3", {}, "Rollout"),
    h("p", {}, badge(r.state), ` v${r.stableVersion} → v${r.candidateVersion} · ${r.strategy} · weight ${r.weight}% · bake ${r.bakeSeconds}s · interval ${r.intervalSeconds}s · started ${time(r.startedAt)} by ${r.startedBy}`,
      r.endedAt ? ` · ended ${time(r.endedAt)}` : "", r.reason ? ` · ${r.reason}` : ""),
    steps,
    h("p", { class: "muted" }, `Analysis: α ${a.alpha} · min samples ${a.minSamples} · margins: error rate +${a.errorRateMargin}, latency +${a.latencyMargin * 100}%, accuracy −${a.accuracyMargin} · failure limit ${a.failureLimit} · on inconclusive: ${a.onInconclusive}`),
    actions, h("div", { class: "action-status" }),
    h("h4", {}, `Decisions (newest first, ${r.decisions.length})`),
    r.decisions.length ? h("ol", { class: "timeline", "data-testid": "decisions" }, r.decisions.map(decision)) : h("p", { class: "empty" }, "No decision yet: the first comes after one interval."));
}

// A shadow mirrors stable's traffic to the candidate and compares the answers; it has no steps and cannot be paused.
function shadowSection(name, r, refresh, canAbort) {
  const s = r.shadow;
  const pct = (x) => (x == null ? dash : `${num(100 * x)}%`);
  const latency = (l) => (l.samples ? `${num(l.p50Ms)} / ${num(l.p95Ms)} ms (${l.samples})` : dash);
  const actions = canAbort ? h("div", { class: "actions", "data-testid": "rollout-actions" },
    actionButton("Abort", `Stop mirroring to v${r.candidateVersion}? Its answers were never returned to callers.`, `/v1/models/${enc(name)}/rollout/abort`, refresh, "abort")) : null;
  return h("section", { "data-testid": "rollout" },
    h("h3", {}, "Shadow"),
    h("p", {}, badge(r.state), s.verdict ? [" verdict ", badge(s.verdict)] : "",
      ` v${r.stableVersion} → v${r.candidateVersion} mirrored at ${s.mirrorPercent}% · ends ${time(s.endsAt)} · started ${time(r.startedAt)} by ${r.startedBy}`,
      r.reason ? ` · ${r.reason}` : ""),
    h("p", { class: "muted" }, `Pass: agreement ≥ ${pct(s.agreementThreshold)}`, s.maxMeanAbsDiff != null ? ` · mean |diff| ≤ ${num(s.maxMeanAbsDiff)}` : "",
      ` · shadow error rate at most stable's +${s.errorRateMargin} · at least ${s.minSamples} mirrored${s.promoteOnPass ? " · promotes on pass" : ""}`),
    actions, h("div", { class: "action-status" }),
    table(["mirrored", "skipped", "compared", "agreement", "mean |diff|", "error rate stable / shadow", "latency p50 / p95 stable", "shadow"],
      [h("tr", { "data-testid": "shadow-tallies" },
        h("td", { class: "n" }, num(s.mirrored)), h("td", { class: "n" }, num(s.skipped)), h("td", { class: "n" }, num(s.compared)),
        h("td", { class: "n", "data-testid": "agreement" }, pct(s.agreement)), h("td", { class: "n" }, num(s.meanAbsDiff)),
        h("td", { class: "n" }, `${pct(s.stableErrorRate)} / ${pct(s.shadowErrorRate)}`),
        h("td", { class: "n" }, latency(s.stableLatency)), h("td", { class: "n" }, latency(s.shadowLatency)))]),
    s.findings.length ? h("ul", { "data-testid": "shadow-findings" }, s.findings.map((f) => h("li", {}, f))) : null);
}

function decision(d) {
  return h("li", { class: "decision", "data-testid": "decision", "data-decision-id": d.id },
    h("div", {}, h("strong", {}, time(d.at)), " ", badge(d.verdict), " → ", badge(d.action, "action"),
      ` · step ${d.step + 1} at ${d.weight}% · interval ${time(d.intervalStart)} – ${time(d.intervalEnd)}`),
    h("div", { class: "reason" }, d.reason),
    table(["metric", "test", "candidate", "stable", "margin", "samples (cand / stable)", "p-value", "verdict", "why"],
      d.metrics.map((m) => h("tr", { "data-testid": `metric-${m.metric}` },
        h("td", {}, m.metric), h("td", {}, m.test), h("td", { class: "n", "data-testid": "candidate" }, num(m.candidate)), h("td", { class: "n", "data-testid": "stable" }, num(m.stable)),
        h("td", { class: "n", "data-testid": "margin" }, num(m.margin)), h("td", { class: "n", "data-testid": "samples" }, `${num(m.candidateSamples)} / ${num(m.stableSamples)}`),
        h("td", { class: "n" }, num(m.pValue)), h("td", { "data-testid": "verdict" }, badge(m.verdict)), h("td", { class: "reason" }, m.reason))),
      { class: "metrics" }));
}

function versionsSection(versions) {
  const rows = versions.map((v) => {
    const meta = v.metadata ?? {};
    const metrics = Object.entries(meta.metrics ?? {}).map(([k, x]) => `${k} ${num(x)}`).join(", ");
    const lineage = meta.lineage ?? {};
    return h("tr", { "data-testid": `version-${v.version}` },
      h("td", {}, `v${v.version}`),
      h("td", { class: "mono", title: v.digest }, v.digest.slice(0, 19) + "…"),
      h("td", {}, badge(v.status)),
      h("td", {}, metrics || dash),
      h("td", {}, lineage.parentVersion ? `from v${lineage.parentVersion}` : "root", lineage.trainer ? ` · ${lineage.trainer}` : "",
        lineage.dataSnapshotHash ? h("span", { class: "mono", title: lineage.dataSnapshotHash }, ` · data ${lineage.dataSnapshotHash.slice(0, 15)}…`) : ""),
      h("td", {}, `${(v.sizeBytes / 1024).toFixed(1)} KiB`),
      h("td", {}, `${time(v.createdAt)} by ${v.createdBy}`));
  });
  return h("section", { "data-testid": "versions" }, h("h3", {}, "Versions"),
    table(["version", "digest", "status", "metrics", "lineage", "size", "created"], rows));
}

/** Parent → child graph of retrains from metadata.lineage.parentVersion, one column per generation. */
function lineageSection(versions) {
  const byVersion = new Map(versions.map((v) => [v.version, v]));
  const parent = (v) => {
    const p = v.metadata?.lineage?.parentVersion;
    return byVersion.has(p) ? p : null;
  };
  const depth = new Map();
  const depthOf = (v) => {
    if (depth.has(v.version)) return depth.get(v.version);
    depth.set(v.version, 0); // guards against a cycle
    const p = parent(v);
    const d = p === null ? 0 : depthOf(byVersion.get(p)) + 1;
    depth.set(v.version, d);
    return d;
  };
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const rowInColumn = new Map();
  const pos = new Map();
  for (const v of sorted) {
    const d = depthOf(v);
    const row = rowInColumn.get(d) ?? 0;
    rowInColumn.set(d, row + 1);
    pos.set(v.version, { x: 20 + d * 130, y: 20 + row * 50 });
  }
  const width = 20 + (Math.max(0, ...depth.values()) + 1) * 130;
  const height = 20 + Math.max(1, ...rowInColumn.values()) * 50;
  const svg = (tag, attrs) => {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    return el;
  };
  const graph = svg("svg", { width, height, class: "lineage", "data-testid": "lineage" });
  for (const v of sorted) {
    const p = parent(v);
    if (p === null) continue;
    const a = pos.get(p), b = pos.get(v.version);
    graph.append(svg("line", { x1: a.x + 90, y1: a.y + 15, x2: b.x, y2: b.y + 15, class: "edge", "data-edge": `${p}->${v.version}` }));
  }
  for (const v of sorted) {
    const { x, y } = pos.get(v.version);
    const g = svg("g", { class: `node ${v.status}` });
    g.append(svg("rect", { x, y, width: 90, height: 30, rx: 6 }));
    const label = svg("text", { x: x + 45, y: y + 20, "text-anchor": "middle" });
    label.textContent = `v${v.version}`;
    g.append(label);
    graph.append(g);
  }
  return h("section", {}, h("h3", {}, "Lineage (parent → child retrains)"), graph);
}
