// Renders one job: progress, stages, timing, error, result with player, actions, log tail.
// Used by the live view and by the history's details.
import { h, toast } from "./dom.js";
import { api, assetUrl } from "./api.js";
import { video as videoElement } from "./media.js";
import { jobScenes } from "./scenes.js";
import {
  STAGES, stageIndex, stageLabel, subLabel, formatPercent, timing, clock, actionsFor,
  errorTitle, isConfigError, isActive, displayStatus, formatDuration, viewFromRow,
} from "./logic.js";

/** The bar's fill. The CSP (style-src 'self') drops inline `style` attributes, so the width is set
 * through the CSSOM. */
export function barFill(pct) {
  const fill = h("div", {});
  fill.style.width = `${Math.max(0, Math.min(100, pct))}%`;
  return fill;
}

/** Merges a JobRow/JobDetail from a command into a job view model (see logic.js). */
export const fromRow = viewFromRow;

const ACTION_LABELS = { cancel: "Cancel", resume: "Resume", rerun: "Re-run", delete: "Delete" };
const COMMANDS = { cancel: api.cancelJob, resume: api.resumeJob, rerun: api.rerunJob, delete: api.deleteJob };

/** Runs a job action; returns the command's job record. Errors are shown by code. */
export async function runAction(action, id, hooks = {}) {
  try {
    const rec = await COMMANDS[action](id);
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

/** @param {(id: string) => Promise<null>} cmd */
async function open(cmd, id) {
  try {
    await cmd(id);
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
  }
}

/** The in-app player of the job's video (see media.js for how it loads on Linux). */
function player(url, poster, subtitlesUrl) {
  const v = videoElement({ id: "player", poster }, url);
  if (subtitlesUrl) addSubtitles(v, subtitlesUrl);
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
        h("button", { type: "button", id: "btn-open-video", class: "primary", disabled: !video, onclick: () => open(api.openVideo, job.id) }, "Open video"),
        h("button", { type: "button", id: "btn-open-thumbnail", disabled: !thumb, onclick: () => open(api.openThumbnail, job.id) }, "Open thumbnail"),
        h("button", { type: "button", id: "btn-show-folder", onclick: () => open(api.showInFolder, job.id) }, "Show in folder"),
      ),
    ),
    job.duration_secs ? h("p", { class: "hint" }, `Length ${formatDuration(job.duration_secs)}`) : null,
  );
}

function stageList(job) {
  const cur = stageIndex(job.stage);
  const done = job.status === "completed";
  return h("ol", { class: "stage-list", id: "stage-list", "aria-label": "Stages" },
    STAGES.map(({ stage: key, label }, i) => {
      let state = "todo";
      if (done || i < cur) state = "done";
      else if (i === cur) state = isActive(job) ? "current" : job.status === "failed" ? "failed" : "stopped";
      return h("li", { dataset: { stage: key, state }, title: label }, label);
    }));
}

/**
 * The job panel. `opts.live` = {on, onToggle} adds the Live updates switch; `opts.hooks.after`
 * runs after an action; `opts.headerExtra` goes under the title; `opts.extraActions` (buttons)
 * follow the job's actions.
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
      barFill(pct)),
    h("div", { class: "meta" },
      h("span", { id: "live-updated" }, `Last update ${job.at ? clock(job.at) : "–"}`),
      isActive(job) ? h("span", { id: "live-elapsed" }, `Elapsed ${formatDuration(t.elapsed)}`) : null,
      isActive(job) ? h("span", { id: "live-eta" }, `ETA ${t.eta_text}`) : null),
    stageList(job),
    job.message && job.status !== "completed" ? h("p", { class: "message", id: "live-message" }, job.message) : null,
    job.error && job.status !== "cancelled"
      ? h("div", { class: "error-box", id: "live-error", dataset: { code: job.error.code } },
          h("strong", {}, errorTitle(job.error)), job.error.message,
          isConfigError(job.error) ? h("div", {}, h("button", { type: "button", class: "link", onclick: () => /** @type {HTMLElement} */ (document.querySelector("#tab-settings")).click() }, "Open Settings and the doctor")) : null)
      : null,
    result(job),
    isActive(job) ? null : jobScenes(job),
    h("div", { class: "actions", id: "job-actions", dataset: { key: `${job.id}:${actionsFor(job).join(",")}` } }, actionButtons(job, opts.hooks || {}), opts.extraActions || null),
    job.log?.length
      ? h("details", { class: "log", open: isActive(job) || opts.openLog }, h("summary", {}, "Log"),
          h("pre", { class: "log", id: "live-log" }, job.log.join("\n")))
      : null,
  );
}
