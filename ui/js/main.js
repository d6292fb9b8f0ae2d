// Start-up: tabs, keyboard shortcuts, and the modules.
import { $, $$, toast } from "./dom.js";
import { api } from "./api.js";
import { state, emit } from "./state.js";
import { initLive } from "./live.js";
import { initCreate, openDialog } from "./create.js";
import { initHistory } from "./history.js";
import { initSettings, loadSettings } from "./settings.js";
import { initSetup } from "./setup.js";
import { initStudio } from "./studio.js";

function showTab(name) {
  for (const tab of $$('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#${tab.getAttribute("aria-controls")}`).hidden = !on;
  }
  emit("tab", name);
}

function initTabs() {
  const tabs = $$('[role="tab"]');
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => showTab(tab.id.slice(4)));
    tab.addEventListener("keydown", (e) => {
      const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (d) { const t = tabs[(i + d + tabs.length) % tabs.length]; t.focus(); t.click(); }
    });
  });
  document.addEventListener("keydown", (e) => {
    if (e.altKey && ["1", "2", "3"].includes(e.key)) { e.preventDefault(); tabs[Number(e.key) - 1].click(); }
    else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "o") { e.preventDefault(); openDialog(); }
    else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "n") { e.preventDefault(); showTab("create"); $("#topic").focus(); }
  });
}

async function start() {
  initTabs();
  try {
    state.info = await api.appInfo();
    await loadSettings();
  } catch (e) {
    toast(`Could not load settings: ${e.message}`, "bad");
  }
  initCreate();
  initHistory();
  initSettings();
  initStudio();
  await initLive();
  await initSetup();
  if (state.info?.recovered) {
    const b = $("#banner");
    b.textContent = `${state.info.recovered} ${state.info.recovered === 1 ? "job was" : "jobs were"} interrupted when the app last closed. Open History to resume ${state.info.recovered === 1 ? "it" : "them"}.`;
    b.hidden = false;
  }
  document.body.dataset.ready = "1";
  $("#topic").focus();
}

start();
