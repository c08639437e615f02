// The graph layout worker: Graphviz (compiled to WebAssembly, graphviz/viz.js) turning DOT into SVG off the
// page's main thread, so a big layout never freezes the notebook. graph.js starts one worker per page and
// stops it (worker.terminate()) when a layout runs over its time budget: that is the only way to stop
// WebAssembly in the middle of a computation.
//
// Messages in:   {init: <viz.js, gzip-compressed bytes>}      once, first
//                {id, dot}                                    one layout
// Messages out:  {ready: true, loadMs, graphviz}              Graphviz is loaded
//                {id, svg, ms} or {id, error}                 the layout of request `id`
//                {failed: <text>}                             Graphviz could not be loaded

let viz = null;

async function load(compressed) {
  const started = performance.now();
  const text = await new Response(
    new Blob([compressed]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
  try {
    const module = await import(url);
    viz = await module.instance();
    return { ready: true, loadMs: performance.now() - started, graphviz: viz.graphvizVersion };
  } finally {
    URL.revokeObjectURL(url);
  }
}

function layout(dot) {
  const started = performance.now();
  // render() reports Graphviz's errors and warnings instead of throwing; a warning still gives a picture
  const result = viz.render(dot, { format: "svg" });
  if (result.status !== "success") {
    const errors = (result.errors || []).filter((e) => e.level !== "warning").map((e) => e.message.trim());
    return { error: errors.join("\n") || "Graphviz could not lay out this graph" };
  }
  const svg = result.output;
  return { svg: svg.slice(svg.indexOf("<svg")), ms: performance.now() - started }; // no XML prolog inside HTML
}

self.onmessage = async ({ data }) => {
  if (data.init) {
    try {
      self.postMessage(await load(data.init));
    } catch (failure) {
      self.postMessage({ failed: String(failure && failure.message ? failure.message : failure) });
    }
    return;
  }
  let answer;
  try {
    answer = layout(data.dot);
  } catch (failure) {
    answer = { error: String(failure && failure.message ? failure.message : failure) };
  }
  self.postMessage({ id: data.id, ...answer });
};
