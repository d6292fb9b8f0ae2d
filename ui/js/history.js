// History: stats row, search, status filter, paged table, details with stage timeline.
import { h, $, replace, emptyState, skeleton } from "./dom.js";
import { invoke } from "./api.js";
import { pageInfo, relativeTime, formatDuration, formatPercent, timeline, displayStatus, errorTitle, stageLabel } from "./logic.js";
import { renderJob, fromRow } from "./jobview.js";
import { jobStarted } from "./live.js";
import { on } from "./state.js";

const q = { search: "", status: null, offset: 0, limit: 15 };
let selected = null;
let loaded = false;
let stale = true;

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
    h("td", { title: j.createdAt }, relativeTime(j.createdAt)),
    h("td", { class: "num" }, j.durationSecs ? formatDuration(j.durationSecs) : "–"));
}

export async function refresh() {
  stale = false;
  const body = $("#history-body");
  if (!loaded) replace(body, skeleton(5));
  let page, s;
  try {
    [page, s] = await Promise.all([
      invoke("list_jobs", { query: { search: q.search || null, status: q.status, limit: q.limit, offset: q.offset } }),
      invoke("job_stats"),
    ]);
  } catch (e) {
    replace(body, h("div", { class: "error-box" }, h("strong", {}, errorTitle(e)), e.message, " ",
      h("button", { type: "button", onclick: refresh }, "Try again")));
    return;
  }
  loaded = true;
  stats(s);
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
  $("#prev-page").disabled = !p.hasPrev;
  $("#next-page").disabled = !p.hasNext;
  if (selected) showDetails(selected, false);
  else replace($("#details"), emptyState("←", "Select a job", "Its stages, scenes, log and result appear here."));
}

async function showDetails(id, scroll = true) {
  selected = id;
  for (const tr of document.querySelectorAll("#history-table tbody tr")) tr.setAttribute("aria-selected", String(tr.dataset.id === id));
  const box = $("#details");
  let d;
  try {
    d = await invoke("job_detail", { id });
  } catch (e) {
    if (e.code === "not_found") { selected = null; replace(box, emptyState("✕", "Job deleted", "It is no longer in the history.")); }
    else replace(box, h("div", { class: "error-box" }, h("strong", {}, errorTitle(e)), e.message));
    return;
  }
  const view = fromRow(d.job, d);
  const dateTime = (iso) => (iso ? new Date(iso).toLocaleString() : "–");
  const tl = timeline(d.events, d.job.finishedAt);
  replace(box,
    renderJob(view, { hooks: { after: (action, rec) => {
      if (action === "rerun" || action === "resume") jobStarted(rec);
      if (action === "delete") selected = null;
      refresh();
    } } }),
    h("h3", {}, "Description"), h("p", { class: "desc" }, d.description || "–"),
    h("dl", { class: "kv" },
      h("dt", {}, "Created"), h("dd", {}, dateTime(d.job.createdAt)),
      h("dt", {}, "Finished"), h("dd", {}, dateTime(d.job.finishedAt)),
      h("dt", {}, "Quality"), h("dd", {}, d.job.quality),
      h("dt", {}, "Writer"), h("dd", {}, d.model ? `${d.job.writer} (${d.model})` : d.job.writer),
      d.sourcePath ? [h("dt", {}, "Topic file"), h("dd", {}, d.sourcePath)] : null,
      h("dt", {}, "Job id"), h("dd", {}, d.job.id)),
    h("h3", {}, "Stage timeline"),
    tl.length ? h("table", { class: "timeline", id: "timeline" },
      h("tbody", {}, tl.map((r) => h("tr", {}, h("td", {}, r.label), h("td", {}, new Date(r.at).toLocaleTimeString()), h("td", { class: "num" }, formatDuration(r.secs))))))
      : h("p", { class: "hint" }, "Not started yet."),
    d.scenes.length ? [h("h3", {}, "Scenes"), h("table", { class: "timeline" }, h("tbody", {}, d.scenes.map((s) =>
      h("tr", {}, h("td", {}, `${s.index}. ${s.title}`), h("td", {}, s.status), h("td", { class: "num" }, s.durationSecs ? formatDuration(s.durationSecs) : ""),
        s.error ? h("td", { title: s.error }, s.error) : null))))] : null,
  );
  if (scroll && window.innerWidth < 920) box.scrollIntoView({ behavior: "smooth" });
}

let debounce = 0;
export function initHistory() {
  $("#search").addEventListener("input", (e) => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { q.search = e.target.value.trim(); q.offset = 0; refresh(); }, 250);
  });
  $("#status-filter").addEventListener("change", (e) => { q.status = e.target.value || null; q.offset = 0; refresh(); });
  $("#prev-page").addEventListener("click", () => { q.offset = Math.max(0, q.offset - q.limit); refresh(); });
  $("#next-page").addEventListener("click", () => { q.offset += q.limit; refresh(); });
  on("jobs-changed", () => { if (visible()) refresh(); else stale = true; });
  on("progress", (ev) => {
    const cell = document.querySelector(`[data-progress="${ev.job_id}"]`);
    if (cell && ev.kind === "progress") { cell.textContent = formatPercent(ev.progress); cell.title = stageLabel(ev.stage); }
  });
  on("tab", (name) => { if (name === "history" && (stale || !loaded)) refresh(); });
}
