// Opens the monitoring dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// waits until the diagram, the model table, the rollouts and the drift chart are drawn, takes a screenshot, and prints
// what the Java test checks: each box's status and its place in the screenshot, the tables' rows, the drift chart's
// windows.
//   node screenshot.mjs <dashboard url> <screenshot.png>
import { chromium } from "playwright-core";

const [url, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("body[data-loaded=true]", { timeout: 30000 });
  // The probes run every second in the test: wait until every box has been probed (monitoring twice, so it has a
  // rate) and the drift chart has windows.
  await page.waitForFunction(() =>
    document.querySelectorAll('#diagram .box[data-status="UNKNOWN"]').length === 0
      && document.querySelector('#diagram .box[data-service="monitoring"]').textContent.includes("req/s")
      && Number(document.getElementById("drift").dataset.windows || 0) > 0
      && document.querySelectorAll("#rollouts tbody tr[data-rollout]").length > 0
      && document.querySelectorAll("#drift canvas").length > 0, null, { timeout: 30000 });
  await page.screenshot({ path: out, fullPage: true });
  const boxes = await page.$$eval("#diagram .box", (nodes) => nodes.map((g) => {
    const r = g.querySelector("rect").getBoundingClientRect();
    return { service: g.dataset.service, status: g.dataset.status,
      x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height,
      text: g.textContent };
  }));
  const models = await page.$$eval("#models tbody tr", (rows) => rows.map((r) => r.dataset.model || ""));
  const rollouts = await page.$$eval("#rollouts tbody tr[data-rollout]", (rows) => rows.map((r) => r.dataset.rollout));
  const windows = await page.$eval("#drift", (d) => Number(d.dataset.windows));
  const legend = await page.$$eval("#drift .u-legend .u-series .u-label", (l) => l.map((n) => n.textContent));
  console.log(JSON.stringify({ boxes, models, rollouts, windows, legend, errors }));
} finally {
  await browser.close();
}
