// Scene cards: a finished or failed job's scenes in order (snapshot, number and title, length,
// status, layout findings, version). Shown in the job view (live view and History details) and as
// the studio's scene rail; choosing one opens it in the studio (through the bus: `open-scene`).
import { h } from "./dom.js";
import { assetUrl } from "./api.js";
import { emit } from "./state.js";
import { layoutBadge, sceneLength } from "./studio-logic.js";

/** @typedef {import("./bindings.js").SceneCard} SceneCard */

/**
 * One card, a button.
 * @param {SceneCard} c
 * @param {{selected?: boolean, onPick: (index: number) => void}} o
 */
function card(c, { selected = false, onPick }) {
  const snap = assetUrl(c.snapshot);
  const layout = layoutBadge(c);
  return h("li", { class: "sc-item" },
    h("button", { type: "button", class: `scene-card${selected ? " selected" : ""}`, dataset: { scene: c.index, status: c.status },
        "aria-current": selected ? "true" : null, title: c.error ? `Scene ${c.index} failed: ${c.error}` : `Open scene ${c.index} in the studio`,
        onclick: () => onPick(c.index) },
      h("span", { class: "sc-thumb" },
        snap ? h("img", { src: snap, alt: "", loading: "lazy" }) : h("span", { class: "sc-nothumb", "aria-hidden": "true" }, c.status === "failed" ? "✕" : "▶"),
        h("span", { class: "sc-ver", title: `Scene version ${c.version}` }, `v${c.version}`)),
      h("span", { class: "sc-title" }, h("span", { class: "sc-num" }, `${c.index}`), c.title),
      h("span", { class: "sc-meta" },
        h("span", { class: `badge scene-${c.status}` }, c.status),
        h("span", { class: "scene-length" }, sceneLength(c.duration_secs)),
        layout ? h("span", { class: `sc-layout ${layout.level}` }, layout.text) : null)));
}

/**
 * The cards in a list.
 * @param {SceneCard[]} cards
 * @param {{selected?: number | null, onPick: (index: number) => void, id?: string, label?: string}} o
 */
export function sceneCards(cards, { selected = null, onPick, id = "scene-cards", label = "Scenes" }) {
  return h("ol", { class: "scene-cards", id, "aria-label": label },
    cards.map((c) => card(c, { selected: c.index === selected, onPick })));
}

/**
 * The job view's Scenes section, for a job that is not running and has scenes.
 * @param {{id: string, scenes?: SceneCard[]}} job
 */
export function jobScenes(job) {
  if (!job.scenes?.length) return null;
  const failed = job.scenes.filter((c) => c.status === "failed").length;
  return h("section", { class: "job-scenes", "aria-labelledby": `scenes-title-${job.id}` },
    h("div", { class: "live-head" },
      h("h3", { id: `scenes-title-${job.id}` }, "Scenes"),
      h("span", { class: "hint" }, failed ? `${failed} failed · select one to retry or edit it` : "Select a scene to review, edit or re-render it")),
    sceneCards(job.scenes, { onPick: (index) => emit("open-scene", { jobId: job.id, index }), id: `scene-cards-${job.id}` }));
}
