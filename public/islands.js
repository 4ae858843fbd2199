// Brings a page's islands to life: loads the WASM once the page is idle, then hydrates each
// <leptos-island> in document order. A file rather than an inline script, so the
// Content-Security-Policy needs no 'unsafe-inline', nonce or hash. (Leptos's own loader,
// island_script.js, does the same inline.)
const childrenCallbacks = [];

async function hydrateIsland(element, id, module) {
  const island = module[id];
  if (!island) {
    console.warn(`Could not find WASM function for the island ${id}.`);
    return;
  }
  const childrenCallback = childrenCallbacks[childrenCallbacks.length - 1];
  if (childrenCallback) childrenCallback();
  await island(element);
}

async function traverse(node, module) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const tag = node.tagName.toLowerCase();
  if (tag === "leptos-island") {
    await hydrateIsland(node, node.dataset.component || null, module);
  } else if (tag === "leptos-children") {
    childrenCallbacks.push(node.$$on_hydrate);
  }
  for (const child of node.children) await traverse(child, module);
  if (tag === "leptos-children") childrenCallbacks.pop();
}

const idle = (callback) => ("requestIdleCallback" in window ? window.requestIdleCallback(callback) : callback());

idle(async () => {
  const module = await import("/pkg/casebook.js");
  await module.default({ module_or_path: "/pkg/casebook.wasm" });
  module.hydrate();
  await traverse(document.body, module);
});
