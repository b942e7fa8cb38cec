import uPlot from "uplot";
import { h } from "./dom.js";

const LIVE = "#d9480f";
const BASELINE = "#1c7ed6";

/** Bins as labels: "< e1", "[e1, e2)", …, "≥ e_last" (the registry's convention: one more count than edges). */
function binLabels(edges) {
  const f = (x) => Number(x.toPrecision(3));
  return edges.length === 0 ? ["all"] : [`< ${f(edges[0])}`, ...edges.slice(0, -1).map((e, i) => `[${f(e)}, ${f(edges[i + 1])})`), `≥ ${f(edges[edges.length - 1])}`];
}

const shares = (counts) => {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
};

/** Live over baseline, as shares of each side's rows, numeric bins or categories. */
export function histogramChart(live, baseline, title) {
  let labels, liveShares, baseShares;
  if (baseline.categories || live.categories) {
    labels = [...new Set([...Object.keys(baseline.categories ?? {}), ...Object.keys(live.categories ?? {})])].sort();
    liveShares = shares(labels.map((k) => live.categories?.[k] ?? 0));
    baseShares = shares(labels.map((k) => baseline.categories?.[k] ?? 0));
  } else {
    labels = binLabels(baseline.edges ?? live.edges ?? []);
    liveShares = shares(live.counts ?? []);
    baseShares = shares(baseline.counts ?? []);
  }
  const xs = labels.map((_, i) => i);
  const bars = uPlot.paths.bars;
  return chart(title, "histogram", {
    height: 200,
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_, __, max) => [0, Math.max(max * 1.1, 0.01)] } },
    axes: [
      { values: (_, ticks) => ticks.map((t) => labels[t] ?? ""), splits: () => xs, rotate: -30, size: 60 },
      { values: (_, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`) },
    ],
    series: [
      {},
      { label: "baseline", fill: BASELINE + "88", stroke: BASELINE, paths: bars({ size: [0.4, 60], align: -1 }), points: { show: false } },
      { label: "live", fill: LIVE + "88", stroke: LIVE, paths: bars({ size: [0.4, 60], align: 1 }), points: { show: false } },
    ],
  }, [xs, baseShares, liveShares]);
}

/** One score over time with its warning and critical thresholds drawn as lines. */
export function seriesChart(points, metric, warning, critical, title) {
  return levelsChart(points.map((p) => p.at), points.map((p) => p.scores?.[metric] ?? null), metric, warning, critical, title, "series");
}

/**
 * Accuracy (or MAE/RMSE) per evaluation pass, with the levels where its relative degradation alerts:
 * expected × (1 − x) for accuracy, expected × (1 + x) for an error metric (AccuracySeriesView).
 */
export function accuracyChart(series, title) {
  const last = series.points[series.points.length - 1];
  const metric = last?.metric ?? "accuracy";
  const sign = metric === "accuracy" ? -1 : 1;
  const level = (x) => (last?.expected == null ? null : last.expected * (1 + sign * x));
  return levelsChart(series.points.map((p) => p.at), series.points.map((p) => p.value ?? null), metric, level(series.warning), level(series.critical), title, "accuracy");
}

function levelsChart(times, ys, label, warning, critical, title, kind) {
  const xs = times.map((t) => new Date(t).getTime() / 1000);
  return chart(title, kind, {
    height: 180,
    scales: { x: { time: true } },
    series: [
      {},
      { label, stroke: "#343a40", width: 2, points: { show: true, size: 5 } },
      { label: "warning", stroke: "#f59f00", dash: [6, 4], points: { show: false } },
      { label: "critical", stroke: "#e03131", dash: [6, 4], points: { show: false } },
    ],
  }, [xs, ys, xs.map(() => warning), xs.map(() => critical)]);
}

function chart(title, kind, options, data) {
  const holder = h("div", { class: `chart ${kind}`, "data-testid": `chart-${kind}` }, h("div", { class: "chart-title" }, title));
  const width = 420;
  // uPlot measures nothing itself: draw once the holder is in the document.
  queueMicrotask(() => new uPlot({ width, ...options, legend: { show: true, live: false } }, data, holder));
  return holder;
}
