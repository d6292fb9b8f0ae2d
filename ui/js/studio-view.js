// The studio's parts, built from a scene view and the video versions (the state and the actions
// are studio.js's): the progress strip, the scene pane, the code pane, the versions card.
import { h, $, $$ } from "./dom.js";
import { assetUrl } from "./api.js";
import { isActive, stageLabel, subLabel, formatPercent, formatDuration, relativeTime, timing } from "./logic.js";
import { versionTitle, sceneVersionTitle, layoutBadge, sceneLength } from "./studio-logic.js";
import { barFill } from "./jobview.js";
import { setVideo, video } from "./media.js";

/** @typedef {import("./bindings.js").SceneView} SceneView */
/** @typedef {import("./bindings.js").VideoVersionView} VideoVersionView */

const when = (iso) => `${relativeTime(iso)} · ${new Date(iso).toLocaleTimeString()}`;

/**
 * The strip under the title: the running change's stage, bar and Cancel; else the last change's
 * outcome; else the current video. One height in every state, so nothing below it moves.
 * @param {Record<string, any> | null} job the job's view model (pushed progress)
 * @param {{pending: string | null, outcome: {ok: boolean, text: string} | null, versions: VideoVersionView[]}} st
 * @param {{onCancel: () => void}} o
 */
export function progressStrip(job, st, { onCancel }) {
  if (job && isActive(job)) {
    const queued = job.slot === "queued" || job.status === "queued";
    const pct = job.progress || 0;
    const t = timing({ ...job, status: "running" });
    const sub = subLabel(job.stage, job.sub);
    return h("div", { class: "sp sp-running", dataset: { state: "running" } },
      h("div", { class: "stage-line" },
        h("span", { class: "stage-name", id: "studio-stage" }, queued ? "Waiting for its turn" : stageLabel(job.stage)),
        sub ? h("span", { class: "sub" }, sub) : null,
        h("span", { class: "sub sp-what" }, st.pending || "Making a new video version"),
        h("span", { class: "percent", id: "studio-percent" }, formatPercent(pct))),
      h("div", { class: "bar", role: "progressbar", id: "studio-bar", "aria-label": "Progress of the change", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.floor(pct) }, barFill(pct)),
      h("div", { class: "meta" },
        h("span", {}, `Elapsed ${formatDuration(t.elapsed)}`), h("span", {}, `ETA ${t.eta_text}`),
        h("button", { type: "button", id: "studio-cancel", class: "link sp-cancel", onclick: onCancel }, "Cancel")));
  }
  if (st.outcome) {
    return h("div", { class: `sp sp-outcome ${st.outcome.ok ? "ok-box" : "error-box"}`, id: "studio-outcome", dataset: { state: st.outcome.ok ? "done" : "failed" }, role: "status" },
      h("strong", {}, st.outcome.ok ? "New video ready" : "The change did not complete"), st.outcome.text);
  }
  const cur = st.versions[0];
  return h("div", { class: "sp sp-idle", dataset: { state: "idle" } },
    h("strong", {}, cur ? `Current video: ${versionTitle(cur)}` : "No video yet"),
    h("span", { class: "hint" }, cur ? ` · ${sceneLength(cur.duration_secs)} · made ${relativeTime(cur.at)}` : " · fix the failed scenes, or make the video without them"),
    h("p", { class: "hint sp-help" }, "Edit a scene's narration or code and press Re-render: only that scene renders again, then the video is combined anew."));
}

function badges(s) {
  const layout = layoutBadge(s);
  return h("span", { class: "scene-badges" },
    h("span", { class: `badge scene-${s.status}`, id: "scene-status" }, s.status),
    h("span", { class: "badge ver", id: "scene-version", title: "This scene's version" }, `v${s.version}`),
    h("span", { class: "hint scene-length" }, sceneLength(s.duration_secs)),
    layout ? h("span", { class: `sc-layout ${layout.level}` }, layout.text) : null);
}

function findings(s, onLine) {
  if (s.layout_errors == null) {
    return h("p", { class: "hint", id: "scene-findings" }, "Layout not checked for this version.");
  }
  if (!s.findings.length) return h("p", { class: "ok-line", id: "scene-findings" }, "✓ No layout problems: every text is inside the frame, readable and apart.");
  return h("ul", { class: "findings", id: "scene-findings" }, s.findings.map((f) =>
    h("li", { class: `finding ${f.error ? "error" : "warning"}` },
      h("span", { class: "f-icon", "aria-label": f.error ? "error" : "warning" }, f.error ? "✕" : "!"),
      h("div", {},
        h("div", {}, f.text),
        h("div", { class: "hint" }, `Fix: ${f.hint}`),
        f.line ? h("button", { type: "button", class: "link f-line", onclick: () => onLine(f.line) }, `Go to line ${f.line}`) : null))));
}

/**
 * The scene: its clip, narration (editable), actions, layout findings and plan.
 * @param {SceneView} s
 * @param {{narration: string}} st
 * @param {{onNarration: (t: string) => void, onRevert: () => void, onLine: (line: number) => void}} o
 */
export function scenePane(s, st, { onNarration, onRevert, onLine }) {
  const clip = assetUrl(s.clip);
  const ta = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: "scene-narration", rows: 4, spellcheck: "true" }));
  ta.value = st.narration;
  ta.addEventListener("input", () => onNarration(ta.value));
  return h("section", { class: "card studio-scene", "aria-labelledby": "scene-title" },
    h("div", { class: "scene-head" },
      h("h3", { id: "scene-title" }, `Scene ${s.index} · ${s.title}`), badges(s)),
    h("div", { class: "clip-box" },
      clip ? video({ id: "scene-clip", poster: assetUrl(s.snapshot) }, clip)
        : h("div", { class: "clip-none", id: "scene-clip-none" },
            s.status === "failed" ? "This scene failed to render, so it has no clip yet. Fix the code or retry it." : "No clip for this scene yet.")),
    h("div", { class: "field-head" },
      h("label", { for: "scene-narration" }, "Narration"),
      h("span", { class: "badge edited", id: "scene-dirty", hidden: true }, "edited"),
      h("button", { type: "button", class: "link", id: "btn-revert", disabled: true, onclick: onRevert }, "Revert edits")),
    ta,
    h("div", { id: "scene-actions" },
      h("div", { class: "actions" }),
      h("ul", { class: "action-notes", id: "scene-action-notes", "aria-live": "polite" })),
    h("h4", {}, "Layout check"),
    findings(s, onLine),
    h("details", { class: "plan", id: "scene-plan" },
      h("summary", {}, "Plan"),
      s.plan ? h("pre", { class: "plan-text" }, s.plan) : h("p", { class: "hint" }, "No plan stored for this scene.")));
}

/**
 * The code editor's host, the error, the render log and the scene's versions.
 * @param {SceneView} s
 * @param {any} _st
 * @param {{onRestore: (version: number) => void}} o
 */
export function codePane(s, _st, { onRestore }) {
  return h("section", { class: "card studio-code", "aria-labelledby": "code-title" },
    h("div", { class: "live-head" },
      h("h3", { id: "code-title" }, "Code"),
      h("span", { class: "hint code-file" }, s.code_file ? `${s.code_file} · Python · Manim` : "Python · Manim")),
    h("div", { class: "code-editor", id: "code-editor" }, h("div", { class: "skeleton" }), h("div", { class: "skeleton" })),
    s.error ? h("div", { class: "error-box", id: "scene-error" }, h("strong", {}, "The last render failed"), h("pre", { class: "err-text" }, s.error)) : null,
    h("details", { class: "log", id: "scene-log-box", open: !!s.error }, h("summary", {}, "Render log"),
      s.log.length ? h("pre", { class: "log", id: "scene-log" }, s.log.join("\n")) : h("p", { class: "hint" }, "No render log for this version (it came from the cache).")),
    h("h4", {}, "Scene versions"),
    h("ol", { class: "versions scene-versions", id: "scene-versions" }, s.versions.map((v) =>
      h("li", { class: `v-row${v.current ? " current" : ""}`, dataset: { version: v.version } },
        h("span", { class: "v-title" }, sceneVersionTitle(v), v.from_version != null && v.kind === "restore" ? h("span", { class: "hint" }, ` (from v${v.from_version})`) : null),
        h("span", { class: "hint" }, when(v.at)),
        v.current ? h("span", { class: "badge ver" }, "current")
          : h("button", { type: "button", class: "v-restore", onclick: () => onRestore(v.version), title: `Make version ${v.version} this scene's code and narration again` }, "Restore")))));
}

/**
 * The job's video versions: a player and the list, each with Play and Open.
 * @param {VideoVersionView[]} versions
 * @param {{playing: number | null}} st
 * @param {{onPlay: (v: number) => void, onOpen: (v: number) => void}} o
 */
export function versionsCard(versions, st, { onPlay, onOpen }) {
  return h("section", { class: "card studio-versions", id: "video-versions", "aria-labelledby": "versions-title" },
    h("div", { class: "live-head" }, h("h3", { id: "versions-title" }, "Video versions"),
      h("span", { class: "hint" }, "Every change makes a new version; the earlier ones stay.")),
    versions.length ? h("div", { class: "vv-grid" },
      h("div", { class: "vv-player" }, h("video", { id: "version-player", controls: true, preload: "metadata" }),
        h("p", { class: "hint", id: "version-playing" })),
      h("ol", { class: "versions", id: "version-list" }, versions.map((v, i) =>
        h("li", { class: "v-row", dataset: { version: v.version } },
          h("span", { class: "v-title" }, versionTitle(v), i === 0 ? h("span", { class: "badge ver" }, "newest") : null),
          h("span", { class: "hint" }, `${when(v.at)} · ${sceneLength(v.duration_secs)}`),
          h("span", { class: "v-buttons" },
            h("button", { type: "button", class: "v-play", disabled: !v.video, onclick: () => onPlay(v.version) }, "Play"),
            h("button", { type: "button", class: "v-open", disabled: !v.video, title: v.video ? "Open in the system's video player" : "The file is no longer in the data folder", onclick: () => onOpen(v.version) }, "Open"))))))
      : h("p", { class: "hint" }, "No video yet."));
}

/** Puts version `v` in the versions card's player and marks its row. */
export function playVersion(versions, v, _jobId) {
  const player = /** @type {HTMLVideoElement | null} */ ($("#version-player"));
  const ver = versions.find((x) => x.version === v);
  if (!player || !ver?.video) return;
  for (const row of $$("#version-list .v-row")) {
    const on = row.dataset.version === String(v);
    row.classList.toggle("playing", on);
    row.setAttribute("aria-current", on ? "true" : "false");
    const b = /** @type {HTMLButtonElement | null} */ ($(".v-play", row));
    if (b) b.textContent = on ? "Playing" : "Play";
  }
  if (player.dataset.version === String(v)) return;
  player.dataset.version = String(v);
  $("#version-playing").textContent = `Playing ${versionTitle(ver)}`;
  setVideo(player, assetUrl(ver.video));
}
