// The browser side of GraphView: lays out the DOT that Python wrote, shows it, and turns clicks into messages.
//
// Python owns the state (what is drawn, the backward walk, the selected node). This file only
//  - lays the DOT out with Graphviz compiled to WebAssembly, in a Web Worker shared by every view of the page
//    (layout_worker.js), within a time budget, so neither the page nor the kernel ever waits on a layout;
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

// ----- layout: Graphviz (WebAssembly) in a Web Worker ------------------------------------------------------

const FIRST_NODES = 150; // "draw the first N nodes": what the kernel's folding keeps by default

// Why a layout gave no picture, as a property of the error: the page's one engine was made by the module of
// whichever view came first, so its error classes are not the ones another view's module would test against.
// The view words it in its own language (wordedFailure); `detail` is the browser's or Graphviz's own message.
function layoutError(why, detail = "") {
  const error = new Error(detail ? `${why}: ${detail}` : why);
  // "over_budget" | "superseded" (a newer picture of the same view came before this one started) | "no_engine"
  // (Graphviz could not start in this browser) | "no_module" (the view has no Graphviz module) | "no_png"
  error.why = why;
  error.detail = detail;
  return error;
}

// One worker for the whole page (every view, every notebook): Graphviz is loaded once. Requests run one at a
// time; a view's request still waiting is replaced by its newer one (a training loop redraws often). A layout
// over its budget is stopped by ending the worker; a fresh one takes the next request.
class LayoutEngine {
  constructor(workerSource, compressedModule) {
    this.workerUrl = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
    this.compressedModule = compressedModule;
    this.queue = [];
    this.running = null;
    this.nextId = 1;
    this.cache = new Map(); // DOT -> SVG, the last few pictures (a step back and forth draws at once)
    this.startedAt = performance.now();
    this.loadMs = null; // how long the first start took: fetching nothing, decompressing, compiling WebAssembly
    this.start();
  }

  start() {
    this.ready = false;
    this.failure = null;
    this.worker = new Worker(this.workerUrl, { type: "module", name: "minigrad-graph-layout" });
    const begun = performance.now();
    this.worker.onmessage = ({ data }) => {
      if (data.ready) {
        this.ready = true;
        if (this.loadMs === null) this.loadMs = performance.now() - this.startedAt;
        this.graphviz = data.graphviz;
        this.restartMs = performance.now() - begun;
        this.pump();
      } else if (data.failed !== undefined) {
        this.fail(data.failed);
      } else {
        this.finish(data);
      }
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(event.message || event.type);
    };
    this.worker.postMessage({ init: this.compressedModule }); // a copy: a restarted worker needs it again
  }

  fail(detail) {
    this.failure = detail;
    const waiting = this.running ? [this.running, ...this.queue] : this.queue;
    this.running = null;
    this.queue = [];
    for (const request of waiting) request.reject(layoutError("no_engine", detail));
  }

  layout(owner, dot, budgetMs) {
    if (this.cache.has(dot)) {
      const svg = this.cache.get(dot);
      this.cache.delete(dot); // most recently used last
      this.cache.set(dot, svg);
      return Promise.resolve({ svg, ms: 0 });
    }
    if (this.failure) return Promise.reject(layoutError("no_engine", this.failure));
    return new Promise((resolve, reject) => {
      const older = this.queue.findIndex((request) => request.owner === owner);
      if (older >= 0) this.queue.splice(older, 1)[0].reject(layoutError("superseded"));
      this.queue.push({ owner, dot, budgetMs, resolve, reject });
      this.pump();
    });
  }

  pump() {
    if (!this.ready || this.running || !this.queue.length) return;
    const request = (this.running = this.queue.shift());
    request.id = this.nextId++;
    request.timer = setTimeout(() => this.overBudget(request), request.budgetMs); // from when it starts
    this.worker.postMessage({ id: request.id, dot: request.dot });
  }

  finish(answer) {
    const request = this.running;
    if (!request || request.id !== answer.id) return;
    clearTimeout(request.timer);
    this.running = null;
    if (answer.error !== undefined) {
      request.reject(new Error(answer.error));
    } else {
      this.cache.set(request.dot, answer.svg);
      while (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value);
      request.resolve({ svg: answer.svg, ms: answer.ms });
    }
    this.pump();
  }

  overBudget(request) {
    if (this.running !== request) return;
    this.worker.terminate(); // WebAssembly cannot be interrupted any other way
    this.running = null;
    request.reject(layoutError("over_budget"));
    this.start();
  }
}

// The page's engine, made from the first view's GraphvizModule model (the kernel sends it once; a notebook
// saved with its widget state carries it, so saved views draw without a kernel).
const ENGINE = Symbol.for("minigrad.graph-layout-engine");

async function layoutEngine(model) {
  if (globalThis[ENGINE]) return globalThis[ENGINE];
  const reference = model.get("_graphviz") || "";
  if (!reference.startsWith("IPY_MODEL_")) throw layoutError("no_module");
  const graphviz = await model.widget_manager.get_model(reference.slice("IPY_MODEL_".length));
  if (globalThis[ENGINE]) return globalThis[ENGINE]; // another view got there while we waited
  const bytes = graphviz.get("module");
  const compressed = bytes instanceof ArrayBuffer ? new Uint8Array(bytes)
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  globalThis[ENGINE] = new LayoutEngine(graphviz.get("worker"), compressed);
  return globalThis[ENGINE];
}

// How many boxes a DOT text draws (a line per node statement, as the graphviz package writes them).
function nodeCount(dot) {
  return dot.split("\n").filter((line) => /^\t+(?!(graph|node|edge|subgraph|legend)\b)[^\s{}]+ \[/.test(line)
    && !line.includes(" -> ")).length;
}

// An SVG (from Graphviz) as a PNG: drawn on a canvas at twice its size, for a sharp picture.
async function svgToPng(svgText) {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    await new Promise((resolve, reject) => {
      image.onload = resolve;
      image.onerror = () => reject(layoutError("no_png"));
      image.src = url;
    });
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(image.naturalWidth * scale);
    canvas.height = Math.ceil(image.naturalHeight * scale);
    const context = canvas.getContext("2d");
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

function render({ model, el }) {
  const send = (content) => model.send(content);
  const root = element("div", "mg-graph-view");
  const engine = layoutEngine(model);
  engine.catch(() => {}); // a failure is shown where the picture would be (showLayoutProblem), not left unhandled

  // --- toolbar: one row of icons (each with a tooltip), then a one-line status ----------------------------
  // Every word comes from Python (the synced "ui" table, widgets/words.py), in the view's language.
  const say = (key, values = {}) => {
    const text = (model.get("ui") || {})[key] || key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  };
  const labelled = []; // [node, key of its tooltip, key of its visible text or null]: relabelled when ui changes
  const iconButton = (icon, key, onClick, textKey = null) => {
    const node = button(icon, "", onClick);
    node.classList.add("mg-icon");
    node.dataset.action = key.replace(/_tip$/, ""); // what tests and style sheets find it by
    labelled.push([node, key, textKey, icon]);
    return node;
  };
  const toolbar = element("div", "mg-bar mg-toolbar");
  const resetButton = iconButton("↺", "reset_tip", () => send({ action: "reset" }));
  const stepButton = iconButton("▶", "step_tip", () => send({ action: "step" }), "step");
  stepButton.classList.add("mg-primary");
  const runButton = iconButton("▶▶", "run_tip", () => send({ action: "run_to_end" }));
  const stepSlider = slider(model, "step_index", "step_count", "");
  labelled.push([stepSlider, "slider_tip", null]);
  const walkGroup = element("span", "mg-group mg-walk");
  walkGroup.append(resetButton, stepButton, runButton, stepSlider);

  const buildGroup = element("span", "mg-group mg-trace");
  const buildCaption = element("span", "mg-caption", "");
  labelled.push([buildCaption, "build_tip", "build"]);
  const frameSlider = slider(model, "frame", "frame_count", "");
  labelled.push([frameSlider, "build_tip", null]);
  buildGroup.append(buildCaption, frameSlider);

  const zoomBy = (factor) => {
    model.set("zoom", Math.min(4, Math.max(0.25, model.get("zoom") * factor)));
    model.save_changes();
  };
  const fontBy = (delta) => {
    model.set("font_size", Math.min(24, Math.max(6, model.get("font_size") + delta)));
    model.save_changes();
  };
  let refitAfterDraw = false;
  let refitUntil = 0; // after presentation mode is switched: refit the pictures that arrive until then // TB/LR and presentation mode: fit the new picture and keep the running node in view
  const directionButton = iconButton("", "direction_tip", () => {
    refitAfterDraw = true;
    model.set("direction", model.get("direction") === "LR" ? "TB" : "LR");
    model.save_changes();
  });
  const showDirection = () => { directionButton.textContent = model.get("direction") === "LR" ? "⇄" : "⇅"; };
  showDirection();
  model.on("change:direction", () => {
    refitAfterDraw = true; // also when Python sets view.direction
    showDirection();
  });

  // What the picture shows: toggles in a drop-down, so the toolbar stays one row on a projector
  const options = element("details", "mg-menu mg-options");
  const optionsSummary = element("summary", "mg-button mg-icon", "⚙");
  labelled.push([optionsSummary, "options_tip", null]);
  const optionsPanel = element("div", "mg-menu-panel");
  const toggles = [["values", "values"], ["saved", "saved"], ["versions", "versions"], ["detached", "detached"],
    ["grad_graph", "grad_graph"], ["constants", "constants"], ["collapse", "fold"]];
  for (const [trait, key] of toggles) {
    const box = toggle("", "", model, trait);
    box.dataset.key = key;
    optionsPanel.append(box);
  }
  optionsPanel.append(iconButton("⊟", "fold_all_tip", () => send({ action: "fold_all" }), "fold_all"));
  options.append(optionsSummary, optionsPanel);

  const downloads = element("details", "mg-menu mg-downloads");
  const downloadSummary = element("summary", "mg-button mg-icon", "⤓");
  labelled.push([downloadSummary, "download", null]);
  const downloadPanel = element("div", "mg-menu-panel");
  for (const format of ["svg", "png", "dot"]) {
    downloadPanel.append(iconButton(format.toUpperCase(), `${format}_tip`, () => {
      downloads.open = false;
      send({ action: "export", format });
    }));
  }
  downloads.append(downloadSummary, downloadPanel);
  for (const menu of [options, downloads]) { // one menu open at a time; a click elsewhere closes them
    menu.addEventListener("toggle", () => {
      if (menu.open) for (const other of [options, downloads]) if (other !== menu) other.open = false;
    });
  }
  // An open menu lies over the status and the picture: a press anywhere outside it (the picture, a button, the
  // notebook) closes it, as any drop-down does; presses inside it (its toggles, A- A+) leave it open.
  const closeMenus = (event) => {
    for (const menu of [options, downloads]) if (menu.open && !menu.contains(event.target)) menu.open = false;
  };
  document.addEventListener("pointerdown", closeMenus, true);

  const presentButton = iconButton("▣", "present_tip", () => {
    refitAfterDraw = true;
    model.set("presentation", !model.get("presentation"));
    model.save_changes();
  });
  const frozenBadge = element("span", "mg-badge", "");
  labelled.push([frozenBadge, "frozen_tip", null]);
  const frozenWords = element("span", "mg-long");
  const frozenWord = element("span", "mg-short");
  frozenBadge.append(frozenWords, frozenWord);

  toolbar.append(walkGroup, buildGroup,
    element("span", "mg-separator"),
    iconButton("−", "zoom_out", () => zoomBy(1 / 1.25)),
    iconButton("+", "zoom_in", () => zoomBy(1.25)),
    iconButton("⤢", "fit_tip", () => zoomToFit()),
    directionButton, options, downloads, presentButton, frozenBadge);
  // the text size lives in the options menu: the toolbar stays one row on a narrow projector screen
  const textSize = element("span", "mg-group");
  textSize.append(iconButton("A−", "smaller", () => fontBy(-1)), iconButton("A+", "larger", () => fontBy(1)));
  optionsPanel.prepend(textSize);
  const stepStatus = element("div", "mg-status");
  const frameText = element("span", "mg-frame-text");
  buildGroup.append(frameText);

  const relabel = () => {
    for (const [node, key, textKey, icon] of labelled) {
      node.title = say(key);
      node.setAttribute("aria-label", say(key));
      if (textKey && icon) { // the word in a span of its own: a narrow toolbar shows the icon alone
        node.replaceChildren(document.createTextNode(`${icon} `), element("span", "mg-word", say(textKey)));
      } else if (textKey) {
        node.replaceChildren(element("span", "mg-word", say(textKey)));
      }
    }
    frozenWords.textContent = say("frozen");
    // (a notebook saved with an older widget's words has no short one: the whole words, shortened by CSS)
    frozenWord.textContent = (model.get("ui") || {}).frozen_short ? say("frozen_short") : say("frozen");
    for (const box of optionsPanel.querySelectorAll(".mg-toggle")) {
      box.title = say(`${box.dataset.key}_tip`);
      box.lastChild.textContent = ` ${say(box.dataset.key)}`;
    }
    showDirection();
    fitToolbar();
  };

  // One row whatever the cell's width (a projector at 150% with JupyterLab's file browser open leaves a view
  // about 420 px): the sliders give up their room first (CSS); when the controls still do not fit, the toolbar
  // goes narrow: the words beside the icons go (each control keeps its tooltip) and the badge says one word;
  // narrower still, the badge is shortened. No button is ever squeezed below its own width, so none is cut or
  // drawn over another.
  const crowded = () => toolbar.scrollWidth > toolbar.clientWidth + 1;
  const fitToolbar = () => {
    if (!toolbar.clientWidth) return; // not laid out (the cell is out of sight): measured when it is
    toolbar.classList.remove("mg-narrow", "mg-narrowest");
    if (crowded()) toolbar.classList.add("mg-narrow");
    if (crowded()) toolbar.classList.add("mg-narrowest");
  };
  new ResizeObserver(fitToolbar).observe(toolbar);

  // --- body: picture and details ---------------------------------------------------------------------
  const message = element("pre", "mg-message");
  // what the layout has to say: still running, over its time budget (with ways out), or failed
  const layoutNotice = element("div", "mg-layout-notice");
  const body = element("div", "mg-body");
  const canvas = element("div", "mg-canvas");
  const details = element("div", "mg-details");
  let clickedAt = 0; // how far down the frame the clicked node is: the details panel opens at that height
  body.append(canvas, details);
  const legend = element("div", "mg-legend");
  const hint = element("span", "mg-hint", "");
  const footer = element("div", "mg-footer");
  footer.append(legend, hint);
  root.append(toolbar, stepStatus, message, layoutNotice, body, footer);
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

  // The zoom at which the whole picture fits the frame (its width, and the height it may grow to), but never
  // below the zoom at which the smallest text of the picture is 12 px: a picture too big for that scrolls
  // instead of shrinking to unreadable text.
  const MIN_TEXT_PX = 12;
  // The smallest font size (points) of the picture's texts, as Graphviz wrote them into the SVG
  const smallestPoints = (svg) => {
    let smallest = Infinity;
    for (const text of svg.querySelectorAll("g.node:not(.legend) text, g.edge text")) {
      const size = parseFloat(text.getAttribute("font-size"));
      if (size && text.textContent.trim()) smallest = Math.min(smallest, size);
    }
    return Number.isFinite(smallest) ? smallest : model.get("font_size");
  };
  const zoomToFit = () => {
    const svg = canvas.querySelector("svg");
    if (!svg) return;
    applyZoom(); // records the picture's own size
    const width = Number(svg.dataset.width) * (4 / 3);
    const height = Number(svg.dataset.height) * (4 / 3);
    const room = parseFloat(getComputedStyle(canvas).maxHeight) || height;
    if (!width || !height) return;
    const fit = Math.min((canvas.clientWidth - 4) / width, (room - 4) / height);
    const readable = MIN_TEXT_PX / (smallestPoints(svg) * (4 / 3)); // (Graphviz sizes are in points)
    model.set("zoom", Math.min(2, Math.max(readable, fit)));
    model.save_changes();
  };

  // After each step, bring the node backward runs now into the frame if it is out of sight (scrolling the frame
  // only, not the notebook): stepping through a chain taller than the frame, the highlight stays visible.
  let followedStep = -1;
  const followRunning = (force = false) => {
    const running = canvas.querySelector("g.node.running");
    const step = model.get("step_index");
    if (!running || (step === followedStep && !force)) return;
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

  // A new picture replaces the old one where it was: the frame keeps its scroll position (a step restyles the
  // same layout, so nothing moves), unless the picture was refitted (TB/LR, presentation mode).
  const insertPicture = (svgText) => {
    const { scrollTop, scrollLeft } = canvas;
    canvas.replaceChildren();
    if (svgText) {
      const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
      if (parsed && parsed.nodeName.toLowerCase() === "svg") {
        for (const script of parsed.querySelectorAll("script")) script.remove();
        canvas.append(document.adoptNode(parsed)); // moved, not copied: a 2000-box picture is big
      }
    }
    applyZoom();
    canvas.scrollTop = scrollTop;
    canvas.scrollLeft = scrollLeft;
    outlineSelected();
    if ((refitAfterDraw || performance.now() < refitUntil) && svgText) {
      refitAfterDraw = false;
      zoomToFit();
      applyZoom();
      followRunning(true);
    } else {
      followRunning();
    }
  };

  const notice = (text, ...buttons) => {
    layoutNotice.replaceChildren();
    layoutNotice.style.display = text ? "" : "none";
    if (!text) return;
    layoutNotice.append(element("span", "mg-notice-text", text), ...buttons);
  };

  // A layout over its budget: say so, keep the last picture, offer ways out (all of them leave the kernel free)
  const budgetMs = () => Math.max(10, 1000 * (model.get("layout_budget") || 8));
  // After one picture ran over, pictures at least as big are not tried again (a training loop would start a
  // long layout at every step), until "try again".
  let tooBig = Infinity;
  const showOverBudget = (dot) => {
    root.classList.add("mg-over-budget");
    notice(say("over_budget", { boxes: nodeCount(dot), seconds: budgetMs() / 1000 }),
      button(say("fold_again"), say("fold_again_tip"), () => {
        if (!model.get("collapse")) {
          model.set("collapse", true);
          model.save_changes();
        }
        send({ action: "fold_all" });
      }),
      button(say("first_nodes", { n: FIRST_NODES }), say("first_nodes_tip", { n: FIRST_NODES }),
        () => send({ action: "limit", nodes: FIRST_NODES })),
      button(say("try_again"), say("try_again_tip"), () => {
        tooBig = Infinity;
        drawPicture(4);
      }));
  };

  // What went wrong, in the view's words (Graphviz's own error messages stay as Graphviz wrote them)
  const wordedFailure = (failure) => {
    const worded = ["no_engine", "no_module", "no_png"].includes(failure.why);
    return worded ? say(failure.why, { detail: failure.detail || "" }) : failure.message;
  };

  // Draw the DOT the kernel sent. Pictures are laid out one after another; only the newest one of this view
  // is drawn, and a picture that takes a while says so after a moment (not at once: most take milliseconds).
  let drawing = 0;
  let drawnDot = null;
  const drawPicture = async (patience = 1) => {
    const dot = model.get("dot_source");
    const ticket = ++drawing;
    if (!dot) {
      insertPicture("");
      return;
    }
    if (nodeCount(dot) >= tooBig) {
      showOverBudget(dot);
      return;
    }
    const slow = setTimeout(() => {
      if (ticket === drawing) notice(say("laying_out"));
    }, 400);
    root.classList.add("mg-laying-out");
    try {
      const { svg, ms } = await (await engine).layout(root, dot, budgetMs() * patience);
      if (ticket !== drawing) return;
      root.classList.remove("mg-over-budget");
      notice("");
      drawnDot = dot;
      const inserting = performance.now();
      insertPicture(svg);
      root.dataset.insertMs = String(Math.round(performance.now() - inserting)); // the main thread's share
      root.dataset.layoutMs = String(Math.round(ms));
      root.dataset.drawnAt = String(performance.timeOrigin + performance.now()); // for the benchmarks
    } catch (failure) {
      if (failure.why === "superseded" || ticket !== drawing) return;
      if (failure.why === "over_budget") {
        tooBig = Math.min(tooBig, nodeCount(dot));
        showOverBudget(dot);
      } else {
        notice(say("cannot_draw", { message: wordedFailure(failure) }));
      }
    } finally {
      clearTimeout(slow);
      if (ticket === drawing) root.classList.remove("mg-laying-out");
    }
  };

  // Downloads: the kernel sends the DOT with its legend; the browser lays it out (no `dot` program needed).
  const exportPicture = async ({ export: format, filename, dot }) => {
    try {
      if (format === "dot") {
        download(filename, new Blob([dot], { type: MIME.dot }));
        return;
      }
      const { svg } = await (await engine).layout(exportPicture, dot, Math.max(budgetMs(), 30000));
      const blob = format === "png" ? await svgToPng(svg) : new Blob([svg], { type: MIME.svg });
      download(filename, blob);
    } catch (failure) {
      if (failure.why === "superseded") return;
      notice(failure.why === "over_budget" ? say("download_too_big")
        : say("download_failed", { message: wordedFailure(failure) }));
    }
  };

  const showMessage = () => {
    message.textContent = model.get("message");
    const offer = model.get("unfold_offer"); // collapse=False on a graph this big: drawn folded, asking first
    if (offer) {
      message.append(" ", button(say("draw_all", { n: offer.toLocaleString("en") }), say("draw_all_tip"),
        () => send({ action: "show_all" })));
    }
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
    header.append(element("strong", "", info.title), element("span", "mg-kind", ` ${info.kind_words || info.kind}`),
      button("×", say("close"), () => send({ action: "select", id: "" })));
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

  // mark: "box" (a filled swatch), "dashed"/"dotted" (its border too), "line" (an edge), "tick". In
  // presentation mode each item says a word or two (the legend stays one row), its whole text in its tooltip.
  const showLegend = () => {
    legend.replaceChildren();
    const brief = Boolean(model.get("presentation"));
    for (const [colour, words, mark, short] of model.get("legend") || []) {
      const item = element("span", "mg-legend-item");
      item.title = words;
      let swatch;
      if (mark === "line") {
        swatch = element("span", "mg-swatch-line");
        swatch.style.borderTopColor = colour;
      } else if (mark === "tick") {
        swatch = element("span", "mg-swatch-tick", "✓");
      } else if (mark === "text") {
        swatch = element("span", "mg-swatch-text", "+g");
        swatch.style.color = colour;
      } else {
        swatch = element("span", "mg-swatch");
        swatch.style.background = colour;
        if (mark === "dashed" || mark === "dotted") swatch.style.borderStyle = mark;
      }
      item.append(swatch, document.createTextNode(brief && short ? short : words));
      legend.append(item);
    }
  };

  // The status is one line, shortened to the frame's width; hovering it shows all of it.
  const showBars = () => {
    const state = model.get("walk_state");
    walkGroup.style.display = state === "none" ? "none" : "";
    stepStatus.style.display = state === "none" ? "none" : "";
    const steppable = model.get("can_step");
    stepButton.disabled = !steppable;
    runButton.disabled = !steppable;
    stepSlider.disabled = state === "blocked";
    resetButton.disabled = state === "ready" || state === "blocked";
    stepStatus.classList.toggle("mg-blocked", state === "blocked" || state === "failed");
    buildGroup.style.display = model.get("traced") ? "" : "none";
    stepStatus.textContent = model.get("step_status");
    stepStatus.title = model.get("step_status");
    const tracing = model.get("tracing") ? say("recording") : "";
    frameText.textContent = say("ops", { frame: model.get("frame"), count: model.get("frame_count") }) + tracing;
    frozenBadge.style.display = model.get("live") ? "none" : "";
    present(Boolean(model.get("presentation")));
    fitToolbar();
  };
  // Presentation mode: the view takes the whole window (moved to the page's body while it lasts, so nothing the
  // notebook's layout does can clip it), with bigger text (Python raises font_size) and no details panel.
  // Escape or the button leaves it.
  const leaveOnEscape = (event) => {
    if (event.key === "Escape") {
      model.set("presentation", false);
      model.save_changes();
    }
  };
  const present = (on) => {
    if (root.classList.contains("mg-present") === on) return;
    root.classList.toggle("mg-present", on);
    presentButton.classList.toggle("mg-on", on);
    if (on) {
      document.body.append(root);
      document.addEventListener("keydown", leaveOnEscape);
    } else {
      el.append(root);
      document.removeEventListener("keydown", leaveOnEscape);
    }
    // fit now (the frame changed), and again when the picture redrawn at presentation's text size arrives
    refitUntil = performance.now() + 4000;
    requestAnimationFrame(() => { zoomToFit(); applyZoom(); followRunning(true); });
  };
  const showWords = () => {
    relabel();
    hint.textContent = say("hint");
    showBars();
    showDetails();
  };

  canvas.addEventListener("click", (event) => {
    const node = event.target.closest("g.node");
    const title = node && node.querySelector("title");
    if (title && title.textContent !== "legend") {
      clickedAt = Math.max(0, node.getBoundingClientRect().top - canvas.getBoundingClientRect().top);
      send({ action: "select", id: title.textContent });
    }
  });

  model.on("msg:custom", (content) => {
    if (content.export && content.dot !== undefined) exportPicture(content);
  });

  model.on("change:dot_source", () => drawPicture());
  model.on("change:zoom", applyZoom);
  model.on("change:selected", outlineSelected);
  model.on("change:message change:unfold_offer", showMessage);
  model.on("change:details", showDetails);
  model.on("change:legend change:presentation", showLegend);
  for (const trait of ["walk_state", "can_step", "traced", "tracing", "step_status", "frame", "frame_count", "live",
    "presentation"]) {
    model.on(`change:${trait}`, showBars);
  }
  model.on("change:ui", showWords);
  notice("");
  drawPicture();
  showMessage();
  showDetails();
  showLegend();
  showWords();
  // anywidget calls this when the view is removed (cell re-run or cleared): a presenting view leaves the body too
  return () => {
    document.removeEventListener("keydown", leaveOnEscape);
    document.removeEventListener("pointerdown", closeMenus, true);
    if (root.parentNode === document.body) root.remove();
  };
}

export default { render };
