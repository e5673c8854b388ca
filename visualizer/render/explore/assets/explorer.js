// The explorer: a training run's network, step by step and phase by phase; click a neuron, a
// weight or the loss to see its equations with explain's own numbers.
//
// render(el, payload, options) draws it into `el` from the payload Python made
// (visualizer/render/explore/payload.py). Every number, colour and position comes from the
// payload: this script computes none of them, it only shows the ones asked for.
// options: { serve: show the edit controls and POST edits to options.endpoint,
//            hash: keep the state in the URL fragment (a page of its own; not in a notebook),
//            katex: the KaTeX object (default: globalThis.katex; without it, equations as text),
//            onState: called with a copy of the state (step, phase, sel, …) after each change, as
//            the notebook widget reports where the reader is }
//
// The views it builds and paints are in views.js; `explore.page.script()` joins the two into the
// one module a page or a notebook widget runs.

const SVG = "http://www.w3.org/2000/svg";
const KEYS_HELP =
  "keys: ← → phase · PageUp PageDown (or Shift+← →) step · Home End first and last step · " +
  "L large font · Esc clear the selection";

export function render(el, payload, options = {}) {
  const opts = { serve: false, hash: false, endpoint: "/recompute", ...options };
  const katex = opts.katex || globalThis.katex || null;
  let data = payload;
  const state = { step: 1, phase: "forward", sel: null, sample: 1, big: false };
  if (opts.hash) Object.assign(state, readHash(location.hash, data));
  let view = null;
  const rendered = new Map(); // KaTeX output by its LaTeX: the same symbolic forms recur every step

  function build() {
    el.replaceChildren();
    el.classList.add("bp-explorer");
    view = layoutView(el, data, opts, {
      onPhase: (p) => set({ phase: p }),
      onStep: (s) => set({ step: s }),
      onSelect: (id) => set({ sel: state.sel === id ? null : id }),
      onSample: (s) => set({ sample: s }),
      onBig: () => set({ big: !state.big }),
      onEdit: edit,
    });
    paint();
  }

  function set(change) {
    Object.assign(state, change);
    clamp(state, data);
    paint();
  }

  function paint() {
    clamp(state, data);
    el.classList.toggle("bp-big", state.big);
    paintView(view, data, state, opts, (latex, text) => math(latex, text));
    if (opts.hash) history.replaceState(null, "", "#" + writeHash(state));
    if (opts.onState) opts.onState({ ...state });
  }

  function math(latex, text) {
    if (!katex) return null;
    if (!rendered.has(latex)) {
      rendered.set(latex, katex.renderToString(latex, { throwOnError: false, output: "html" }));
    }
    return rendered.get(latex);
  }

  async function edit(change) {
    view.error.textContent = "";
    view.busy.textContent = "recomputing and verifying…";
    try {
      const answer = await fetch(opts.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(change),
      });
      const reply = await answer.json();
      if (reply.error) {
        view.busy.textContent = "";
        view.error.textContent = reply.error; // the old numbers stay
        return;
      }
      data = reply.payload;
      rendered.clear();
      build();
    } catch (err) {
      view.busy.textContent = "";
      view.error.textContent = "the server did not answer (" + err.message + "); is backprop explore --serve still running?";
    }
  }

  el.addEventListener("keydown", (event) => onKey(event, state, data, set));
  if (el.tabIndex < 0) el.tabIndex = -1; // keys work once anything inside has focus
  if (opts.hash) {
    addEventListener("hashchange", () => set(readHash(location.hash, data)));
    document.addEventListener("keydown", (event) => {
      if (!el.contains(event.target)) onKey(event, state, data, set);
    });
  }
  build();
  return { set, state: () => ({ ...state }) };
}

// ----- state ------------------------------------------------------------------------------------

function phaseNames(data) {
  return data.phases.map((p) => p.name);
}

function clamp(state, data) {
  const n = data.steps.length;
  state.step = Math.min(Math.max(1, Math.round(Number(state.step)) || 1), n);
  if (!phaseNames(data).includes(state.phase)) state.phase = "forward";
  const samples = data.steps[state.step - 1].samples;
  state.sample = Math.min(Math.max(1, Math.round(Number(state.sample)) || 1), samples);
  if (state.sel && !selectable(data).has(state.sel)) state.sel = null;
}

function selectable(data) {
  const ids = new Set(["loss"]);
  for (const n of data.layout.nodes) ids.add(n.id);
  for (const e of data.layout.edges) ids.add(e.id);
  return ids;
}

export function readHash(hash, data) {
  const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  const state = {};
  if (params.has("step")) state.step = Number(params.get("step"));
  if (params.has("phase")) state.phase = params.get("phase");
  if (params.has("sel")) state.sel = params.get("sel") || null;
  if (params.has("sample")) state.sample = Number(params.get("sample"));
  if (params.has("big")) state.big = params.get("big") === "1";
  return state;
}

export function writeHash(state) {
  const params = new URLSearchParams();
  params.set("step", state.step);
  params.set("phase", state.phase);
  if (state.sel) params.set("sel", state.sel);
  if (state.sample > 1) params.set("sample", state.sample);
  if (state.big) params.set("big", "1");
  return params.toString();
}

function onKey(event, state, data, set) {
  const tag = (event.target && event.target.tagName) || "";
  if (["INPUT", "SELECT", "TEXTAREA"].includes(tag) || event.altKey || event.ctrlKey || event.metaKey) return;
  const phases = phaseNames(data);
  const n = data.steps.length;
  const i = phases.indexOf(state.phase);
  let change = null;
  if (event.key === "ArrowRight" && event.shiftKey) change = { step: state.step + 1 };
  else if (event.key === "ArrowLeft" && event.shiftKey) change = { step: state.step - 1 };
  else if (event.key === "ArrowRight") {
    // past the update: the next step's forward pass
    change = i < phases.length - 1 ? { phase: phases[i + 1] } : state.step < n ? { step: state.step + 1, phase: phases[0] } : {};
  } else if (event.key === "ArrowLeft") {
    change = i > 0 ? { phase: phases[i - 1] } : state.step > 1 ? { step: state.step - 1, phase: phases[phases.length - 1] } : {};
  } else if (event.key === "PageDown") change = { step: state.step + 1 };
  else if (event.key === "PageUp") change = { step: state.step - 1 };
  else if (event.key === "Home") change = { step: 1 };
  else if (event.key === "End") change = { step: n };
  else if (event.key === "l" || event.key === "L") change = { big: !state.big };
  else if (event.key === "Escape") change = { sel: null };
  if (change) {
    event.preventDefault();
    set(change);
  }
}
