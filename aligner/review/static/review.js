// aligner review: the document list, a document's beads side by side, and the reviewer's keys.
// Every text from the store is put into the page with textContent (never as HTML), and every
// request carries the app's token in a header, which the server requires for every change.
"use strict";

const TOKEN = document.querySelector('meta[name="aligner-token"]').content;
const SIDES = ["source", "target"];
const view = { doc: null, current: 0, side: "source", sentence: 0, mark: null, changed: new Set(), params: null };

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(message, isError) {
  const status = document.getElementById("status");
  status.textContent = message || "";
  status.className = isError ? "error" : "";
}

async function api(path, body) {
  const options = { headers: { "X-Aligner-Token": TOKEN }, credentials: "same-origin" };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function route() {
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  return { path, params: new URLSearchParams(query || "") };
}

function go(path, params) {
  const query = params && params.toString();
  location.hash = "#" + path + (query ? "?" + query : "");
}

async function render() {
  const { path, params } = route();
  const main = document.getElementById("main");
  try {
    const match = path.match(/^\/doc\/(\d+)$/);
    if (match) await renderDocument(Number(match[1]), params);
    else if (path === "/search") await renderSearch(params);
    else await renderList(params);
  } catch (error) {
    say(error.message, true);
  }
  main.dataset.ready = "1";
}

// --- the document list -------------------------------------------------------------------------

function pathPicture(path) {
  const width = 160, height = 48, ns = "http://www.w3.org/2000/svg";
  const [n, m] = path.size;
  const x = (i) => (n ? (i / n) * (width - 4) + 2 : 2);
  const y = (j) => (m ? height - 2 - (j / m) * (height - 4) : height - 2);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "path");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("role", "img");
  const title = document.createElementNS(ns, "title");
  title.textContent = `alignment path: ${n} source against ${m} target sentences; red: low confidence`;
  svg.append(title);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", path.points.map(([i, j]) => `${x(i).toFixed(1)},${y(j).toFixed(1)}`).join(" "));
  svg.append(line);
  for (const [from, to] of path.low) {
    const low = document.createElementNS(ns, "line");
    low.setAttribute("class", "low");
    low.setAttribute("x1", x(path.points[from][0])); low.setAttribute("y1", y(path.points[from][1]));
    low.setAttribute("x2", x(path.points[to][0])); low.setAttribute("y2", y(path.points[to][1]));
    svg.append(low);
  }
  return svg;
}

function pager(page, pages, onPage) {
  return el("div", { class: "pager" },
    el("button", { type: "button", disabled: page <= 1, onclick: () => onPage(page - 1) }, "← previous"),
    el("span", {}, `page ${page} of ${pages}`),
    el("button", { type: "button", disabled: page >= pages, onclick: () => onPage(page + 1) }, "next →"));
}

async function renderList(params) {
  view.doc = null;
  const data = await api(`/api/documents?page=${Number(params.get("page")) || 1}`);
  const rows = data.documents.map((d) => el("tr", { "data-id": d.id },
    el("td", {}, el("a", { href: `#/doc/${d.id}` }, d.name)),
    el("td", {}, d.title || ""),
    el("td", {}, el("span", { class: "progress", title: `${d.reviewed} of ${d.units} reviewed` },
      el("span", { style: null })), ` ${d.reviewed} / ${d.units}`),
    el("td", {}, pathPicture(d.path))));
  data.documents.forEach((d, k) => {
    rows[k].querySelector(".progress span").style.width = `${d.units ? (100 * d.reviewed) / d.units : 0}%`;
  });
  const main = document.getElementById("main");
  main.replaceChildren(
    el("h1", {}, `${data.total} documents`),
    pager(data.page, data.pages, (page) => go("/", new URLSearchParams({ page }))),
    el("table", { class: "documents" },
      el("thead", {}, el("tr", {}, el("th", {}, "document"), el("th", {}, "title"), el("th", {}, "reviewed"),
        el("th", {}, "path (source → target)"))),
      el("tbody", {}, rows)));
  say("");
}

// --- a document ------------------------------------------------------------------------------------

const FILTERS = ["below", "nonone", "unconfirmed", "findings"];

async function renderDocument(id, params, keep) {
  const query = new URLSearchParams();
  for (const name of ["page", "unit", ...FILTERS]) if (params.get(name)) query.set(name, params.get(name));
  const doc = await api(`/api/documents/${id}?${query}`);
  view.doc = doc;
  view.params = params;
  const unit = Number(params.get("unit"));
  const at = doc.units.findIndex((b) => b.unit === unit);
  view.current = at >= 0 ? at : keep ? Math.min(view.current, doc.units.length - 1) : 0;
  view.sentence = 0;
  drawDocument();
}

function filterBar(doc, params) {
  const change = () => {
    const next = new URLSearchParams();
    const below = document.getElementById("f-below").value;
    if (below) next.set("below", below);
    for (const name of ["nonone", "unconfirmed", "findings"]) {
      if (document.getElementById(`f-${name}`).checked) next.set(name, "1");
    }
    go(`/doc/${doc.id}`, next);
  };
  const box = (name, label) => el("label", {}, el("input", { type: "checkbox", id: `f-${name}`,
    checked: params.get(name) === "1", onchange: change }), ` ${label}`);
  return el("div", { class: "toolbar" },
    el("label", {}, "confidence below ", el("input", { id: "f-below", type: "number", min: 0, max: 1, step: 0.05,
      value: params.get("below") || "", onchange: change, style: null })),
    box("nonone", "only non-1-1"), box("unconfirmed", "only unconfirmed"), box("findings", "only with check findings"),
    el("button", { type: "button", id: "realign", onclick: () => realignRest() }, "Re-align the rest (r)"),
    el("button", { type: "button", id: "undo", disabled: !doc.undoable, onclick: () => undoLast() }, "Undo (u)"),
    el("span", { class: "legend" }, el("span", { class: "sure" }, "≥ 0.9"), el("span", { class: "fair" }, "0.5–0.9"),
      el("span", { class: "low" }, "< 0.5")));
}

function sentenceNodes(bead, side, active) {
  return bead[side].map((s, k) => el("span", {
    class: ["sentence", s.opens_paragraph ? "new-paragraph" : "", active && k === view.sentence ? "selected" : ""]
      .filter(Boolean).join(" "),
    "data-index": s.index, title: `${side} sentence ${s.index}, paragraph ${s.paragraph}`,
  }, s.speaker ? el("span", { class: "speaker" }, s.speaker) : null, el("span", { class: "text" }, s.text)));
}

function drawDocument() {
  const doc = view.doc, params = view.params;
  const beads = doc.units.map((b, k) => {
    const current = k === view.current;
    const classes = ["bead", b.band, current ? "current" : "", view.changed.has(b.unit) ? "changed" : "",
      view.mark === b.unit ? "marked" : ""];
    return el("div", { class: classes.filter(Boolean).join(" "), id: `bead-${b.unit}`, "data-unit": b.unit,
      "data-status": b.status, onclick: () => { view.current = k; drawDocument(); } },
      el("div", { class: "meta" }, el("div", {}, `#${b.unit}`), el("div", {}, b.kind),
        el("div", {}, b.confidence.toFixed(2)),
        b.status !== "auto" ? el("div", { class: `status-${b.status}` }, b.status === "confirmed" ? "✓ confirmed" : "✎ edited") : null),
      ...SIDES.map((side) => el("div", { class: `side ${side}${current && view.side === side ? " active" : ""}` },
        sentenceNodes(b, side, current && view.side === side))),
      b.findings.length ? el("div", { class: "findings" },
        b.findings.map((f) => el("div", { class: "finding" }, `${f.severity} ${f.rule}: ${f.message}`))) : null);
  });
  const main = document.getElementById("main");
  main.replaceChildren(
    el("h1", {}, el("a", { href: "#/" }, "documents"), " / ", doc.name),
    el("p", {}, doc.title || "", " · ", `${doc.reviewed} of ${doc.total} beads reviewed · showing ${doc.shown}`,
      " · ", `${doc.languages.source} → ${doc.languages.target}`),
    filterBar(doc, params),
    pager(doc.page, doc.pages, (page) => { const next = new URLSearchParams(params); next.delete("unit");
      next.set("page", page); go(`/doc/${doc.id}`, next); }),
    el("div", { class: "beads", id: "beads" }, beads));
  const node = main.querySelector(".bead.current");
  if (node) node.scrollIntoView({ block: "nearest" });
}

function currentBead() {
  return view.doc && view.doc.units[view.current];
}

function selectedSentence() {
  const bead = currentBead();
  if (!bead || !bead[view.side].length) throw new Error(`this bead has no ${view.side} sentence`);
  return bead[view.side][Math.min(view.sentence, bead[view.side].length - 1)].index;
}

async function reload(unit) {
  const params = new URLSearchParams(view.params);
  params.delete("page");
  if (unit) params.set("unit", unit); else params.delete("unit");
  await renderDocument(view.doc.id, params, true);
}

async function change(path, body, describe, focusUnit) {
  const doc = view.doc;
  const outcome = await api(`/api/documents/${doc.id}/${path}`, { ...body, revision: doc.revision });
  view.changed = path === "realign" ? new Set(outcome.changed) : new Set();
  await reload(focusUnit);
  say(outcome.message || describe);
  return outcome;
}

function operation(kind, args, describe, focusUnit) {
  return change("operations", { kind, arguments: args }, describe, focusUnit);
}

async function realignRest() {
  say("re-aligning…");
  const bead = currentBead();
  await change("realign", {}, "re-aligned", bead && bead.unit);
}

async function undoLast() {
  const bead = currentBead();
  await change("undo", {}, "undone", bead && bead.unit);
}

function moveBead(step) {
  const doc = view.doc;
  const next = view.current + step;
  if (next >= 0 && next < doc.units.length) {
    view.current = next;
    view.sentence = step > 0 ? 0 : 0;
    drawDocument();
    return;
  }
  const page = doc.page + step;
  if (page < 1 || page > doc.pages) return;
  const params = new URLSearchParams(view.params);
  params.delete("unit");
  params.set("page", page);
  renderDocument(doc.id, params).then(() => {
    if (step < 0) { view.current = view.doc.units.length - 1; drawDocument(); }
  });
}

async function nextAttention() {
  const bead = currentBead();
  const found = await api(`/api/documents/${view.doc.id}/next?after=${bead ? bead.unit : 0}`);
  if (!found.unit) { say("no bead needs attention: every bead is reviewed"); return; }
  await reload(found.unit);
  say(`bead ${found.unit} needs attention`);
}

function openEditor() {
  const index = selectedSentence();
  const bead = currentBead();
  const sentence = bead[view.side].find((s) => s.index === index);
  const editor = document.getElementById("editor");
  const text = document.getElementById("editor-text");
  text.value = sentence.text;
  editor.hidden = false;
  editor.dataset.side = view.side;
  editor.dataset.index = index;
  text.focus();
}

function closeOverlays() {
  document.getElementById("help").hidden = true;
  document.getElementById("editor").hidden = true;
}

const KEYS = [
  ["j / ↓", "next bead", (e) => e.key === "j" || (e.key === "ArrowDown" && !e.shiftKey), () => moveBead(1)],
  ["k / ↑", "previous bead", (e) => e.key === "k" || (e.key === "ArrowUp" && !e.shiftKey), () => moveBead(-1)],
  ["h / ←", "work on the source side", (e) => e.key === "h" || e.key === "ArrowLeft",
    () => { view.side = "source"; view.sentence = 0; drawDocument(); }],
  ["l / →", "work on the target side", (e) => e.key === "l" || e.key === "ArrowRight",
    () => { view.side = "target"; view.sentence = 0; drawDocument(); }],
  ["[ / ]", "previous / next sentence of the side", (e) => e.key === "[" || e.key === "]", (e) => {
    const count = currentBead()[view.side].length;
    view.sentence = Math.max(0, Math.min(count - 1, view.sentence + (e.key === "]" ? 1 : -1)));
    drawDocument();
  }],
  ["K / Shift+↑", "move the side's first sentence up into the previous bead",
    (e) => e.key === "K" || (e.key === "ArrowUp" && e.shiftKey),
    () => operation("move-up", { unit: currentBead().unit, side: view.side }, "moved up", currentBead().unit - 1)],
  ["J / Shift+↓", "move the side's last sentence down into the next bead",
    (e) => e.key === "J" || (e.key === "ArrowDown" && e.shiftKey),
    () => operation("move-down", { unit: currentBead().unit, side: view.side }, "moved down", currentBead().unit)],
  ["m", "merge the bead with the next", (e) => e.key === "m",
    () => operation("merge", { unit: currentBead().unit }, "merged", currentBead().unit)],
  ["s", "split the bead before the selected sentence", (e) => e.key === "s",
    () => operation("split-before", { side: view.side, index: selectedSentence() }, "split", currentBead().unit)],
  ["d", "detach the selected sentence as a 1-0 / 0-1 bead", (e) => e.key === "d",
    () => operation("detach", { side: view.side, index: selectedSentence() }, "detached", currentBead().unit)],
  ["e", "edit the selected sentence (a line break splits it)", (e) => e.key === "e", () => openEditor()],
  ["+", "join the selected sentence with the next one", (e) => e.key === "+",
    () => operation("join-sentences", { side: view.side, index: selectedSentence() }, "joined", currentBead().unit)],
  ["c", "confirm the bead", (e) => e.key === "c",
    () => operation("confirm", { units: [currentBead().unit] }, "confirmed", currentBead().unit)],
  ["v", "mark the bead as the start of a range", (e) => e.key === "v",
    () => { view.mark = currentBead().unit; drawDocument(); say(`range starts at bead ${view.mark}`); }],
  ["C", "confirm every bead from the mark (or the page's first) to this one", (e) => e.key === "C", () => {
    const unit = currentBead().unit, from = view.mark || view.doc.units[0].unit;
    const units = [];
    for (let u = Math.min(from, unit); u <= Math.max(from, unit); u++) units.push(u);
    view.mark = null;
    return operation("confirm", { units }, `confirmed ${units.length} beads`, unit);
  }],
  ["n", "jump to the next bead that needs attention", (e) => e.key === "n", () => nextAttention()],
  ["u / Ctrl+Z", "undo the last change", (e) => e.key === "u" || (e.key === "z" && (e.ctrlKey || e.metaKey)),
    () => undoLast()],
  ["r", "re-align the rest around the confirmed and edited beads", (e) => e.key === "r", () => realignRest()],
  ["g", "back to the document list", (e) => e.key === "g", () => go("/")],
  ["/", "search the corpus", (e) => e.key === "/", () => document.getElementById("search").focus()],
  ["?", "show or hide this help", (e) => e.key === "?", () => {
    const help = document.getElementById("help");
    help.hidden = !help.hidden;
  }],
];

function onKey(event) {
  const editor = document.getElementById("editor");
  if (!editor.hidden) {
    if (event.key === "Escape") { closeOverlays(); event.preventDefault(); }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      const text = document.getElementById("editor-text").value;
      closeOverlays();
      const unit = currentBead().unit;
      operation("edit-sentence", { side: editor.dataset.side, index: Number(editor.dataset.index), text },
        "edited", unit).catch((error) => say(error.message, true));
    }
    return;
  }
  if (event.key === "Escape") { closeOverlays(); return; }
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
  if (event.altKey) return;
  const binding = KEYS.find(([, , matches]) => matches(event));
  if (!binding) return;
  const needsDocument = !["g", "/", "?"].includes(binding[0]);
  if (needsDocument && !currentBead()) return;
  event.preventDefault();
  try {
    const result = binding[3](event);
    if (result && result.catch) result.catch((error) => say(error.message, true));
  } catch (error) {
    say(error.message, true);
  }
}

// --- search --------------------------------------------------------------------------------------

function marked(text, spans) {
  const characters = Array.from(text);
  const parts = [];
  let at = 0;
  for (const [start, end] of spans) {
    parts.push(characters.slice(at, start).join(""), el("mark", {}, characters.slice(start, end).join("")));
    at = end;
  }
  parts.push(characters.slice(at).join(""));
  return parts;
}

async function renderSearch(params) {
  view.doc = null;
  const query = params.get("q") || "";
  document.getElementById("search").value = query;
  const data = await api(`/api/search?${new URLSearchParams({ q: query, regex: params.get("regex") || "" })}`);
  const items = data.hits.map((hit) => el("li", {},
    el("a", { href: hit.id ? `#/doc/${hit.id}?unit=${hit.unit || ""}` : null }, `${hit.document} #${hit.unit || "–"}`),
    " ", el("span", { class: "hit" }, marked(hit.text, hit.spans)), el("br"),
    el("span", { class: "counterpart" }, hit.counterpart)));
  document.getElementById("main").replaceChildren(el("h1", {}, `${data.hits.length} hit(s) for “${query}”`),
    el("ul", { class: "hits" }, items));
  say("");
}

function start() {
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", () => { view.changed = new Set(); render(); });
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams({ q: document.getElementById("search").value });
    if (document.getElementById("search-regex").checked) params.set("regex", "1");
    document.getElementById("search").blur();
    go("/search", params);
  });
  document.getElementById("help-button").addEventListener("click", () => {
    document.getElementById("help").hidden = false;
  });
  document.getElementById("help-keys").replaceChildren(...KEYS.map(([keys, what]) =>
    el("tr", {}, el("td", {}, el("kbd", {}, keys)), el("td", {}, what))));
  render();
}

start();
