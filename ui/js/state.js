// Shared UI state and a tiny event bus between the modules.
import { initialLive } from "./logic.js";

export const state = {
  jobs: {}, // job view models by id, kept current by pushed events
  focus: null, // the job the live view shows
  pinned: null, // the job the user pinned there (null: follow the running job)
  finished: [], // ids of jobs finished in this session, newest first (the queue keeps them)
  live: initialLive(),
  active: [], // rows of jobs queued or running in this app
  settings: null, // the settings view from get_settings
  info: null,
};

const bus = new EventTarget();
export const emit = (name, detail) => bus.dispatchEvent(new CustomEvent(name, { detail }));
export const on = (name, fn) => bus.addEventListener(name, (e) => fn(/** @type {CustomEvent} */ (e).detail));
