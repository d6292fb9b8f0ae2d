// The live job view and the queue: pushed progress, the Live updates switch, following the
// running job unless one is pinned, and the header's summary of active jobs.
import { h, $, replace, emptyState, toast } from "./dom.js";
import { api, subscribe, onJobsChanged } from "./api.js";
import { jobsReducer, liveReducer, shouldPaint, isActive, statusActive, errorTitle, followTarget, addFinished, queueRows } from "./logic.js";
import { renderJob, fromRow } from "./jobview.js";
import { paintQueue } from "./queue.js";
import { state, emit } from "./state.js";

let frame = 0;
function schedulePaint() {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; paint(); });
}

function setLive(action) {
  const before = state.live.on;
  state.live = liveReducer(state.live, action);
  if (state.live.on !== before) {
    const sw = /** @type {HTMLInputElement | null} */ ($("#live-toggle"));
    if (sw) { sw.checked = state.live.on; sw.setAttribute("aria-checked", String(state.live.on)); }
  }
  return state.live.on && !before;
}

/** Shows a job in the live view (fetches its details first). */
export async function focusJob(id) {
  state.focus = id;
  try {
    const d = await api.jobDetail(id);
    state.jobs[id] = fromRow(d.job, d, state.jobs[id]);
  } catch (e) {
    if (e.code === "not_found") {
      if (state.pinned === id) state.pinned = null;
      state.finished = state.finished.filter((f) => f !== id);
      delete state.jobs[id];
      if (state.focus === id) state.focus = null;
    }
  }
  paint();
}

/** Active rows with the slot this window knows best (pushed progress means running). */
const activeNow = () => state.active.map((r) => ({ id: r.id, slot: state.jobs[r.id]?.slot ?? r.slot }));

/** Moves the live view to the job it should follow (see `followTarget`). */
function refollow() {
  const target = followTarget({ pinned: state.pinned, active: activeNow(), finished: state.finished, current: state.focus });
  if (target && target !== state.focus) focusJob(target);
  else schedulePaint();
}

/** Pins a job in the live view: it stays there until the user follows the running job again. */
export function pinJob(id) {
  state.pinned = id;
  focusJob(id);
}

function followRunning() {
  state.pinned = null;
  refollow();
  /** @type {HTMLElement | null} */ ($(".q-row.current .q-pick"))?.focus();
}

/** A job was started from this window: live updates on; it joins the queue. */
export function jobStarted(rec) {
  setLive({ type: "job-started" });
  // A run starts its own bar: a studio edit of a finished job is queued with the record of the
  // run before it (completed, 100 %), which must not show as this run's progress.
  // When this run's first events came before the command's answer, the view already shows it.
  const seen = state.jobs[rec.id];
  const ended = !statusActive(rec.status) && !(seen && statusActive(seen.status));
  const row = ended ? { ...rec, status: "queued", progress: 0, started_at: null, finished_at: null } : rec;
  state.jobs[rec.id] = fromRow({ ...row, slot: rec.slot ?? "queued" }, null, ended ? {} : state.jobs[rec.id]);
  if (!state.active.some((r) => r.id === rec.id)) state.active = [...state.active, { ...rec, slot: rec.slot ?? "queued" }];
  state.finished = state.finished.filter((f) => f !== rec.id);
  refollow();
  refreshActive();
}

function pinNote() {
  if (!state.pinned || state.pinned !== state.focus) return null;
  return h("p", { class: "pin-note", id: "pin-note" }, "Pinned — the view stays on this job. ",
    h("button", { type: "button", class: "link", onclick: followRunning }, "Follow the running job"));
}

function paintLive() {
  const root = $("#live");
  const job = state.focus && state.jobs[state.focus];
  if (!job) {
    replace(root, emptyState("▶", "No video in progress",
      "Describe a topic on the left and press Generate, or drop topic files. Progress appears here as it happens."));
    return;
  }
  const oldLog = $("#live-log", root);
  const openLog = oldLog ? /** @type {HTMLDetailsElement} */ (oldLog.parentElement).open : undefined;
  const oldActions = $("#job-actions", root);
  const view = renderJob(job, {
    live: { on: state.live.on, onToggle },
    hooks: { after: afterAction },
    openLog,
    headerExtra: pinNote(),
  });
  if (openLog === false) view.querySelector("details.log")?.removeAttribute("open");
  // Keep the same buttons while they stay the same, so a click is never lost to a repaint.
  const newActions = $("#job-actions", view);
  if (oldActions && newActions && oldActions.dataset.key === newActions.dataset.key) newActions.replaceWith(oldActions);
  replace(root, view);
  const log = $("#live-log", root);
  if (log) log.scrollTop = log.scrollHeight;
}

function paint() {
  paintQueue(queueRows(state.active, state.finished, state.jobs), {
    focus: state.focus, pinned: state.pinned, onPick: pinJob, onFollow: followRunning,
  });
  paintLive();
}

function onToggle(on) {
  const turnedOn = setLive({ type: "toggle", on });
  // Switching on brings the view up to date at once.
  if (turnedOn && state.focus) focusJob(state.focus);
}

function afterAction(action, rec) {
  if (action === "delete") {
    delete state.jobs[rec.id];
    state.finished = state.finished.filter((f) => f !== rec.id);
    if (state.pinned === rec.id) state.pinned = null;
    if (state.focus === rec.id) state.focus = null;
    toast(`Deleted “${rec.topic}”`);
    refollow();
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
  emit("progress", ev);
  if (ev.kind === "finished") {
    if (ev.status === "completed") toast(`Video ready: “${ev.topic}”`);
    else if (ev.status === "failed") toast(`${errorTitle(ev.error)}: “${ev.topic}”`, "bad");
    state.active = state.active.filter((r) => r.id !== ev.job_id);
    state.finished = addFinished(state.finished, ev.job_id);
    paintStrip();
    // The last update is shown if live updates were on when it came.
    if (ev.job_id === state.focus && wasOn) focusJob(ev.job_id).then(refollow);
    else refollow();
    return;
  }
  if (!state.focus) refollow();
  else if (wasOn) schedulePaint();
}

/** The header's summary of active jobs: one button to the queue. */
function paintStrip() {
  const strip = $("#active-strip");
  if (!state.active.length) { replace(strip); return; }
  const running = activeNow().filter((r) => r.slot === "running").length;
  const queued = state.active.length - running;
  replace(strip, h("button", { type: "button", class: "chip", id: "strip-queue", title: "Show the queue",
    onclick: () => { $("#tab-create").click(); /** @type {HTMLElement | null} */ ($("#queue .q-pick") || $("#live"))?.focus(); } },
    [running ? `${running} running` : null, queued ? `${queued} queued` : null].filter(Boolean).join(" · ")));
}

export async function refreshActive() {
  try {
    state.active = await api.activeJobs();
  } catch {
    return;
  }
  for (const r of state.active) state.jobs[r.id] = { ...fromRow(r, null, state.jobs[r.id]), log: state.jobs[r.id]?.log || [] };
  setLive({ type: "active-count", count: state.active.length });
  paintStrip();
  refollow();
}

export async function initLive() {
  await subscribe(onEvent);
  await onJobsChanged(() => { refreshActive(); emit("jobs-changed"); });
  // Elapsed and ETA tick while a job runs and live updates are on.
  setInterval(() => {
    if (state.active.length && shouldPaint(state.live)) schedulePaint();
  }, 1000);
  await refreshActive();
  if (!state.focus) {
    // Nothing running: show the newest job so the window never opens blank.
    try {
      const page = await api.listJobs({ search: null, status: null, limit: 1, offset: 0 });
      if (page.jobs[0]) await focusJob(page.jobs[0].id);
    } catch { /* the empty state stays */ }
  }
  paint();
}
