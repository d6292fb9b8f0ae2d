// History: stats row, search, status filter, paged table, details with stage timeline.
import { h, $, replace, emptyState, skeleton, confirmDialog, toast } from "./dom.js";
import { api } from "./api.js";
import { pageInfo, relativeTime, formatDuration, formatPercent, timeline, displayStatus, errorTitle, stageLabel, STATUSES, usageText, clearableCount, clearableParts } from "./logic.js";
import { renderJob, fromRow } from "./jobview.js";
import { jobStarted } from "./live.js";
import { loadIntoForm } from "./create.js";
import { on } from "./state.js";

/** @type {import("./bindings.js").JobQuery} */
const q = { search: "", status: null, offset: 0, limit: 15 };
let selected = null;
let loaded = false;
let stale = true;
/** The last stats shown (for the Clear dialog's counts). */
let lastStats = null;

const visible = () => !$("#panel-history").hidden;

function stats(s) {
  const cell = (cls, n, l) => h("div", { class: `stat ${cls}` }, h("div", { class: "n" }, n), h("div", { class: "l" }, l));
  replace($("#stats"), cell("", s.total, "Total"), cell("completed", s.completed, "Completed"),
    cell("running", s.running + s.queued, "Running / queued"), cell("failed", s.failed, "Failed"));
}

function row(j) {
  const status = displayStatus(j);
  return h("tr", { tabindex: 0, dataset: { id: j.id }, "aria-selected": String(j.id === selected),
      onclick: () => showDetails(j.id), onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); showDetails(j.id); } } },
    h("td", { title: j.topic }, j.topic),
    h("td", {}, h("span", { class: `badge ${status}` }, status)),
    h("td", { class: "num", dataset: { progress: j.id } }, formatPercent(j.status === "completed" ? 100 : j.progress)),
    h("td", { title: j.created_at }, relativeTime(j.created_at)),
    h("td", { class: "num" }, j.duration_secs ? formatDuration(j.duration_secs) : "–"));
}

export async function refresh() {
  stale = false;
  const body = $("#history-body");
  if (!loaded) replace(body, skeleton(5));
  let page, s;
  try {
    [page, s] = await Promise.all([
      api.listJobs({ ...q, search: q.search || null }),
      api.jobStats(),
    ]);
  } catch (e) {
    replace(body, h("div", { class: "error-box" }, h("strong", {}, errorTitle(e)), e.message, " ",
      h("button", { type: "button", onclick: refresh }, "Try again")));
    return;
  }
  loaded = true;
  lastStats = s;
  stats(s);
  /** @type {HTMLButtonElement} */ ($("#clear-finished")).disabled = clearableCount(s) === 0;
  if (page.total === 0 && q.offset > 0) { q.offset = 0; return refresh(); }
  if (!page.jobs.length) {
    replace(body, s.total === 0
      ? emptyState("☰", "No videos yet", "Every job you start is kept here with its progress, result and log.",
          h("button", { type: "button", class: "primary", onclick: () => $("#tab-create").click() }, "Create a video"))
      : emptyState("∅", "No jobs match", "Try another search or status."));
  } else {
    replace(body, h("table", { id: "history-table" },
      h("thead", {}, h("tr", {}, ["Topic", "Status", "%", "Created", "Length"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, page.jobs.map(row))));
  }
  const p = pageInfo(q.offset, q.limit, page.total);
  $("#page-info").textContent = p.text;
  /** @type {HTMLButtonElement} */ ($("#prev-page")).disabled = !p.has_prev;
  /** @type {HTMLButtonElement} */ ($("#next-page")).disabled = !p.has_next;
  if (selected) showDetails(selected, false);
  else replace($("#details"), emptyState("←", "Select a job", "Its stages, scenes, log and result appear here."));
}

async function showDetails(id, scroll = true) {
  selected = id;
  for (const tr of document.querySelectorAll("#history-table tbody tr")) if (tr instanceof HTMLElement) tr.setAttribute("aria-selected", String(tr.dataset.id === id));
  const box = $("#details");
  let d;
  try {
    d = await api.jobDetail(id);
  } catch (e) {
    if (e.code === "not_found") { selected = null; replace(box, emptyState("✕", "Job deleted", "It is no longer in the history.")); }
    else replace(box, h("div", { class: "error-box" }, h("strong", {}, errorTitle(e)), e.message));
    return;
  }
  const view = fromRow(d.job, d);
  const dateTime = (iso) => (iso ? new Date(iso).toLocaleString() : "–");
  const tl = timeline(d.events, d.job.finished_at);
  const editAsNew = h("button", { type: "button", id: "btn-edit-as-new", title: "Load this job's topic, description and options into the New video form",
    onclick: () => loadIntoForm({ topic: d.job.topic, description: d.description, quality: d.job.quality, writer: d.job.writer, max_scenes: d.max_scenes }) },
  "Edit as new");
  replace(box,
    renderJob(view, { extraActions: [editAsNew], hooks: { after: (action, rec) => {
      if (action === "rerun" || action === "resume") jobStarted(rec);
      if (action === "delete") selected = null;
      refresh();
    } } }),
    h("h3", {}, "Description"), h("p", { class: "desc" }, d.description || "–"),
    h("dl", { class: "kv" },
      h("dt", {}, "Created"), h("dd", {}, dateTime(d.job.created_at)),
      h("dt", {}, "Finished"), h("dd", {}, dateTime(d.job.finished_at)),
      h("dt", {}, "Quality"), h("dd", {}, d.job.quality),
      h("dt", {}, "Writer"), h("dd", {}, d.model ? `${d.job.writer} (${d.model})` : d.job.writer),
      d.source_path ? [h("dt", {}, "Topic file"), h("dd", {}, d.source_path)] : null,
      h("dt", {}, "LLM usage"), h("dd", { id: "details-usage" }, usageText(d)),
      h("dt", {}, "Job id"), h("dd", {}, d.job.id)),
    h("h3", {}, "Stage timeline"),
    tl.length ? h("table", { class: "timeline", id: "timeline" },
      h("tbody", {}, tl.map((r) => h("tr", {}, h("td", {}, r.label), h("td", {}, new Date(r.at).toLocaleTimeString()), h("td", { class: "num" }, formatDuration(r.secs))))))
      : h("p", { class: "hint" }, "Not started yet."),
  );
  if (scroll && window.innerWidth < 920) box.scrollIntoView({ behavior: "smooth" });
}

async function clearFinished() {
  const s = lastStats || await api.jobStats();
  const n = clearableCount(s);
  if (!n) return;
  const parts = clearableParts(s);
  const ok = await confirmDialog({
    id: "clear-dialog",
    title: `Delete ${n} finished ${n === 1 ? "job" : "jobs"}?`,
    body: [
      h("p", {}, `${parts.join(", ")}: ${n === 1 ? "its" : "their"} videos, thumbnails and logs are deleted from the data folder. This cannot be undone.`),
      h("p", { class: "hint" }, "Kept: jobs that are queued, running or interrupted (they can still resume), and rendered scenes that a kept job shares."),
    ],
    confirm: `Delete ${n} ${n === 1 ? "job" : "jobs"}`,
    danger: true,
  });
  if (!ok) return;
  const btn = /** @type {HTMLButtonElement} */ ($("#clear-finished"));
  btn.disabled = true;
  try {
    const r = await api.clearFinishedJobs();
    toast(`Deleted ${r.deleted} finished ${r.deleted === 1 ? "job" : "jobs"}${r.skipped ? ` (${r.skipped} kept: queued again meanwhile)` : ""}`);
    selected = null;
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
  }
  refresh();
}

let debounce = 0;
export function initHistory() {
  replace($("#status-filter"), h("option", { value: "" }, "All statuses"),
    STATUSES.map((s) => h("option", { value: s.status }, s.label)));
  $("#search").addEventListener("input", (/** @type {any} */ e) => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { q.search = e.target.value.trim(); q.offset = 0; refresh(); }, 250);
  });
  $("#status-filter").addEventListener("change", (/** @type {any} */ e) => { q.status = e.target.value || null; q.offset = 0; refresh(); });
  $("#clear-finished").addEventListener("click", clearFinished);
  $("#prev-page").addEventListener("click", () => { q.offset = Math.max(0, q.offset - q.limit); refresh(); });
  $("#next-page").addEventListener("click", () => { q.offset += q.limit; refresh(); });
  on("jobs-changed", () => { if (visible()) refresh(); else stale = true; });
  on("progress", (ev) => {
    const cell = /** @type {HTMLElement | null} */ (document.querySelector(`[data-progress="${ev.job_id}"]`));
    if (cell && ev.kind === "progress") { cell.textContent = formatPercent(ev.progress); cell.title = stageLabel(ev.stage); }
  });
  on("tab", (name) => { if (name === "history" && (stale || !loaded)) refresh(); });
}
