// The Sextant dashboard: reads GET /api/v1/monitoring/overview every 5 s and draws the diagram with each box's
// health, the model versions, each model's latest rollout with its evidence, latency over time (uPlot) and, for a
// chosen version, drift per feature over its windows. No build step: plain JavaScript, uPlot from its webjar.
"use strict";

const BOX = { w: 160, h: 62 };
const LAYOUT = {
  client: { x: 10, y: 140, title: "Client" },
  gateway: { x: 246, y: 140, title: "Gateway" },
  "prediction-service": { x: 482, y: 140, title: "Prediction service" },
  "feature-store": { x: 482, y: 262, title: "Feature store" },
  "model-registry": { x: 718, y: 18, title: "Model registry" },
  kafka: { x: 718, y: 140, title: "Kafka" },
  monitoring: { x: 954, y: 140, title: "Monitoring" },
  "training-orchestrator": { x: 954, y: 18, title: "Training orchestrator" },
};
const ARROWS = [
  ["client", "gateway", "requests"],
  ["gateway", "prediction-service", "/v2, /predict"],
  ["prediction-service", "feature-store", "online features"],
  ["model-registry", "prediction-service", "ONNX models"],
  ["prediction-service", "kafka", "prediction logs"],
  ["kafka", "monitoring", "logs, labels"],
  ["monitoring", "training-orchestrator", "retrain requests"],
  ["training-orchestrator", "model-registry", "new versions"],
];
const SVG = "http://www.w3.org/2000/svg";
let latencyPlot = null;
let driftPlot = null;

function element(name, attributes, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function format(value, digits, unit) {
  return value === null || value === undefined ? "–" : value.toFixed(digits) + (unit || "");
}

function anchor(from, to) {
  // Where an arrow leaves one box for another: the middle of the facing sides.
  const a = LAYOUT[from], b = LAYOUT[to];
  const ax = a.x + BOX.w / 2, ay = a.y + BOX.h / 2, bx = b.x + BOX.w / 2, by = b.y + BOX.h / 2;
  if (Math.abs(ax - bx) > Math.abs(ay - by)) {
    const dir = Math.sign(bx - ax);
    return [ax + dir * BOX.w / 2, ay, bx - dir * BOX.w / 2, by];
  }
  const dir = Math.sign(by - ay);
  return [ax, ay + dir * BOX.h / 2, bx, by - dir * BOX.h / 2];
}

function drawDiagram(overview) {
  const svg = document.getElementById("diagram");
  svg.replaceChildren();
  const defs = element("defs", {}, svg);
  const marker = element("marker", { id: "head", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
    markerHeight: 7, orient: "auto-start-reverse" }, defs);
  element("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#5b6475" }, marker);
  for (const [from, to, label] of ARROWS) {
    const [x1, y1, x2, y2] = anchor(from, to);
    element("line", { class: "arrow", x1, y1, x2, y2 }, svg);
    const text = element("text", { class: "label", x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 5 }, svg);
    text.textContent = label;
  }
  const states = Object.fromEntries(overview.services.map((s) => [s.name, s]));
  for (const [name, place] of Object.entries(LAYOUT)) {
    let status = "UNKNOWN", lines = [];
    if (name === "client") {
      status = "UP";
      lines = ["apps, load tests"];
    } else if (name === "kafka") {
      status = overview.kafka.status;
      lines = [format(overview.kafka.prediction_logs_per_second, 0, " logs/s monitored")];
    } else if (states[name]) {
      const latest = states[name].latest;
      status = latest ? latest.status : "UNKNOWN";
      lines = [format(latest && latest.requests_per_second, 1, " req/s") + " · p99 "
        + format(latest && latest.p99_millis, 1, " ms")];
      if (states[name].redis) lines.push("Redis " + states[name].redis);
    }
    const group = element("g", { class: "box", "data-service": name, "data-status": status }, svg);
    element("rect", { x: place.x, y: place.y, width: BOX.w, height: BOX.h }, group);
    const title = element("text", { class: "name", x: place.x + BOX.w / 2, y: place.y + 22 }, group);
    title.textContent = place.title;
    lines.forEach((line, i) => {
      const text = element("text", { x: place.x + BOX.w / 2, y: place.y + 40 + i * 15 }, group);
      text.textContent = line;
    });
  }
}

function drawModels(overview) {
  const body = document.querySelector("#models tbody");
  body.replaceChildren();
  if (overview.models.length === 0) {
    const row = body.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 8;
    cell.className = "empty";
    cell.textContent = "No prediction logs seen yet.";
  }
  for (const m of overview.models) {
    const row = body.insertRow();
    row.dataset.model = m.model + "/" + m.version;
    const cells = [m.model, "v" + m.version, format(m.requests_per_second, 1), m.drift_status || "–",
      m.quality_status || "–", m.skew_status || "–", format(m.roc_auc, 3),
      m.last_window_end ? new Date(m.last_window_end).toLocaleString() : "–"];
    cells.forEach((value, i) => {
      const cell = row.insertCell();
      cell.textContent = value;
      if (i >= 3 && i <= 5) cell.className = value;
    });
  }
  const select = document.getElementById("version");
  const current = select.value;
  const options = overview.models.map((m) => m.model + "/" + m.version);
  if (options.join() !== Array.from(select.options).map((o) => o.value).join()) {
    select.replaceChildren(...options.map((value) => new Option(value.replace("/", " v"), value)));
    if (options.includes(current)) select.value = current;
  }
}

function analysisLine(rollout) {
  // What the controller weighs: the shadow's agreement, an A/B test's verdicts, a bandit's posterior.
  const parts = [];
  const agreement = rollout.shadow_agreement;
  if (agreement) {
    parts.push(`shadow v${agreement.version}: ${agreement.pairs} pairs, mean difference `
      + `${format(agreement.mean_difference, 4)}, ${agreement.decision_flips} decisions flipped`);
  }
  const analysis = rollout.analysis;
  if (analysis && analysis.comparisons) {
    const split = analysis.sample_ratio;
    parts.push(`split ${split.mismatch ? "MISMATCH" : "ok"} (p ${format(split.p_value, 3)})`);
    for (const c of analysis.comparisons) {
      parts.push(`v${c.version} ${c.verdict}` + (c.p_value === null ? "" : ` (${analysis.design.metric} `
        + `${format(c.difference, 4)} [${format(c.low, 4)}, ${format(c.high, 4)}], p ${format(c.p_value, 3)})`));
    }
  } else if (analysis && analysis.arms) {
    parts.push("bandit: " + analysis.arms.map((a) => `v${a.version} P(best) ${format(a.probability_best, 2)} `
      + `→ ${format(a.proposed, 1)} %`).join(", "));
  }
  for (const d of rollout.decisions.slice(0, 3)) {
    parts.push(`${new Date(d.at).toLocaleTimeString()} ${d.action}: ${d.reason}`);
  }
  return parts;
}

function drawRollouts(overview) {
  const body = document.querySelector("#rollouts tbody");
  body.replaceChildren();
  if (overview.rollouts.length === 0) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = 9;
    cell.className = "empty";
    cell.textContent = "No rollout seen in the prediction logs.";
  }
  for (const r of overview.rollouts) {
    for (const v of r.versions) {
      const row = body.insertRow();
      row.dataset.rollout = r.model + "/" + r.rollout_id + "/" + v.version;
      const quality = v.quality || {};
      [r.model, "#" + r.rollout_id, "v" + v.version, v.role, String(v.requests), String(v.errors),
        format(v.total_ms && v.total_ms.p99, 2), quality.labels === undefined ? "–" : String(quality.labels),
        format(quality.roc_auc, 3)].forEach((value) => { row.insertCell().textContent = value; });
    }
    for (const line of analysisLine(r)) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = 9;
      cell.className = "evidence";
      cell.textContent = line;
    }
  }
}

function plot(existing, target, series, data) {
  const width = document.getElementById(target).clientWidth || 480;
  if (existing && existing.series.length === series.length + 1) {
    existing.setData(data);
    return existing;
  }
  if (existing) existing.destroy();
  document.getElementById(target).replaceChildren();
  return new uPlot({ width, height: 240, series: [{}, ...series] }, data, document.getElementById(target));
}

const COLORS = ["#2f6fdb", "#d64545", "#2e9d5b", "#c58a00", "#7d4bd6", "#1b9aaa", "#5b6475", "#e0709b"];

function drawLatency(overview) {
  const services = overview.services.filter((s) => s.history.length > 0);
  const longest = services.reduce((a, s) => Math.max(a, s.history.length), 0);
  if (longest === 0) return;
  const reference = services.find((s) => s.history.length === longest).history;
  const x = reference.map((p) => Date.parse(p.time) / 1000);
  const data = [x, ...services.map((s) => {
    const pad = longest - s.history.length;
    return [...Array(pad).fill(null), ...s.history.map((p) => p.p99_millis)];
  })];
  latencyPlot = plot(latencyPlot, "latency",
    services.map((s, i) => ({ label: s.name, stroke: COLORS[i % COLORS.length], spanGaps: true })), data);
}

async function drawDrift() {
  const chosen = document.getElementById("version").value;
  if (!chosen) return;
  const [model, version] = chosen.split("/");
  const answer = await fetch(`/api/v1/monitoring/models/${encodeURIComponent(model)}/versions/${version}/drift`);
  if (!answer.ok) return;
  const windows = (await answer.json()).windows.slice().reverse();
  const features = [...new Set(windows.flatMap((w) => Object.keys(w.columns || {})))];
  const x = windows.map((w) => Date.parse(w.window_end) / 1000);
  const data = [x, ...features.map((f) => windows.map((w) => {
    const statistics = (w.columns[f] || {}).statistics;
    return statistics && statistics.psi !== undefined ? statistics.psi : null;
  }))];
  document.getElementById("drift").dataset.windows = String(windows.length);
  driftPlot = plot(driftPlot, "drift",
    features.map((f, i) => ({ label: f, stroke: COLORS[i % COLORS.length], spanGaps: true })), data);
}

async function refresh() {
  try {
    const answer = await fetch("/api/v1/monitoring/overview");
    const overview = await answer.json();
    drawDiagram(overview);
    drawModels(overview);
    drawRollouts(overview);
    drawLatency(overview);
    await drawDrift();
    document.getElementById("updated").textContent = "updated " + new Date(overview.time).toLocaleTimeString();
    document.body.dataset.loaded = "true";
  } catch (e) {
    document.getElementById("updated").textContent = "monitoring unreachable: " + e.message;
  }
}

document.getElementById("version").addEventListener("change", () => { driftPlot = null; drawDrift(); });
refresh();
setInterval(refresh, 5000);
