// The new-job form, the drop zone and the "Open topic file…" dialog.
import { h, $, replace, toast } from "./dom.js";
import { invoke, listen, onDragDrop } from "./api.js";
import { validateForm, filesSummary, errorTitle, isConfigError } from "./logic.js";
import { jobStarted } from "./live.js";
import { state } from "./state.js";

const form = () => $("#job-form");
let tried = false;
let pendingFiles = [];

function options() {
  const max = $("#max-scenes").value.trim();
  return { quality: $("#quality").value, writer: $("#writer").value, maxScenes: max === "" ? null : Number(max) };
}

function showErrors(errors) {
  for (const field of ["topic", "description", "maxScenes"]) {
    const input = field === "maxScenes" ? $("#max-scenes") : $(`#${field}`);
    $(`#${field}-error`).textContent = errors[field] || "";
    input.setAttribute("aria-invalid", errors[field] ? "true" : "false");
  }
}

function formError(e) {
  const box = $("#form-error");
  if (!e) { box.hidden = true; return; }
  replace(box, h("strong", {}, `${errorTitle(e)}: `), e.message,
    isConfigError(e) ? [" ", h("button", { type: "button", class: "link", onclick: () => $("#tab-settings").click() }, "Open Settings")] : null);
  box.hidden = false;
}

async function submit(ev) {
  ev?.preventDefault();
  tried = true;
  const input = { topic: $("#topic").value, description: $("#description").value, maxScenes: $("#max-scenes").value };
  const errors = validateForm(input);
  showErrors(errors);
  formError(null);
  if (Object.keys(errors).length) {
    (errors.topic ? $("#topic") : errors.description ? $("#description") : $("#max-scenes")).focus();
    return;
  }
  const btn = $("#submit");
  btn.disabled = true;
  btn.textContent = "Starting…";
  try {
    const rec = await invoke("start_job", { input: { topic: input.topic, description: input.description, options: options() } });
    toast(`Queued “${rec.topic}”`);
    $("#topic").value = "";
    $("#description").value = "";
    tried = false;
    jobStarted(rec);
  } catch (e) {
    formError(e);
  } finally {
    btn.disabled = false;
    btn.textContent = "Generate video";
  }
}

/** Previews topic files (dropped, chosen or handed over) with the number of jobs they make. */
export async function previewFiles(paths) {
  if (!paths?.length) return;
  const box = $("#files-preview");
  box.hidden = false;
  replace(box, h("p", { class: "hint" }, "Reading files…"));
  let files;
  try {
    files = await invoke("inspect_files", { paths });
  } catch (e) {
    replace(box, h("div", { class: "error-box" }, h("strong", {}, errorTitle(e)), e.message));
    return;
  }
  pendingFiles = files;
  const sum = filesSummary(files);
  replace(box,
    h("ul", {}, files.map((f) => h("li", {},
      h("strong", {}, f.name), " — ",
      f.error ? h("span", { class: "field-error" }, `${errorTitle(f.error)}: ${f.error.message}`)
        : [h("span", { class: "count" }, `${f.count} ${f.count === 1 ? "topic" : "topics"}`),
           h("div", { class: "hint" }, f.titles.join(" · "), f.count > f.titles.length ? ` · and ${f.count - f.titles.length} more` : "")]))),
    h("div", { class: "actions" },
      h("button", { type: "button", id: "queue-files", class: "primary", disabled: sum.count === 0, onclick: queueFiles },
        sum.count ? `Queue ${sum.count} ${sum.count === 1 ? "job" : "jobs"}` : "Nothing to queue"),
      h("button", { type: "button", onclick: clearFiles }, "Clear"),
      h("span", { class: "hint", id: "files-count" }, sum.text)));
  $("#queue-files")?.focus();
}

function clearFiles() {
  pendingFiles = [];
  replace($("#files-preview"));
  $("#files-preview").hidden = true;
}

async function queueFiles() {
  const paths = pendingFiles.filter((f) => !f.error).map((f) => f.path);
  const btn = $("#queue-files");
  btn.disabled = true;
  try {
    const report = await invoke("start_from_files", { paths, options: options() });
    toast(`Queued ${report.jobs.length} ${report.jobs.length === 1 ? "job" : "jobs"}`);
    clearFiles();
    if (report.jobs[0]) jobStarted(report.jobs[0]);
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
    btn.disabled = false;
  }
}

export async function openDialog() {
  try {
    const paths = await invoke("pick_topic_files");
    if (paths.length) previewFiles(paths);
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
  }
}

/** Fills the writer list and the defaults from the settings. */
export function applySettings(view) {
  const sel = $("#writer");
  const current = view.settings.writer.kind;
  const names = view.writers.includes(current) ? view.writers : [current, ...view.writers];
  replace(sel, names.map((n) => h("option", { value: n, selected: n === current }, n === "storyboard" ? "Storyboard" : n)));
  $("#quality").value = view.settings.quality;
}

export function initCreate() {
  form().addEventListener("submit", submit);
  form().addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit(e); });
  for (const id of ["topic", "description", "max-scenes"]) {
    $(`#${id}`).addEventListener("input", () => { if (tried) showErrors(validateForm({ topic: $("#topic").value, description: $("#description").value, maxScenes: $("#max-scenes").value })); });
  }
  $("#open-file").addEventListener("click", openDialog);
  const zone = $("#drop-zone");
  onDragDrop((p) => {
    if (p.type === "enter" || p.type === "over") zone.classList.add("over");
    else zone.classList.remove("over");
    if (p.type === "drop") { $("#tab-create").click(); previewFiles(p.paths); }
  });
  listen("open-paths", (paths) => { $("#tab-create").click(); previewFiles(paths); });
  if (state.settings) applySettings(state.settings);
}
