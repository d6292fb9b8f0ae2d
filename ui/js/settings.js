// Settings (writer and its options, quality, concurrency, data dir) and the doctor panel.
import { h, $, replace, toast, skeleton } from "./dom.js";
import { api } from "./api.js";
import { QUALITIES } from "./bindings.js";
import { errorTitle } from "./logic.js";
import { state, on } from "./state.js";
import { applySettings } from "./create.js";
import { onSetupDone, doctorAction } from "./setup.js";

function field(id, label, input, hint) {
  return h("div", {}, h("label", { for: id }, label, hint ? [" ", h("span", { class: "hint" }, hint)] : null), input);
}
const num = (id, value, min, max) => h("input", { id, type: "number", min, max, value });
const text = (id, value, placeholder) => h("input", { id, value: value ?? "", placeholder, autocomplete: "off" });

function render(view) {
  const s = view.settings;
  const writers = view.writers.includes(s.writer.kind) ? view.writers : [s.writer.kind, ...view.writers];
  replace($("#settings-form"),
    h("h2", {}, "Settings"),
    h("h3", {}, "Writer"),
    field("set-writer", "Writer", h("select", { id: "set-writer" }, writers.map((w) => h("option", { value: w, selected: w === s.writer.kind }, w === "storyboard" ? "Storyboard (offline, no account)" : w))),
      "profile, preset or provider"),
    h("div", { class: "row2" },
      field("set-model", "Model", text("set-model", s.writer.model, "provider default")),
      field("set-key-env", "API key variable", text("set-key-env", s.writer.api_key_env, "e.g. OPENAI_API_KEY"), "name only")),
    field("set-base-url", "Base URL", text("set-base-url", s.writer.base_url, "provider default, e.g. http://localhost:11434/v1")),
    h("h3", {}, "Rendering"),
    h("div", { class: "row2" },
      field("set-quality", "Quality", h("select", { id: "set-quality" }, QUALITIES
        .map((q) => h("option", { value: q.quality, selected: q.quality === s.quality }, q.label)))),
      field("set-jobs", "Jobs at once", num("set-jobs", s.job_concurrency, 1, 8), "1–8"),
      field("set-scenes", "Scenes rendered at once", num("set-scenes", s.render_concurrency, 1, 64)),
      field("set-fixes", "Fix attempts per scene", num("set-fixes", s.max_fix_attempts, 0, 10)),
      field("set-timeout", "Scene time limit (s)", num("set-timeout", s.scene_timeout_secs, 10, 86400)),
      field("set-memory", "Memory limit (MB)", num("set-memory", s.memory_limit_mb, 256, 262144))),
    h("label", { class: "check-row" }, h("input", { type: "checkbox", id: "set-sandbox", checked: s.sandbox }), "Render generated code in a sandbox (bubblewrap, Linux)"),
    h("h3", {}, "Data folder"),
    h("p", {}, h("code", { id: "data-dir" }, view.data_dir)),
    h("p", { class: "hint" }, `Jobs, cache and videos live here. Start the app with ${view.data_dir_env}=/another/folder to use another.`),
    h("p", { id: "settings-error", class: "form-error", role: "alert", hidden: true }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "save-settings" }, "Save settings"),
      h("button", { type: "button", onclick: () => render({ ...view, settings: view.defaults }) }, "Restore defaults")));
}

function collect() {
  const s = structuredClone(state.settings.settings);
  const opt = (id) => $(id).value.trim() || null;
  const kind = $("#set-writer").value;
  s.writer = { kind, model: opt("#set-model"), base_url: opt("#set-base-url"), api_key_env: opt("#set-key-env") };
  if (kind === "storyboard") s.writer = { kind };
  s.quality = $("#set-quality").value;
  s.job_concurrency = Number($("#set-jobs").value);
  s.render_concurrency = Number($("#set-scenes").value);
  s.max_fix_attempts = Number($("#set-fixes").value);
  s.scene_timeout_secs = Number($("#set-timeout").value);
  s.memory_limit_mb = Number($("#set-memory").value);
  s.sandbox = $("#set-sandbox").checked;
  for (const [k, v] of Object.entries(s)) if (typeof v === "number" && !Number.isFinite(v)) s[k] = -1;
  return s;
}

async function save(ev) {
  ev.preventDefault();
  const box = $("#settings-error");
  box.hidden = true;
  try {
    state.settings = await api.setSettings(collect());
    applySettings(state.settings);
    toast("Settings saved");
  } catch (e) {
    replace(box, h("strong", {}, `${errorTitle(e)}: `), e.message);
    box.hidden = false;
  }
}

export async function runDoctor() {
  const box = $("#doctor");
  replace(box, h("h2", {}, "Doctor"), h("p", { class: "hint" }, "Checking Python, Manim, ffmpeg, LaTeX…"), skeleton(4));
  let report;
  try {
    report = await api.doctor();
  } catch (e) {
    replace(box, h("h2", {}, "Doctor"), h("div", { class: "error-box" }, h("strong", {}, errorTitle(e)), e.message));
    return;
  }
  const missing = report.checks.filter((c) => !c.ok && c.required);
  replace(box,
    h("div", { class: "live-head" }, h("h2", {}, "Doctor"), h("button", { type: "button", id: "rerun-doctor", onclick: runDoctor }, "Check again")),
    missing.length
      ? h("div", { class: "error-box", id: "doctor-summary" }, h("strong", {}, `${missing.length} required ${missing.length === 1 ? "tool is" : "tools are"} missing`), "Videos cannot be made until the fixes below are applied.")
      : h("div", { class: "ok-box", id: "doctor-summary" }, h("strong", {}, "Ready to make videos"), "Everything required is installed."),
    report.checks.map((c) => h("div", { class: "check", dataset: { check: c.name, ok: String(c.ok) } },
      h("span", { class: `icon ${c.ok ? "ok" : c.required ? "bad" : "opt"}`, "aria-label": c.ok ? "ok" : "missing" }, c.ok ? "✓" : c.required ? "✗" : "!"),
      h("div", {}, h("strong", {}, c.name), c.required ? null : h("span", { class: "hint" }, " optional"),
        h("div", { class: "detail" }, c.detail), c.fix ? h("code", {}, c.fix) : null,
        doctorAction(c, runDoctor)))));
}

export async function loadSettings() {
  state.settings = await api.getSettings();
  render(state.settings);
  applySettings(state.settings);
}

export function initSettings() {
  $("#settings-form").addEventListener("submit", save);
  let doctorRan = false;
  on("tab", (name) => { if (name === "settings" && !doctorRan) { doctorRan = true; runDoctor(); } });
  onSetupDone(() => { if (doctorRan) runDoctor(); });
}
