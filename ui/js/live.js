// The live job view: pushed progress, the Live updates switch, the active-jobs strip.
import { h, $, replace, emptyState, toast } from "./dom.js";
import { invoke, subscribe, listen } from "./api.js";
import { jobsReducer, liveReducer, shouldPaint, isActive, formatPercent, errorTitle } from "./logic.js";
import { renderJob, fromRow } from "./jobview.js";
import { state, emit, on } from "./state.js";

let frame = 0;
function schedulePaint() {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; paint(); });
}

function setLive(action) {
  const before = state.live.on;
  state.live = liveReducer(state.live, action);
  if (state.live.on !== before) {
    const sw = $("#live-toggle");
    if (sw) { sw.checked = state.live.on; sw.setAttribute("aria-checked", String(state.live.on)); }
  }
  return state.live.on && !before;
}

/** Shows a job in the live view (fetches its details first). */
export async function focusJob(id) {
  state.focus = id;
  try {
    const d = await invoke("job_detail", { id });
    state.jobs[id] = fromRow(d.job, d, state.jobs[id]);
  } catch (e) {
    if (e.code === "not_found") { state.focus = null; delete state.jobs[id]; }
  }
  paint();
}

/** A job was started from this window: live updates on, show it. */
export function jobStarted(rec) {
  setLive({ type: "job-started" });
  state.jobs[rec.id] = fromRow({ ...rec, slot: "queued" }, null, state.jobs[rec.id]);
  focusJob(rec.id);
  refreshActive();
}

function paint() {
  const root = $("#live");
  const job = state.focus && state.jobs[state.focus];
  if (!job) {
    replace(root, emptyState("▶", "No video in progress",
      "Describe a topic on the left and press Generate, or drop topic files. Progress appears here as it happens."));
    return;
  }
  const oldLog = $("#live-log", root);
  const openLog = oldLog ? oldLog.parentElement.open : undefined;
  const view = renderJob(job, {
    live: { on: state.live.on, onToggle },
    hooks: { after: afterAction },
    openLog,
  });
  if (openLog === false) view.querySelector("details.log")?.removeAttribute("open");
  replace(root, view);
  const log = $("#live-log", root);
  if (log) log.scrollTop = log.scrollHeight;
}

function onToggle(on) {
  const turnedOn = setLive({ type: "toggle", on });
  // Switching on brings the view up to date at once.
  if (turnedOn && state.focus) focusJob(state.focus);
}

function afterAction(action, rec) {
  if (action === "delete") {
    delete state.jobs[rec.id];
    if (state.focus === rec.id) state.focus = null;
    toast(`Deleted “${rec.topic}”`);
    paint();
  } else if (action === "rerun" || action === "resume") {
    jobStarted(rec);
  } else if (action === "cancel") {
    toast(`Cancelling “${rec.topic}”…`);
  }
  emit("jobs-changed");
}

function onEvent(ev) {
  const wasOn = shouldPaint(state.live);
  state.jobs = jobsReducer(state.jobs, ev);
  if (!state.focus) state.focus = ev.job_id;
  emit("progress", ev);
  if (ev.kind === "finished") {
    const j = state.jobs[ev.job_id];
    if (ev.status === "completed") toast(`Video ready: “${ev.topic}”`);
    else if (ev.status === "failed") toast(`${errorTitle(ev.error)}: “${ev.topic}”`, "bad");
    // The last update is shown if live updates were on when it came.
    if (ev.job_id === state.focus && wasOn) focusJob(ev.job_id);
    if (j) j.slot = null;
    return;
  }
  if (wasOn && ev.job_id === state.focus) schedulePaint();
}

function paintStrip() {
  const strip = $("#active-strip");
  if (!state.active.length) { replace(strip); return; }
  replace(strip, h("span", { class: "hint" }, `${state.active.length} active:`),
    state.active.slice(0, 4).map((r) => {
      const j = state.jobs[r.id] || r;
      return h("button", { type: "button", class: `chip ${r.id === state.focus ? "current" : ""}`, title: r.topic,
        onclick: () => { document.querySelector("#tab-create").click(); focusJob(r.id); } },
        `${r.topic.length > 22 ? r.topic.slice(0, 21) + "…" : r.topic} · ${r.slot === "queued" ? "queued" : formatPercent(j.progress)}`);
    }),
    state.active.length > 4 ? h("span", { class: "hint" }, `+${state.active.length - 4}`) : null);
}

export async function refreshActive() {
  try {
    state.active = await invoke("active_jobs");
  } catch {
    return;
  }
  for (const r of state.active) state.jobs[r.id] = { ...fromRow(r, null, state.jobs[r.id]), log: state.jobs[r.id]?.log || [] };
  setLive({ type: "active-count", count: state.active.length });
  const focused = state.focus && state.jobs[state.focus];
  if (!focused && state.active.length) focusJob(state.active[0].id);
  else if (focused && state.live.on && isActive(focused) && !state.active.some((r) => r.id === state.focus)) focusJob(state.focus);
  paintStrip();
}

export async function initLive() {
  await subscribe(onEvent);
  await listen("jobs-changed", () => { refreshActive(); emit("jobs-changed"); });
  on("progress", () => { if (state.active.length) paintStrip(); });
  // Elapsed and ETA tick while a job runs and live updates are on.
  setInterval(() => {
    const j = state.focus && state.jobs[state.focus];
    if (j && isActive(j) && shouldPaint(state.live)) schedulePaint();
  }, 1000);
  await refreshActive();
  if (!state.focus) {
    // Nothing running: show the newest job so the window never opens blank.
    try {
      const page = await invoke("list_jobs", { query: { limit: 1, offset: 0 } });
      if (page.jobs[0]) await focusJob(page.jobs[0].id);
    } catch { /* the empty state stays */ }
  }
  paint();
}
