// Renders one job: progress, stages, timing, error, result with player, actions, log tail.
// Used by the live view and by the history's details.
import { h, toast } from "./dom.js";
import { invoke, assetUrl } from "./api.js";
import {
  STAGES, stageIndex, stageLabel, subLabel, formatPercent, timing, clock, actionsFor,
  errorTitle, isConfigError, isActive, displayStatus, formatDuration,
} from "./logic.js";

/** Merges a JobRow/JobDetail from a command into a job view model. */
export function fromRow(row, detail = null, prev = {}) {
  const view = {
    ...prev,
    id: row.id, topic: row.topic, status: row.status, slot: row.slot, stage: row.stage,
    progress: Math.max(row.progress, row.status === prev.status ? prev.progress || 0 : 0),
    message: row.message, error: row.error, thumbnail: row.thumbnail, video: row.video,
    at: prev.at || row.finishedAt || row.startedAt || row.createdAt,
    startedAt: prev.startedAt ?? (row.startedAt ? Date.parse(row.startedAt) : null),
    startProgress: prev.startProgress ?? 0, durationSecs: row.durationSecs,
  };
  if (detail) {
    view.log = detail.log;
    view.seenStages = [...new Set(detail.events.map((e) => e.stage))];
    if (detail.events.length) view.at = detail.events[detail.events.length - 1].at;
    const last = [...detail.events].reverse().find((e) => e.sub);
    if (last && !view.sub) view.sub = last.sub;
  }
  return view;
}

const ACTION_LABELS = { cancel: "Cancel", resume: "Resume", rerun: "Re-run", delete: "Delete" };
const COMMANDS = { cancel: "cancel_job", resume: "resume_job", rerun: "rerun_job", delete: "delete_job" };

/** Runs a job action; returns the command's job record. Errors are shown by code. */
export async function runAction(action, id, hooks = {}) {
  try {
    const rec = await invoke(COMMANDS[action], { id });
    hooks.after?.(action, rec);
    return rec;
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
    return null;
  }
}

function actionButtons(job, hooks) {
  return actionsFor(job).map((a) => {
    const b = h("button", { type: "button", id: `btn-${a}`, class: a === "delete" ? "danger" : a === "resume" ? "primary" : "" }, ACTION_LABELS[a]);
    b.addEventListener("click", async () => {
      if (a === "delete" && b.dataset.armed !== "1") {
        // A second click confirms: no modal dialog.
        b.dataset.armed = "1";
        b.textContent = "Click again to delete";
        setTimeout(() => { b.dataset.armed = ""; b.textContent = ACTION_LABELS.delete; }, 4000);
        return;
      }
      b.disabled = true;
      await runAction(a, job.id, hooks);
      b.disabled = false;
    });
    return b;
  });
}

async function open(cmd, id) {
  try {
    await invoke(cmd, { id });
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
  }
}

let objectUrl = null;

/**
 * The in-app player. WebKitGTK's GStreamer backend cannot stream custom URL schemes (WebKit bug
 * 146351, tauri#3725), so on Linux the video is fetched through the asset protocol into a blob.
 */
function player(url, poster, subtitlesUrl) {
  const v = h("video", { id: "player", poster, controls: true, preload: "metadata" });
  if (subtitlesUrl) addSubtitles(v, subtitlesUrl);
  if (!navigator.userAgent.includes("Linux")) {
    v.src = url;
    return v;
  }
  fetch(url)
    .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((b) => {
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(b);
      v.src = objectUrl;
    })
    .catch((e) => v.replaceWith(h("p", { class: "note-box" }, `The player could not load the video (${e.message}); use Open video.`)));
  return v;
}

let trackUrl = null;

/** The narration's subtitles (video.vtt beside the video) as a text track, when there are any. */
function addSubtitles(v, url) {
  fetch(url)
    .then((r) => (r.ok ? r.blob() : null))
    .then((b) => {
      if (!b) return; // a silent video has no subtitles
      if (trackUrl) URL.revokeObjectURL(trackUrl);
      trackUrl = URL.createObjectURL(new Blob([b], { type: "text/vtt" }));
      v.append(h("track", { kind: "subtitles", srclang: "en", label: "Subtitles", src: trackUrl, default: true }));
    })
    .catch(() => {});
}

function result(job) {
  if (job.status !== "completed") return null;
  const video = assetUrl(job.video);
  const thumb = assetUrl(job.thumbnail);
  return h("div", { class: "result", id: "result" },
    video ? player(video, thumb, assetUrl(job.video.replace(/\.mp4$/, ".vtt"))) :
      h("p", { class: "note-box" }, "The video file is no longer in the data folder."),
    h("div", { class: "thumb" },
      thumb ? h("img", { id: "thumbnail", src: thumb, alt: `Thumbnail of “${job.topic}”` }) : null,
      h("div", { class: "actions" },
        h("button", { type: "button", id: "btn-open-video", class: "primary", disabled: !video, onclick: () => open("open_video", job.id) }, "Open video"),
        h("button", { type: "button", id: "btn-open-thumbnail", disabled: !thumb, onclick: () => open("open_thumbnail", job.id) }, "Open thumbnail"),
        h("button", { type: "button", id: "btn-show-folder", onclick: () => open("show_in_folder", job.id) }, "Show in folder"),
      ),
    ),
    job.durationSecs ? h("p", { class: "hint" }, `Length ${formatDuration(job.durationSecs)}`) : null,
  );
}

function stageList(job) {
  const cur = stageIndex(job.stage);
  const done = job.status === "completed";
  return h("ol", { class: "stage-list", id: "stage-list", "aria-label": "Stages" },
    STAGES.map(([key, label], i) => {
      let state = "todo";
      if (done || i < cur) state = "done";
      else if (i === cur) state = isActive(job) ? "current" : job.status === "failed" ? "failed" : "stopped";
      return h("li", { dataset: { stage: key, state }, title: label }, label);
    }));
}

/**
 * The job panel. `opts.live` = {on, onToggle} adds the Live updates switch; `opts.hooks.after`
 * runs after an action; `opts.headerExtra` goes under the title.
 */
export function renderJob(job, opts = {}) {
  const now = opts.now ?? Date.now();
  const status = displayStatus(job);
  const t = timing({ ...job, status: isActive(job) ? "running" : job.status }, now);
  const sub = isActive(job) ? subLabel(job.stage, job.sub) : null;
  const barClass = job.status === "completed" ? "done" : job.status === "failed" ? "bad" : isActive(job) ? "" : "stopped";
  const pct = job.status === "completed" ? 100 : job.progress || 0;
  const sw = opts.live
    ? h("label", { class: "switch", title: "Show progress as it happens" },
        h("input", { type: "checkbox", id: "live-toggle", role: "switch", checked: opts.live.on, "aria-checked": String(opts.live.on),
          onchange: (e) => opts.live.onToggle(e.target.checked) }), "Live updates")
    : null;
  return h("div", { class: "job", dataset: { jobId: job.id, status } },
    h("div", { class: "live-head" },
      h("div", {}, h("h2", { id: "live-topic" }, job.topic), h("span", { class: `badge ${status}`, id: "live-status" }, status)),
      sw),
    opts.headerExtra || null,
    h("div", { class: "stage-line" },
      h("span", { class: "stage-name", id: "live-stage" }, job.status === "completed" ? "Completed" : stageLabel(job.stage)),
      sub ? h("span", { class: "sub", id: "live-sub" }, sub) : null,
      h("span", { class: "percent", id: "live-percent" }, formatPercent(pct))),
    h("div", { class: `bar ${barClass}`, role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.floor(pct), id: "live-bar" },
      h("div", { style: `width:${Math.max(0, Math.min(100, pct))}%` })),
    h("div", { class: "meta" },
      h("span", { id: "live-updated" }, `Last update ${job.at ? clock(job.at) : "–"}`),
      isActive(job) ? h("span", { id: "live-elapsed" }, `Elapsed ${formatDuration(t.elapsed)}`) : null,
      isActive(job) ? h("span", { id: "live-eta" }, `ETA ${t.etaText}`) : null),
    stageList(job),
    job.message && job.status !== "completed" ? h("p", { class: "message", id: "live-message" }, job.message) : null,
    job.error && job.status !== "cancelled"
      ? h("div", { class: "error-box", id: "live-error", dataset: { code: job.error.code } },
          h("strong", {}, errorTitle(job.error)), job.error.message,
          isConfigError(job.error) ? h("div", {}, h("button", { type: "button", class: "link", onclick: () => document.querySelector("#tab-settings").click() }, "Open Settings and the doctor")) : null)
      : null,
    result(job),
    h("div", { class: "actions", id: "job-actions" }, actionButtons(job, opts.hooks || {})),
    job.log?.length
      ? h("details", { class: "log", open: isActive(job) || opts.openLog }, h("summary", {}, "Log"),
          h("pre", { class: "log", id: "live-log" }, job.log.join("\n")))
      : null,
  );
}
