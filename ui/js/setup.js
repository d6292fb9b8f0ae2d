// First run: when the doctor finds no ready Python environment, offer to set it up; show the
// set-up's real progress (the steps pip/uv report), let it be cancelled, and show the exact fix
// on failure. Jobs submitted meanwhile wait in their first stage for the set-up's lock.
import { $, h, replace, toast } from "./dom.js";
import { api } from "./api.js";
import { Channel } from "./tauri.js";
import { SETUP_STEPS } from "./bindings.js";

/** @typedef {import("./bindings.js").SetupProgress} SetupProgress */

const STEP_LABEL = new Map(SETUP_STEPS.map((s) => [s.step, s.label]));
/** The doctor's line for the Manim venv. */
export const MANIM_CHECK = "manim";
/** The doctor's line for Piper voices. */
export const PIPER_CHECK = "piper";

let running = false;
/** @type {Array<() => void>} */
const listeners = [];

/** Calls `cb` when a set-up finishes (the doctor panel checks again). */
export const onSetupDone = (cb) => listeners.push(cb);
export const setupRunning = () => running;

function box() {
  let el = $("#setup-offer");
  if (!el) {
    el = h("section", { id: "setup-offer", class: "card setup-offer", "aria-live": "polite" });
    $("main").before(el);
  }
  el.classList.add("card");
  el.hidden = false;
  return el;
}

function offer(detail) {
  replace(box(),
    h("h2", {}, "Set up Python and Manim"),
    h("p", {}, "Videos are rendered with Manim, which runs in the app's own Python environment. It is not set up yet: about 475 MB, a minute or two, once."),
    detail ? h("p", { class: "hint" }, detail) : null,
    h("button", { type: "button", id: "setup-start", class: "primary", onclick: startSetup }, "Set up Python"));
}

/** Builds the progress view once; `paint` updates it in place (the Cancel button stays put). */
function progressView() {
  const fill = h("div", {});
  const bar = h("div", { class: "bar", role: "progressbar", id: "setup-bar", "aria-label": "Set-up progress", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0" }, fill);
  const head = h("strong", { id: "setup-step" }, "0 % · Starting");
  const message = h("span", { id: "setup-message", class: "hint" }, "Starting…");
  replace(box(),
    h("h2", {}, "Setting up Python and Manim"),
    bar,
    h("p", {}, head, " ", message),
    h("p", { class: "hint" }, "Jobs you start now wait in the queue and begin when the set-up ends."),
    h("button", { type: "button", id: "setup-cancel", onclick: cancelSetup }, "Cancel set-up"));
  /** @param {SetupProgress} p */
  return (p) => {
    const pct = Math.floor(Math.max(0, Math.min(1, p.fraction)) * 100);
    fill.style.width = `${pct}%`;
    bar.setAttribute("aria-valuenow", String(pct));
    head.textContent = `${pct} % · ${STEP_LABEL.get(p.step) ?? p.step}`;
    message.textContent = p.message;
  };
}

/** What the failure box says before the fix, by error code (the fix is the error's message):
 * a command to run is shown as code, a sentence as text. */
const FAILURE_LEAD = new Map([
  ["tool_missing", { lead: "This system needs something first. Run this, then try again:", command: true }],
  ["config", { lead: "The set-up cannot use the folder it installs into. Fix this, then try again.", command: false }],
]);

/** A message as a sentence: a capital first letter and a full stop. */
const sentence = (m) => {
  const t = String(m ?? "").trim();
  return t ? `${t[0].toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? "" : "."}` : t;
};

function failed(e) {
  const how = FAILURE_LEAD.get(e.code);
  const fix = how
    ? h(how.command ? "code" : "p", { id: "setup-fix", class: how.command ? "" : "setup-fix-text" }, how.command ? e.message : sentence(e.message))
    : null;
  replace(box(),
    h("div", { class: "error-box", id: "setup-error", dataset: { code: e.code } },
      h("strong", {}, "The set-up stopped"),
      how ? h("p", {}, how.lead) : e.message,
      fix,
      how ? null : h("p", { class: "hint" }, "The whole installer output: run theory2video setup in a terminal.")),
    h("button", { type: "button", id: "setup-start", onclick: startSetup }, "Try again"));
}

export async function startSetup() {
  if (running) return;
  running = true;
  const paint = progressView();
  /** @type {Channel<SetupProgress>} */
  const channel = new Channel();
  let last = 0;
  channel.onmessage = (p) => {
    if (p.fraction < last) return;
    last = p.fraction;
    paint(p);
  };
  try {
    await api.setupPython(channel);
    const el = box();
    el.classList.remove("card");
    replace(el, h("div", { class: "ok-box", id: "setup-done" }, h("strong", {}, "Python and Manim are ready"), "You can make videos now."));
    toast("Python and Manim are ready", "ok");
  } catch (e) {
    if (e.code === "cancelled") offer("The set-up was cancelled. Start it again when you are ready.");
    else failed(e);
  } finally {
    running = false;
    listeners.forEach((cb) => cb());
  }
}

export function cancelSetup() {
  const b = /** @type {HTMLButtonElement} */ ($("#setup-cancel"));
  if (b) { b.disabled = true; b.textContent = "Cancelling…"; }
  api.cancelSetup().catch(() => {});
}

/** At start-up: ask the doctor; offer the set-up when the Manim environment is not ready. */
export async function initSetup() {
  try {
    const report = await api.doctor();
    const manim = report.checks.find((c) => c.name === MANIM_CHECK);
    if (manim && !manim.ok && !running) offer(manim.detail);
  } catch {
    // The doctor panel shows its own error.
  }
}

/**
 * "Install a Piper voice from a file…": the dialog is shown by the app (Rust); the chosen voice is
 * checked and copied into the data dir, then `refresh` runs the doctor again.
 * @param {HTMLButtonElement} button
 * @param {() => void} refresh
 */
async function installVoice(button, refresh) {
  const note = $("#voice-note");
  button.disabled = true;
  button.textContent = "Choose the voice file…";
  try {
    const v = await api.installPiperVoice();
    if (v) {
      toast(`Piper voice ${v.name} installed`, "ok");
      refresh();
      return;
    }
  } catch (e) {
    if (note) {
      replace(note, h("strong", {}, "Not installed: "), e.message);
      note.hidden = false;
    }
  }
  button.disabled = false;
  button.textContent = VOICE_LABEL;
}

const VOICE_LABEL = "Install a Piper voice from a file…";

/**
 * The in-app fix of a doctor line (a button), or null when the fix is the system's (the line's
 * command says it).
 * @param {import("./bindings.js").Check} c
 * @param {() => void} refresh runs the doctor again
 */
export function doctorAction(c, refresh) {
  if (c.name === MANIM_CHECK && !c.ok) {
    return h("button", { type: "button", id: "doctor-setup", disabled: running, onclick: startSetup }, running ? "Setting up…" : "Set up Python");
  }
  if (c.name === PIPER_CHECK) {
    /** @type {HTMLButtonElement} */
    const b = /** @type {any} */ (h("button", { type: "button", id: "doctor-voice" }, VOICE_LABEL));
    b.addEventListener("click", () => installVoice(b, refresh));
    return h("div", { class: "doctor-action" }, b,
      h("p", { id: "voice-note", class: "form-error", role: "alert", hidden: true }));
  }
  return null;
}
