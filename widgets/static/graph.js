// The browser side of GraphView: shows the SVG that Python drew, and turns clicks into messages.
//
// Python owns the state (what is drawn, the backward walk, the selected node). This file only
//  - lays out a toolbar, the picture, a details panel and a legend;
//  - sends {action: ...} messages for buttons and clicks, and sets synced traits for sliders and toggles;
//  - scales the picture (zoom is a browser-only matter) and outlines the selected node.
// Every text coming from Python is inserted with textContent, never as HTML.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text, title, onClick) {
  const node = element("button", "mg-button", text);
  node.type = "button";
  node.title = title;
  node.addEventListener("click", onClick);
  return node;
}

function toggle(labelText, title, model, trait) {
  const label = element("label", "mg-toggle");
  label.title = title;
  const box = document.createElement("input");
  box.type = "checkbox";
  box.checked = model.get(trait);
  box.addEventListener("change", () => {
    model.set(trait, box.checked);
    model.save_changes();
  });
  model.on(`change:${trait}`, () => { box.checked = model.get(trait); });
  label.append(box, document.createTextNode(" " + labelText));
  return label;
}

function slider(model, valueTrait, maxTrait, title) {
  const input = document.createElement("input");
  input.type = "range";
  input.className = "mg-slider";
  input.min = "0";
  input.title = title;
  const sync = () => {
    input.max = String(model.get(maxTrait));
    input.value = String(model.get(valueTrait));
  };
  input.addEventListener("input", () => {
    model.set(valueTrait, Number(input.value));
    model.save_changes();
  });
  model.on(`change:${valueTrait}`, sync);
  model.on(`change:${maxTrait}`, sync);
  sync();
  return input;
}

function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = element("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const MIME = { svg: "image/svg+xml", png: "image/png", dot: "text/vnd.graphviz" };

function render({ model, el }) {
  const send = (content) => model.send(content);
  const root = element("div", "mg-graph-view");

  // --- toolbar: backward walk, presentation, export --------------------------------------------------
  const walkBar = element("div", "mg-bar mg-walk");
  const resetButton = button("↺ reset", "Undo the walk: the gradients go back to what they were",
    () => send({ action: "reset" }));
  const stepButton = button("step ▶", "Run the next node of the backward pass", () => send({ action: "step" }));
  const runButton = button("run to end ▶▶", "Run the rest of the backward pass", () => send({ action: "run_to_end" }));
  const stepSlider = slider(model, "step_index", "step_count", "How many nodes of backward have run");
  walkBar.append(resetButton, stepButton, runButton, stepSlider);
  const stepStatus = element("span", "mg-status");
  walkBar.append(stepStatus);

  const traceBar = element("div", "mg-bar mg-trace");
  const frameText = element("span", "mg-status");
  traceBar.append(element("span", "mg-caption", "build"),
    slider(model, "frame", "frame_count", "Replay the construction: how many recorded ops to show"), frameText);

  const viewBar = element("div", "mg-bar mg-view-controls");
  const zoomBy = (factor) => {
    model.set("zoom", Math.min(4, Math.max(0.25, model.get("zoom") * factor)));
    model.save_changes();
  };
  const fontBy = (delta) => {
    model.set("font_size", Math.min(24, Math.max(6, model.get("font_size") + delta)));
    model.save_changes();
  };
  const directionButton = button("", "Draw top-to-bottom or left-to-right", () => {
    model.set("direction", model.get("direction") === "LR" ? "TB" : "LR");
    model.save_changes();
  });
  const showDirection = () => { directionButton.textContent = model.get("direction") === "LR" ? "→ LR" : "↓ TB"; };
  showDirection();
  model.on("change:direction", showDirection);
  // Buttons that belong together stay together when the bar wraps on a narrow screen.
  const group = (...children) => {
    const span = element("span", "mg-group");
    span.append(...children);
    return span;
  };
  viewBar.append(
    group(
      button("−", "Zoom out", () => zoomBy(1 / 1.25)),
      button("+", "Zoom in", () => zoomBy(1.25)),
      button("fit", "Zoom so that the whole picture fits in the frame", () => zoomToFit()),
    ),
    group(button("A−", "Smaller text", () => fontBy(-1)), button("A+", "Larger text", () => fontBy(1))),
    directionButton,
    toggle("values", "Show values and gradients in the nodes", model, "values"),
    toggle("saved", "Show the tensors each node saved for backward", model, "saved"),
    toggle("versions", "Show version counters (in-place changes)", model, "versions"),
    toggle("detached", "Show named tensors detached from this graph", model, "detached"),
    toggle("grad graph", "Show the graph behind a .grad built with create_graph=True", model, "grad_graph"),
    toggle("constants", "Draw each input that needs no grad (the 2 of x + 2) as a box of its own", model,
      "constants"),
    group(
      toggle("fold", "Fold long loops and big graphs", model, "collapse"),
      button("fold all", "Fold again everything that was expanded", () => send({ action: "fold_all" })),
    ),
    element("span", "mg-spacer"),
    group(
      element("span", "mg-caption-light", "download"),
      button("SVG", "Download the picture as SVG", () => send({ action: "export", format: "svg" })),
      button("PNG", "Download the picture as PNG", () => send({ action: "export", format: "png" })),
      button("DOT", "Download the Graphviz source", () => send({ action: "export", format: "dot" })),
    ),
  );

  // --- body: picture and details ---------------------------------------------------------------------
  const message = element("pre", "mg-message");
  const body = element("div", "mg-body");
  const canvas = element("div", "mg-canvas");
  const details = element("div", "mg-details");
  let clickedAt = 0; // how far down the frame the clicked node is: the details panel opens at that height
  body.append(canvas, details);
  const legend = element("div", "mg-legend");
  const hint = element("span", "mg-hint", "Click a node to see its values, grad, grad_fn and saved tensors.");
  const footer = element("div", "mg-footer");
  footer.append(legend, hint);
  root.append(walkBar, traceBar, viewBar, message, body, footer);
  el.append(root);

  const outlineSelected = () => {
    const selected = model.get("selected");
    for (const node of canvas.querySelectorAll("g.node")) {
      const title = node.querySelector("title");
      node.classList.toggle("mg-selected", Boolean(selected) && title && title.textContent === selected);
    }
  };

  const applyZoom = () => {
    const svg = canvas.querySelector("svg");
    if (!svg) return;
    const zoom = model.get("zoom");
    for (const side of ["width", "height"]) {
      if (!svg.dataset[side]) svg.dataset[side] = String(parseFloat(svg.getAttribute(side)) || 0);
      const points = Number(svg.dataset[side]);
      if (points) svg.style[side] = `${points * zoom * (4 / 3)}px`; // Graphviz sizes are in points
    }
  };

  // The zoom at which the whole picture fits the frame (its width, and the height it may grow to).
  const zoomToFit = () => {
    const svg = canvas.querySelector("svg");
    if (!svg) return;
    applyZoom(); // records the picture's own size
    const width = Number(svg.dataset.width) * (4 / 3);
    const height = Number(svg.dataset.height) * (4 / 3);
    const room = parseFloat(getComputedStyle(canvas).maxHeight) || height;
    if (!width || !height) return;
    const fit = Math.min((canvas.clientWidth - 4) / width, (room - 4) / height);
    model.set("zoom", Math.min(2, Math.max(0.25, fit)));
    model.save_changes();
  };

  // After each step, bring the node backward runs now into the frame if it is out of sight (scrolling the frame
  // only, not the notebook): stepping through a chain taller than the frame, the highlight stays visible.
  let followedStep = -1;
  const followRunning = () => {
    const running = canvas.querySelector("g.node.running");
    const step = model.get("step_index");
    if (!running || step === followedStep) return;
    followedStep = step;
    const node = running.getBoundingClientRect();
    const frame = canvas.getBoundingClientRect();
    if (node.top < frame.top || node.bottom > frame.bottom) {
      canvas.scrollTop += node.top - frame.top - (canvas.clientHeight - node.height) / 2;
    }
    if (node.left < frame.left || node.right > frame.right) {
      canvas.scrollLeft += node.left - frame.left - (canvas.clientWidth - node.width) / 2;
    }
  };

  const showPicture = () => {
    const svgText = model.get("svg");
    canvas.replaceChildren();
    if (svgText) {
      const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
      if (parsed && parsed.nodeName.toLowerCase() === "svg") {
        for (const script of parsed.querySelectorAll("script")) script.remove();
        canvas.append(document.importNode(parsed, true));
      }
    }
    applyZoom();
    outlineSelected();
    followRunning();
  };

  const showMessage = () => {
    message.textContent = model.get("message");
    message.style.display = model.get("message") ? "" : "none";
  };

  const showDetails = () => {
    const info = model.get("details") || {};
    details.replaceChildren();
    // The panel takes room from the picture only while it shows a node; until then a line under the picture
    // says what a click shows.
    details.classList.toggle("mg-open", Boolean(info.title));
    hint.style.display = info.title ? "none" : "";
    if (!info.title) return;
    const header = element("div", "mg-details-header");
    header.append(element("strong", "", info.title), element("span", "mg-kind", ` ${info.kind}`),
      button("×", "Close the details", () => send({ action: "select", id: "" })));
    const table = element("table", "mg-details-table");
    for (const [key, text] of info.rows || []) {
      const row = element("tr");
      const value = element("td");
      value.append(element("pre", "", text));
      row.append(element("th", "", key), value);
      table.append(row);
    }
    details.append(header, table);
    // Beside the node that was clicked, not at the top of a tall picture the notebook may have scrolled away
    const lowest = Math.max(0, canvas.clientHeight - details.offsetHeight);
    details.style.marginTop = `${Math.min(clickedAt, lowest)}px`;
  };

  // mark: "box" (a filled swatch), "dashed"/"dotted" (its border too), "line" (an edge), "tick"
  const showLegend = () => {
    legend.replaceChildren();
    for (const [colour, words, mark] of model.get("legend") || []) {
      const item = element("span", "mg-legend-item");
      let swatch;
      if (mark === "line") {
        swatch = element("span", "mg-swatch-line");
        swatch.style.borderTopColor = colour;
      } else if (mark === "tick") {
        swatch = element("span", "mg-swatch-tick", "✓");
      } else {
        swatch = element("span", "mg-swatch");
        swatch.style.background = colour;
        if (mark === "dashed" || mark === "dotted") swatch.style.borderStyle = mark;
      }
      item.append(swatch, document.createTextNode(words));
      legend.append(item);
    }
  };

  const showBars = () => {
    const state = model.get("walk_state");
    walkBar.style.display = state === "none" ? "none" : "";
    const steppable = state === "ready" || state === "running";
    stepButton.disabled = !steppable;
    runButton.disabled = !steppable;
    stepSlider.disabled = state === "blocked";
    resetButton.disabled = state === "ready" || state === "blocked";
    stepStatus.classList.toggle("mg-blocked", state === "blocked" || state === "failed");
    traceBar.style.display = model.get("traced") ? "" : "none";
    stepStatus.textContent = model.get("step_status");
    const tracing = model.get("tracing") ? " (recording…)" : "";
    frameText.textContent = `${model.get("frame")} of ${model.get("frame_count")} ops${tracing}`;
  };

  canvas.addEventListener("click", (event) => {
    const node = event.target.closest("g.node");
    const title = node && node.querySelector("title");
    if (title && title.textContent !== "legend") {
      clickedAt = Math.max(0, node.getBoundingClientRect().top - canvas.getBoundingClientRect().top);
      send({ action: "select", id: title.textContent });
    }
  });

  model.on("msg:custom", (content, buffers) => {
    if (content.export && buffers && buffers.length) {
      download(content.filename, new Blob([buffers[0]], { type: MIME[content.export] || "application/octet-stream" }));
    }
  });

  model.on("change:svg", showPicture);
  model.on("change:zoom", applyZoom);
  model.on("change:selected", outlineSelected);
  model.on("change:message", showMessage);
  model.on("change:details", showDetails);
  model.on("change:legend", showLegend);
  for (const trait of ["walk_state", "traced", "tracing", "step_status", "frame", "frame_count"]) {
    model.on(`change:${trait}`, showBars);
  }
  showPicture();
  showMessage();
  showDetails();
  showLegend();
  showBars();
}

export default { render };
