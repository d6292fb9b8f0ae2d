// The scene studio: one job's scenes (the rail), the chosen scene (its clip, narration, plan, code,
// log, error and layout findings), the actions that change it, and the job's video versions.
// Every action runs as a job on the same job id: its progress arrives as pushed events (the
// queue and the header show it too), and its result is a new video version.
import { h, $, $$, replace, toast, emptyState, skeleton, confirmDialog, promptDialog } from "./dom.js";
import { api } from "./api.js";
import { isActive, errorTitle } from "./logic.js";
import { sceneActions, actionNotes, isDirty, rerenderEdits } from "./studio-logic.js";
import { jobStarted } from "./live.js";
import { fromRow } from "./jobview.js";
import { sceneCards } from "./scenes.js";
import { state, on } from "./state.js";
import { codeEditor } from "./editor.js";
import { progressStrip, scenePane, codePane, versionsCard, playVersion } from "./studio-view.js";

/** @typedef {import("./bindings.js").SceneView} SceneView */
/** @typedef {import("./bindings.js").VideoVersionView} VideoVersionView */
/** @typedef {import("./bindings.js").SceneEdit} SceneEdit */

const st = {
  jobId: /** @type {string | null} */ (null),
  index: /** @type {number | null} */ (null),
  /** The tab the studio was opened from (Back returns there). */
  from: "history",
  /** @type {import("./bindings.js").JobDetail | null} */
  detail: null,
  /** @type {SceneView | null} */
  scene: null,
  /** @type {VideoVersionView[]} */
  versions: [],
  narration: "",
  code: "",
  /** @type {Awaited<ReturnType<typeof codeEditor>> | null} */
  editor: null,
  /** The video version in the player. */
  playing: /** @type {number | null} */ (null),
  /** The change this window started and is waiting for (its label), if any. */
  pending: /** @type {string | null} */ (null),
  /** A second edit to send once the running one is done (a Re-render of code and narration). */
  followUp: /** @type {{edit: SceneEdit, label: string} | null} */ (null),
  /** The last change's outcome, shown in the progress strip when idle. */
  outcome: /** @type {{ok: boolean, text: string} | null} */ (null),
  seq: 0,
};

const panel = () => $("#panel-studio");
const job = () => (st.jobId ? state.jobs[st.jobId] : null);
const busy = () => isActive(job());
/** Edits not yet sent (edits on their way to a new version are not at risk). */
const dirty = () => !st.pending && isDirty(st.scene, st.narration, st.code);

/** Opens the studio on a job's scene. */
export async function openStudio(jobId, index, from) {
  if (st.jobId === jobId && st.index !== index && dirty() && !(await discardOk())) return;
  const same = st.jobId === jobId && st.index === index;
  st.from = from || st.from;
  st.jobId = jobId;
  st.index = index;
  for (const p of $$("main > .panel")) p.hidden = p.id !== "panel-studio";
  panel().hidden = false;
  if (!same) {
    st.scene = null;
    replace(panel(), h("div", { class: "card" }, skeleton(6)));
  }
  window.scrollTo({ top: 0 });
  await load({ keepEdits: same });
  /** @type {HTMLElement | null} */ ($("#studio-back"))?.focus();
}

function discardOk() {
  return confirmDialog({
    id: "discard-dialog",
    title: `Discard your edits to scene ${st.index}?`,
    body: [h("p", {}, "The narration or code you changed has not been re-rendered. Leaving the scene drops those changes.")],
    confirm: "Discard edits",
    danger: true,
  });
}

async function close() {
  if (dirty() && !(await discardOk())) return;
  st.jobId = null;
  st.scene = null;
  panel().hidden = true;
  replace(panel());
  $(`#tab-${st.from}`).click();
}

/** Fetches the job, the scene and the versions, then paints (the edits are kept if asked). */
async function load({ keepEdits = false, playNewest = false } = {}) {
  const seq = ++st.seq;
  const { jobId, index } = st;
  let detail, scene, versions;
  try {
    [detail, scene, versions] = await Promise.all([api.jobDetail(jobId), api.sceneDetail(jobId, index), api.videoVersions(jobId)]);
  } catch (e) {
    if (seq !== st.seq) return;
    replace(panel(), h("div", { class: "card" }, backButton(),
      h("div", { class: "error-box", id: "studio-error" }, h("strong", {}, errorTitle(e)), e.message,
        h("div", {}, h("button", { type: "button", onclick: () => load() }, "Try again")))));
    return;
  }
  if (seq !== st.seq || st.jobId !== jobId) return;
  state.jobs[jobId] = fromRow(detail.job, detail, state.jobs[jobId]);
  const edited = keepEdits && st.scene ? { narration: st.narration, code: st.code } : null;
  st.detail = detail;
  st.scene = scene;
  st.versions = versions;
  st.narration = edited ? edited.narration : scene.narration;
  st.code = edited ? edited.code : scene.code;
  const newest = versions.length ? versions[0].version : null;
  if (playNewest || st.playing == null || !versions.some((v) => v.version === st.playing)) st.playing = newest;
  paint();
}

function backButton() {
  return h("button", { type: "button", id: "studio-back", class: "back", onclick: close },
    `← ${st.from === "create" ? "New video" : "History"}`);
}

function paint() {
  const d = st.detail;
  const s = st.scene;
  const view = job();
  const rail = sceneCards(d.scenes, { selected: st.index, onPick: (i) => openStudio(st.jobId, i, st.from), id: "scene-rail", label: "Scenes of this video" });
  rail.classList.add("rail");
  replace(panel(),
    h("div", { class: "card studio-head" },
      h("div", { class: "studio-title" }, backButton(),
        h("div", { class: "grow" },
          h("h2", { id: "studio-topic" }, d.job.topic),
          h("span", { class: "hint" }, `Scene studio · ${d.scenes.length} ${d.scenes.length === 1 ? "scene" : "scenes"} · ${d.job.writer} writer`))),
      h("div", { id: "studio-progress", class: "studio-progress" }, progressStrip(view, st, { onCancel: cancel })),
      rail),
    h("div", { class: "studio-grid" },
      scenePane(s, st, {
        onNarration: (text) => { st.narration = text; paintActions(); },
        onRevert: revert,
        onLine: (line) => st.editor?.goTo(line),
      }),
      codePane(s, st, { onRestore: restore })),
    versionsCard(st.versions, st, {
      onPlay: (v) => { st.playing = v; playVersion(st.versions, v, st.jobId); },
      onOpen: (v) => openVersion(v),
    }));
  paintActions();
  mountEditor();
  playVersion(st.versions, st.playing, st.jobId);
}

async function mountEditor() {
  const host = $("#code-editor");
  if (!host || !st.scene) return;
  const scene = st.scene;
  const ed = await codeEditor(host, {
    value: st.code,
    label: `Manim code of scene ${scene.index}`,
    onChange: (v) => { st.code = v; paintActions(); },
  });
  if (st.scene !== scene) return;
  st.editor = ed;
  ed.setReadOnly(busy());
}

function revert() {
  st.narration = st.scene.narration;
  st.code = st.scene.code;
  const ta = /** @type {HTMLTextAreaElement | null} */ ($("#scene-narration"));
  if (ta) ta.value = st.narration;
  st.editor?.set(st.code);
  paintActions();
}

/** The action buttons and the reasons of the unavailable ones (repainted on every edit). */
function paintActions() {
  const box = $("#scene-actions");
  if (!box || !st.scene) return;
  const actions = sceneActions({
    status: st.scene.status, busy: busy(), dirty: dirty(), canRevise: st.scene.can_revise,
    reviseBlocked: st.scene.revise_blocked, hasCode: !!st.scene.code,
  });
  const notes = actionNotes(actions);
  // Keep the same buttons (and focus) when only their state changes.
  for (const a of actions) {
    let b = /** @type {HTMLButtonElement | null} */ ($(`#act-${a.id}`, box));
    if (!b) {
      b = /** @type {HTMLButtonElement} */ (h("button", { type: "button", id: `act-${a.id}`, "aria-describedby": "scene-action-notes", onclick: () => act(a.id) }, a.label));
      $(".actions", box).append(b);
    }
    b.disabled = !a.enabled;
    b.classList.toggle("primary", a.primary && a.enabled);
    b.title = a.reason || "";
  }
  replace($("#scene-action-notes", box), notes.map((n) => h("li", {}, n)));
  $("#scene-dirty")?.toggleAttribute("hidden", !dirty());
  const revertBtn = /** @type {HTMLButtonElement | null} */ ($("#btn-revert"));
  if (revertBtn) revertBtn.disabled = !dirty() || busy();
  const ta = /** @type {HTMLTextAreaElement | null} */ ($("#scene-narration"));
  if (ta) ta.readOnly = busy();
  st.editor?.setReadOnly(busy());
}

async function act(id) {
  const s = st.scene;
  if (!s) return;
  if (id === "rerender") {
    const [first, second] = rerenderEdits(s, st.narration, st.code);
    if (!first) return;
    const label = (e) => `Re-rendering scene ${s.index} with the new ${e.kind}`;
    st.followUp = second ? { edit: second, label: label(second) } : null;
    return run(first, label(first));
  }
  if (id === "revise") {
    const text = await promptDialog({
      id: "revise-dialog",
      title: `Revise scene ${s.index} with instructions`,
      label: "What should change?",
      hint: `The instruction goes to the ${st.detail.job.writer} writer with this scene's plan, code${s.findings.length ? " and layout findings" : ""}; it writes a new version.`,
      placeholder: "Make the labels larger and slow down the final transformation.",
      confirm: "Revise scene",
    });
    if (text) return run({ kind: "instruct", value: text }, `Revising scene ${s.index}`);
    return;
  }
  if (id === "regenerate") {
    const ok = !dirty() || await confirmDialog({ id: "regen-dialog", title: "Regenerate and drop your edits?",
      body: [h("p", {}, "Regenerating writes new code from the scene's plan; your unsaved edits to this scene are dropped.")], confirm: "Regenerate" });
    if (ok) return run({ kind: "regenerate" }, `Regenerating scene ${s.index}`);
    return;
  }
  if (id === "retry") return run({ kind: "retry" }, `Retrying scene ${s.index}`);
  if (id === "skip") {
    const ok = await confirmDialog({ id: "skip-dialog", title: `Make the video without scene ${s.index}?`,
      body: [h("p", {}, `The new video leaves out “${s.title}” and says so in its version list. The scene stays here: you can retry or edit it later.`)],
      confirm: "Make the video without it" });
    if (ok) return run({ kind: "drop" }, `Making the video without scene ${s.index}`);
  }
}

/**
 * Starts a change as a job; its progress shows in the strip, the queue and the header.
 * @param {SceneEdit} change
 * @param {string} label
 */
async function run(change, label) {
  const { jobId, index } = st;
  st.pending = label;
  st.outcome = null;
  let rec;
  try {
    rec = await api.editScene(jobId, index, change);
  } catch (e) {
    st.pending = null;
    st.followUp = null;
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
    paintProgress();
    return;
  }
  jobStarted(rec);
  paintProgress();
  paintActions();
}

async function restore(v) {
  if (dirty() && !(await discardOk())) return;
  run({ kind: "restore", value: v }, `Restoring version ${v} of scene ${st.index}`);
}

async function cancel() {
  st.followUp = null;
  try {
    await api.cancelJob(st.jobId);
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
  }
}

async function openVersion(v) {
  try {
    await api.openVideoVersion(st.jobId, v);
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
  }
}

function paintProgress() {
  const box = $("#studio-progress");
  if (!box) return;
  const next = progressStrip(job(), st, { onCancel: cancel });
  // Keep the same Cancel button while the change runs, so a click is never lost to a repaint.
  const oldCancel = $("#studio-cancel", box);
  const newCancel = $("#studio-cancel", next);
  if (oldCancel && newCancel) newCancel.replaceWith(oldCancel);
  replace(box, next);
}

function onProgress(ev) {
  if (panel().hidden || ev.job_id !== st.jobId || !st.scene) return;
  if (ev.kind !== "finished") {
    paintProgress();
    paintActions();
    return;
  }
  const label = st.pending || "The change";
  st.pending = null;
  if (ev.status === "completed") {
    st.outcome = { ok: true, text: `${label}: done.` };
  } else {
    const why = ev.status === "cancelled" ? "was cancelled" : `failed (${errorTitle(ev.error)}: ${ev.error?.message ?? ""})`;
    st.outcome = { ok: false, text: `${label} ${why}. The previous video is kept.` };
  }
  const next = ev.status === "completed" ? st.followUp : null;
  st.followUp = null;
  // The edit went into the new version; reload from the store (the edits are kept if it failed,
  // or while a second edit follows).
  load({ keepEdits: ev.status !== "completed" || !!next, playNewest: ev.status === "completed" })
    .then(() => { if (next && st.scene) run(next.edit, next.label); });
}

export function initStudio() {
  on("open-scene", ({ jobId, index }) => {
    const from = !$("#panel-history").hidden ? "history" : !$("#panel-create").hidden ? "create" : st.from;
    openStudio(jobId, index, from);
  });
  on("progress", onProgress);
  // A tab click leaves the studio (its edits stay until another scene is opened).
  on("tab", () => { if (!panel().hidden) { panel().hidden = true; } });
  on("jobs-changed", () => {
    if (!panel().hidden && st.jobId && !busy()) {
      api.jobDetail(st.jobId).catch((e) => {
        if (e.code === "not_found") replace(panel(), h("div", { class: "card" }, backButton(), emptyState("✕", "Job deleted", "It is no longer in the history.")));
      });
    }
  });
}
