// Shared UI state and a tiny event bus between the modules.
import { initialLive } from "./logic.js";

export const state = {
  jobs: {}, // job view models by id, kept current by pushed events
  focus: null, // the job the live view shows
  live: initialLive(),
  active: [], // rows of jobs queued or running in this app
  settings: null, // the settings view from get_settings
  info: null,
};

const bus = new EventTarget();
export const emit = (name, detail) => bus.dispatchEvent(new CustomEvent(name, { detail }));
export const on = (name, fn) => bus.addEventListener(name, (e) => fn(e.detail));
