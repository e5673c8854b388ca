// The explorer's views (joined after explorer.js into one module by explore.page.script()):
// the network, the loss curve, the edit form and the equations panel, built once and painted
// from the payload for the state explorer.js keeps.

// ----- building the page ------------------------------------------------------------------------

function node(tag, attrs = {}, ...children) {
  const svg = ["svg", "g", "circle", "line", "text", "rect", "polyline", "title", "path"].includes(tag) && attrs.svg !== false;
  const e = svg ? document.createElementNS(SVG, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "svg" || v === null || v === undefined) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function layoutView(el, data, opts, on) {
  const v = { nodes: new Map(), edges: new Map(), phaseButtons: new Map() };
  const header = node("header", { class: "bp-header" },
    node("h1", { svg: false, text: data.network.name }),
    node("p", { svg: false, class: "bp-about", text: data.network.about.join(" · ") }),
    node("p", { svg: false, class: "bp-help", text: KEYS_HELP }));
  const controls = node("nav", { svg: false, class: "bp-controls", "aria-label": "step and phase" });
  const phases = node("div", { svg: false, class: "bp-phases", role: "group", "aria-label": "phase" });
  for (const p of data.phases) {
    const b = node("button", { svg: false, type: "button", class: "bp-phase", text: p.title, style: `--phase:${p.color}`, onclick: () => on.onPhase(p.name) });
    v.phaseButtons.set(p.name, b);
    phases.append(b);
  }
  const n = data.steps.length;
  v.prev = node("button", { svg: false, type: "button", text: "◀ step", "aria-label": "previous step", onclick: () => on.onStep(v.current - 1) });
  v.next = node("button", { svg: false, type: "button", text: "step ▶", "aria-label": "next step", onclick: () => on.onStep(v.current + 1) });
  v.slider = node("input", { svg: false, type: "range", min: 1, max: n, value: 1, "aria-label": "step", oninput: (e) => on.onStep(Number(e.target.value)) });
  v.stepLabel = node("span", { svg: false, class: "bp-step", "aria-live": "polite" });
  const steps = node("div", { svg: false, class: "bp-steps" }, v.prev, v.slider, v.next, v.stepLabel);
  v.sample = node("select", { svg: false, "aria-label": "sample", onchange: (e) => on.onSample(Number(e.target.value)) });
  v.sampleBox = node("label", { svg: false, class: "bp-sample" }, "sample ", v.sample);
  v.big = node("button", { svg: false, type: "button", class: "bp-bigbutton", text: "large font", "aria-pressed": "false", onclick: on.onBig });
  controls.append(phases, steps, v.sampleBox, v.big);

  v.svg = node("svg", { class: "bp-net", viewBox: data.layout.box.join(" "), role: "img", "aria-label": "the network" });
  const edgeLayer = node("g", { class: "bp-edges" });
  const nodeLayer = node("g", { class: "bp-nodes" });
  const R = data.layout.radius;
  const where = new Map(data.layout.nodes.map((d) => [d.id, d]));
  const loss = data.layout.loss;
  for (const id of loss.from) {
    const a = where.get(id);
    edgeLayer.append(node("line", { class: "bp-to-loss", x1: a.x, y1: a.y, x2: loss.x, y2: loss.y }));
  }
  for (const e of data.layout.edges) {
    const a = where.get(e.from), b = where.get(e.to);
    const line = node("line", { class: "bp-edge", x1: a.x, y1: a.y, x2: b.x, y2: b.y });
    const hit = node("line", { class: "bp-hit", x1: a.x, y1: a.y, x2: b.x, y2: b.y, onclick: () => on.onSelect(e.id) }, node("title", { text: e.symbol }));
    const g = node("g", { class: "bp-edge-g", "data-id": e.id }, line, hit);
    let label = null;
    if (e.label_at) {
      label = node("text", { class: "bp-edge-label", x: e.label_at[0], y: e.label_at[1], "text-anchor": "middle", "dominant-baseline": "central" });
      g.append(label);
    }
    v.edges.set(e.id, { line, label, g });
    edgeLayer.append(g);
  }
  data.layout.nodes.forEach((d) => {
    if (d.kind === "ellipsis") {
      const g = node("g", { class: "bp-more", tabindex: 0, role: "button", "data-id": d.id, "aria-label": d.label, onclick: () => on.onSelect(d.id), onkeydown: activate(() => on.onSelect(d.id)) },
        node("text", { x: d.x, y: d.y, "text-anchor": "middle", "dominant-baseline": "central", text: "⋮ " + d.label.replace("… ", "") }));
      nodeLayer.append(g);
      v.nodes.set(d.id, { g });
      return;
    }
    const circle = node("circle", { cx: d.x, cy: d.y, r: R });
    const value = node("text", { class: "bp-value", x: d.x, y: d.y, "text-anchor": "middle", "dominant-baseline": "central" });
    const symbol = node("text", { class: "bp-symbol", x: d.x, y: d.y - R - 0.04, "text-anchor": "middle", text: d.symbol });
    const g = node("g", { class: "bp-node", tabindex: 0, role: "button", "data-id": d.id, "aria-label": d.symbol, onclick: () => on.onSelect(d.id), onkeydown: activate(() => on.onSelect(d.id)) },
      circle, value, symbol);
    v.nodes.set(d.id, { g, circle, value });
    nodeLayer.append(g);
  });
  const lossBox = node("g", { class: "bp-loss", tabindex: 0, role: "button", "data-id": "loss", "aria-label": "the loss E", onclick: () => on.onSelect("loss"), onkeydown: activate(() => on.onSelect("loss")) },
    node("rect", { x: loss.x - 0.55, y: loss.y - 0.45, width: 1.1, height: 0.9, rx: 0.12 }),
    node("text", { class: "bp-symbol", x: loss.x, y: loss.y - 0.18, "text-anchor": "middle", "dominant-baseline": "central", text: "E" }));
  v.lossValue = node("text", { class: "bp-value", x: loss.x, y: loss.y + 0.16, "text-anchor": "middle", "dominant-baseline": "central" });
  lossBox.append(v.lossValue);
  v.nodes.set("loss", { g: lossBox });
  nodeLayer.append(lossBox);
  v.svg.append(edgeLayer, nodeLayer);

  v.caption = node("p", { svg: false, class: "bp-caption" });
  v.legends = node("div", { svg: false, class: "bp-legends" });
  const picture = node("section", { svg: false, class: "bp-picture", "aria-label": "network" }, v.svg, v.caption, v.legends);

  v.panel = node("section", { svg: false, class: "bp-panel", "aria-live": "polite", "aria-label": "equations" });
  v.curve = curveView(data, on);
  v.check = node("p", { svg: false, class: "bp-check" });
  v.verdict = node("p", { svg: false, class: "bp-verdict" });
  const below = node("section", { svg: false, class: "bp-below", "aria-label": "loss and checks" }, v.curve.svg, node("div", { svg: false }, v.check, v.verdict));
  v.error = node("p", { svg: false, class: "bp-error", role: "alert" });
  v.busy = node("p", { svg: false, class: "bp-busy", "aria-live": "polite" });
  v.on = on;
  el.append(header, controls);
  if (opts.serve) el.append(editForm(data, on), v.error, v.busy);
  el.append(node("div", { svg: false, class: "bp-main" }, picture, v.panel), below);
  return v;
}

function activate(action) {
  return (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      action();
    }
  };
}

function curveView(data, on) {
  const c = data.curve;
  const [w, h] = c.box;
  const pad = { left: 100, right: 10, top: 14, bottom: 30 };
  const svg = node("svg", { class: "bp-curve", viewBox: `${-pad.left} ${-pad.top} ${w + pad.left + pad.right} ${h + pad.top + pad.bottom}`, role: "img", "aria-label": "the loss over the steps" });
  const points = c.points.filter((p) => p).map((p) => p.join(",")).join(" ");
  svg.append(
    node("line", { class: "bp-axis", x1: 0, y1: 0, x2: 0, y2: h }),
    node("line", { class: "bp-axis", x1: 0, y1: h, x2: w, y2: h }),
    node("text", { class: "bp-tick", x: -6, y: 0, "text-anchor": "end", "dominant-baseline": "central", text: c.high }),
    node("text", { class: "bp-tick", x: -6, y: h, "text-anchor": "end", "dominant-baseline": "central", text: c.low }),
    node("text", { class: "bp-tick", x: 0, y: h + 18, "text-anchor": "middle", text: "0" }),
    node("text", { class: "bp-tick", x: w, y: h + 18, "text-anchor": "end", text: `${c.steps} steps` }),
    node("text", { class: "bp-tick", x: w / 2, y: h + 18, "text-anchor": "middle", text: "loss E" }),
    node("polyline", { class: "bp-loss-line", points, stroke: data.phases.find((p) => p.name === "loss").color }),
  );
  const span = node("line", { class: "bp-now-line" });
  const dot = node("circle", { class: "bp-now", r: 4 });
  svg.append(span, dot);
  svg.addEventListener("click", (event) => {
    // the step nearest the click (a choice of step, not a number shown)
    const box = svg.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * (w + pad.left + pad.right) - pad.left;
    on.onStep(Math.round((x / w) * c.steps));
  });
  return { svg, span, dot };
}

function editForm(data, on) {
  const s = data.settings;
  const form = node("form", { svg: false, class: "bp-edit", "aria-label": "edit the network" });
  const field = (key, label, value, choices) => {
    const input = choices
      ? node("select", { svg: false, name: key }, ...choices.map((c) => node("option", { svg: false, value: c, text: c })))
      : node("input", { svg: false, name: key, value, size: Math.max(6, Math.min(28, value.length + 2)) });
    if (choices) input.value = value;
    const apply = () => on.onEdit({ key, value: input.value });
    input.addEventListener("change", apply);
    return node("label", { svg: false }, label + " ", input);
  };
  form.append(node("span", { svg: false, class: "bp-edit-title", text: "edit (recomputed and verified):" }));
  form.append(field("input", "input x", s.input), field("target", "target y", s.target));
  if (s.lr !== "") form.append(field("lr", "learning rate η", s.lr));
  if (s.activation) form.append(field("activation", "hidden activation", s.activation, s.choices.activation));
  form.append(field("output_activation", "output activation", s.output_activation, s.choices.output_activation));
  form.append(field("loss", "loss", s.loss, s.choices.loss));
  form.addEventListener("submit", (e) => e.preventDefault());
  return form;
}

// ----- painting a moment ------------------------------------------------------------------------

function paintView(v, data, state, opts, math) {
  const step = data.steps[state.step - 1];
  const phase = data.phases.find((p) => p.name === state.phase);
  v.current = state.step;
  for (const [name, b] of v.phaseButtons) b.setAttribute("aria-pressed", String(name === state.phase));
  v.prev.disabled = state.step <= 1;
  v.next.disabled = state.step >= data.steps.length;
  v.slider.value = state.step;
  v.stepLabel.textContent = `${step.title} · ${phase.title} · ${step.loss}`;
  v.big.setAttribute("aria-pressed", String(state.big));
  v.sampleBox.hidden = step.samples <= 1;
  if (v.sample.options.length !== step.samples) {
    v.sample.replaceChildren(...Array.from({ length: step.samples }, (_, i) => node("option", { svg: false, value: i + 1, text: String(i + 1) })));
  }
  v.sample.value = state.sample;
  v.svg.style.setProperty("--phase", phase.color);

  const circles = step.circles[phase.circles][state.sample - 1];
  const R = data.layout.radius;
  data.layout.nodes.forEach((d, i) => {
    const look = circles[i];
    const n = v.nodes.get(d.id);
    if (look) {
      n.circle.setAttribute("fill", look[1]);
      n.value.setAttribute("fill", look[2]);
      n.value.textContent = look[0];
      n.value.style.fontSize = fitted(look[0], R);
    }
    n.g.classList.toggle("bp-selected", state.sel === d.id);
  });
  v.nodes.get("loss").g.classList.toggle("bp-selected", state.sel === "loss");
  v.lossValue.textContent = step.loss.split(" → ")[0].replace("E = ", "");
  const edges = step.edges[phase.edges];
  data.layout.edges.forEach((e, i) => {
    const [number, color, width] = edges[i];
    const g = v.edges.get(e.id);
    g.line.setAttribute("stroke", color);
    g.line.setAttribute("stroke-width", width);
    if (g.label) g.label.textContent = number;
    g.g.classList.toggle("bp-selected", state.sel === e.id);
  });
  const nodeScale = data.scales[phase.circles], edgeScale = data.scales[phase.edges];
  const sample = step.samples > 1 ? ` (sample ${state.sample} of the batch)` : "";
  v.caption.textContent = `${phase.title}: ${nodeScale.caption}${sample}; ${edgeScale.caption}`;
  v.legends.replaceChildren(legend(nodeScale), legend(edgeScale));

  const c = data.curve;
  const before = c.points[state.step - 1], after = c.points[state.step];
  if (before && after) {
    v.curve.span.setAttribute("x1", before[0]); v.curve.span.setAttribute("y1", before[1]);
    v.curve.span.setAttribute("x2", after[0]); v.curve.span.setAttribute("y2", after[1]);
    v.curve.dot.setAttribute("cx", before[0]); v.curve.dot.setAttribute("cy", before[1]);
  }
  v.check.textContent = step.check ? `step ${step.index} checked: ${step.check}` : "not verified";
  if (data.verdict) {
    v.verdict.textContent = data.verdict.line;
    v.verdict.style.color = data.verdict.passed ? data.verdict_colors.ok : data.verdict_colors.bad;
  }
  paintPanel(v, data, state, step, opts, math);
}

// a number's size in its circle: as large as fits across it (a digit is about 0.6 of the size wide)
function fitted(label, R) {
  return Math.min(0.19, (1.8 * R) / (0.6 * label.length)) + "px";
}

function legend(scale) {
  const bar = node("span", { svg: false, class: "bp-bar", style: `background: linear-gradient(to right, ${scale.colors.join(", ")})` });
  return node("div", { svg: false, class: "bp-legend" },
    node("span", { svg: false, text: scale.low }), bar, node("span", { svg: false, text: scale.high }),
    node("span", { svg: false, class: "bp-legend-caption", text: scale.caption.split(": ")[1] }));
}

function describe(data, id) {
  if (id === "loss") return "the loss E";
  const n = data.layout.nodes.find((d) => d.id === id);
  if (n) {
    if (n.kind === "ellipsis") return `layer ${n.layer}: ${n.label.replace("… ", "")} neurons not drawn`;
    const [, l, j] = id.split("-");
    const what = n.kind === "input" ? "input" : n.kind === "output" ? "output neuron" : "hidden neuron";
    return `${n.symbol}: ${what} ${j} of layer ${l}`;
  }
  const e = data.layout.edges.find((d) => d.id === id);
  const [, l, j, k] = id.split("-");
  return `${e.symbol}: the weight from neuron ${k} of layer ${l - 1} into neuron ${j} of layer ${l}`;
}

function paintPanel(v, data, state, step, opts, math) {
  const S = data.strings;
  v.panel.replaceChildren();
  if (!state.sel) {
    v.panel.append(node("h2", { svg: false, text: "Click a neuron, a weight or the loss E" }),
      node("p", { svg: false, text: "Its equations appear here with this step's numbers, as explain writes them." }));
    for (const i of step.notes[state.phase] || []) v.panel.append(node("p", { svg: false, class: "bp-note", text: S[i] }));
    return;
  }
  v.panel.append(node("h2", { svg: false, text: describe(data, state.sel) }));
  const [kind, layer, j] = state.sel.split("-");
  if (kind === "n" && layer === "0") {
    const i = data.layout.nodes.findIndex((d) => d.id === state.sel);
    v.panel.append(node("p", { svg: false, text: `${data.layout.nodes[i].symbol} = ${step.circles.a[state.sample - 1][i][0]}: an input, given; its equations are the weighted sums it feeds.` }));
  }
  if (kind === "more") {
    v.panel.append(node("p", { svg: false, text: "computed the same way as the neurons drawn; explain --net … writes every one of a small layer" }));
  }
  const mine = step.equations.filter((q) => q.id === state.sel && (q.sample === null || q.sample === state.sample - 1));
  for (const p of data.phases) {
    const rows = mine.filter((q) => q.phase === p.name);
    if (!rows.length) continue;
    const section = node("section", { svg: false, class: "bp-phase-eqs" + (p.name === state.phase ? " bp-current" : ""), style: `--phase:${p.color}` },
      node("h3", { svg: false, text: p.title }));
    for (const q of rows) section.append(equation(q, S, math));
    v.panel.append(section);
  }
  if (kind === "n" && layer !== "0") v.panel.append(weightsInto(data, state.sel, v.on));
  if (opts.serve) {
    const start = data.settings.start[state.sel];
    if (start !== undefined) v.panel.append(startEdit(state.sel, start, v.on));
  }
}

function equation(q, S, math) {
  const parts = q.latex.map((i) => S[i]);
  const signs = q.signs.map((i) => S[i]);
  let latex = parts[0];
  signs.forEach((sign, i) => { latex += ` ${sign} ${parts[i + 1]}`; });
  const text = S[q.text];
  const html = math(latex, text);
  const e = node("div", { svg: false, class: "bp-eq", title: text, "data-text": text });
  if (html) e.innerHTML = html;
  else e.textContent = text;
  return e;
}

function weightsInto(data, id, on) {
  const into = data.layout.edges.filter((e) => e.to === id);
  const out = data.layout.edges.filter((e) => e.from === id);
  const box = node("div", { svg: false, class: "bp-links" });
  for (const [label, list] of [["weights in: ", into], ["weights out: ", out]]) {
    if (!list.length) continue;
    box.append(node("span", { svg: false, text: label }));
    for (const e of list) box.append(node("button", { svg: false, type: "button", text: e.symbol, onclick: () => on.onSelect(e.id) }));
  }
  return box;
}

function startEdit(id, start, on) {
  const what = id.startsWith("e-") ? "weight" : "bias";
  const input = node("input", { svg: false, name: what, value: start, size: 22 });
  input.addEventListener("change", () => on.onEdit({ key: what, id, value: input.value }));
  return node("label", { svg: false, class: "bp-start" }, `starting ${what} (step 1) `, input);
}
