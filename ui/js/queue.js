// The queue on the New video screen: every active job (running first, then queued) with its own
// bar, stage and ETA, then the jobs finished in this session. Rows are kept by job id and updated
// in place, so a click is never lost to a repaint while progress streams in.
import { h, $, replace } from "./dom.js";
import { formatPercent } from "./logic.js";

/** @type {Map<string, HTMLElement>} */
const rows = new Map();

function makeRow(id, onPick) {
  const el = h("li", { class: "q-row", dataset: { jobId: id } },
    h("button", { type: "button", class: "q-pick", "aria-pressed": "false", onclick: () => onPick(id) },
      h("span", { class: "q-topic" }),
      h("span", { class: "badge q-status" }),
      h("span", { class: "q-percent" }),
      h("span", { class: "bar q-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100 }, h("div")),
      h("span", { class: "q-stage" }),
      h("span", { class: "q-eta" })));
  rows.set(id, el);
  return el;
}

const set = (el, sel, text) => { const n = $(sel, el); if (n.textContent !== text) n.textContent = text; };

function update(el, r, { focus, pinned }) {
  set(el, ".q-topic", r.topic);
  const badge = $(".q-status", el);
  badge.className = `badge q-status ${r.status}`;
  set(el, ".q-status", r.status);
  set(el, ".q-percent", formatPercent(r.percent));
  set(el, ".q-stage", r.stage);
  set(el, ".q-eta", r.eta);
  const bar = $(".q-bar", el);
  bar.className = `bar q-bar ${r.status === "completed" ? "done" : r.status === "failed" ? "bad" : r.section === "finished" || r.status === "queued" ? "stopped" : ""}`;
  bar.setAttribute("aria-valuenow", String(Math.floor(r.percent)));
  bar.setAttribute("aria-label", `${r.topic}: ${formatPercent(r.percent)}`);
  /** @type {HTMLElement} */ (bar.firstElementChild).style.width = `${Math.max(0, Math.min(100, r.percent))}%`;
  const pick = $(".q-pick", el);
  pick.setAttribute("aria-pressed", String(r.id === pinned));
  pick.title = r.id === pinned ? "Pinned in the live view" : "Show in the live view";
  el.classList.toggle("finished", r.section === "finished");
  el.classList.toggle("current", r.id === focus);
  el.classList.toggle("pinned", r.id === pinned);
}

/**
 * Paints the queue card.
 * @param {ReturnType<typeof import("./logic.js").queueRows>} list
 * @param {{focus: string | null, pinned: string | null, onPick: (id: string) => void, onFollow: () => void}} opts
 */
export function paintQueue(list, opts) {
  const card = $("#queue");
  const active = list.filter((r) => r.section === "active");
  const finished = list.filter((r) => r.section === "finished");
  if (list.length < 2) {
    card.hidden = true;
    return;
  }
  card.hidden = false;
  if (!$("#queue-title", card)) {
    replace(card,
      h("div", { class: "live-head" }, h("h2", { id: "queue-title" }, "Queue"), h("span", { class: "hint", id: "queue-count" }),
        h("button", { type: "button", id: "btn-follow", class: "link", onclick: opts.onFollow }, "Follow the running job")),
      h("ol", { class: "q-list", id: "queue-active", "aria-label": "Active and queued jobs" }),
      h("h3", { id: "queue-finished-title", class: "q-sub" }, "Finished"),
      h("ol", { class: "q-list", id: "queue-finished", "aria-labelledby": "queue-finished-title" }));
  }
  const running = active.filter((r) => r.status !== "queued").length;
  set(card, "#queue-count", `${running} running · ${active.length - running} queued`);
  $("#btn-follow", card).hidden = !opts.pinned;
  /** @type {[string, typeof list][]} */
  const parts = [["#queue-active", active], ["#queue-finished", finished]];
  for (const [listSel, part] of parts) {
    const ol = $(listSel, card);
    const els = part.map((r) => {
      const el = rows.get(r.id) || makeRow(r.id, opts.onPick);
      update(el, r, opts);
      return el;
    });
    // Reorder only when the order changed (moving a focused button would blur it).
    if (els.some((el, i) => ol.children[i] !== el) || ol.children.length !== els.length) ol.replaceChildren(...els);
  }
  $("#queue-finished-title", card).hidden = !finished.length;
  const keep = new Set(list.map((r) => r.id));
  for (const id of [...rows.keys()]) if (!keep.has(id)) rows.delete(id);
}
