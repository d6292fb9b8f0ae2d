// Tiny DOM helpers: elements are built with text nodes only (never innerHTML with data).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** @param {string} sel @param {ParentNode} [root] @returns {any} */
export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

export function replace(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false));
}

export function toast(text, kind = "") {
  const t = h("div", { class: `toast ${kind}`, role: "status" }, text);
  $("#toasts").append(t);
  setTimeout(() => t.remove(), kind === "bad" ? 7000 : 4000);
}

export const emptyState = (icon, title, text, ...extra) =>
  h("div", { class: "empty" }, h("span", { class: "big", "aria-hidden": "true" }, icon), h("strong", {}, title), h("p", {}, text), ...extra);

export const skeleton = (n = 3) => h("div", { "aria-busy": "true", "aria-label": "Loading" }, Array.from({ length: n }, () => h("div", { class: "skeleton" })));

/**
 * A modal confirmation (a native <dialog>: focus stays inside, Escape cancels). Resolves true
 * when confirmed.
 * @param {{title: string, body: (Node | string)[], confirm: string, danger?: boolean, id?: string}} o
 * @returns {Promise<boolean>}
 */
export function confirmDialog({ title, body, confirm, danger = false, id = "confirm-dialog" }) {
  return new Promise((resolve) => {
    const d = /** @type {HTMLDialogElement} */ (h("dialog", { class: "dialog", id, "aria-labelledby": `${id}-title` },
      h("form", { method: "dialog" },
        h("h2", { id: `${id}-title` }, title),
        h("div", { class: "dialog-body" }, body),
        h("div", { class: "actions dialog-actions" },
          h("button", { type: "submit", value: "cancel", id: `${id}-cancel` }, "Cancel"),
          h("button", { type: "submit", value: "ok", id: `${id}-ok`, class: danger ? "primary danger-fill" : "primary" }, confirm)))));
    d.addEventListener("close", () => { resolve(d.returnValue === "ok"); d.remove(); });
    document.body.append(d);
    d.showModal();
    /** @type {HTMLElement} */ ($(`#${id}-cancel`, d)).focus();
  });
}

/**
 * A modal asking for a text (the confirm button is enabled once something is typed). Resolves
 * the trimmed text, or null when cancelled.
 * @param {{title: string, label: string, hint?: string, placeholder?: string, confirm: string, id?: string}} o
 * @returns {Promise<string | null>}
 */
export function promptDialog({ title, label, hint = "", placeholder = "", confirm, id = "prompt-dialog" }) {
  return new Promise((resolve) => {
    const ta = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: `${id}-text`, rows: 4, placeholder, "aria-describedby": hint ? `${id}-hint` : null }));
    const ok = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", value: "ok", id: `${id}-ok`, class: "primary", disabled: true }, confirm));
    ta.addEventListener("input", () => { ok.disabled = !ta.value.trim(); });
    ta.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && ta.value.trim()) { e.preventDefault(); d.close("ok"); } });
    const d = /** @type {HTMLDialogElement} */ (h("dialog", { class: "dialog", id, "aria-labelledby": `${id}-title` },
      h("form", { method: "dialog" },
        h("h2", { id: `${id}-title` }, title),
        h("label", { for: `${id}-text` }, label),
        ta,
        hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
        h("div", { class: "actions dialog-actions" },
          h("span", { class: "kbd-hint" }, "Ctrl+Enter"),
          h("button", { type: "submit", value: "cancel", id: `${id}-cancel` }, "Cancel"),
          ok))));
    d.addEventListener("close", () => { resolve(d.returnValue === "ok" ? ta.value.trim() : null); d.remove(); });
    document.body.append(d);
    d.showModal();
    ta.focus();
  });
}
