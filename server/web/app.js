// The page: ask a question (POST /query), show the answer with each row's evidence, and draw an
// entity's neighbourhood (GET /graph.svg, drawn on the server). No outside resources.
"use strict";

const $ = (id) => document.getElementById(id);

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value === null || value === undefined ? "" : String(value);
  if (cls) el.className = cls;
  return el;
}

function showError(body, fallback) {
  const e = body && body.error ? body.error : null;
  let msg = e ? e.message : fallback;
  if (e && e.line) msg = "line " + e.line + ", column " + e.column + ": " + msg;
  $("status").textContent = msg;
  $("status").className = "error";
}

function renderAnswer(answer) {
  const out = $("answer");
  out.replaceChildren();
  const answers = answer.answers ? answer.answers : [answer];
  let rows = 0;
  for (const a of answers) {
    // Leave out the columns no row fills (a question's unused qualifier slots).
    const cols = a.columns.filter((c) => a.rows.some((r) => r.values[c] !== null && r.values[c] !== undefined));
    const table = document.createElement("table");
    table.className = "answer";
    const head = document.createElement("tr");
    for (const c of cols) head.appendChild(text("th", c));
    table.appendChild(head);
    for (const r of a.rows) {
      const tr = document.createElement("tr");
      // A row resting on a candidate (asked for with WITH CANDIDATES) is marked.
      tr.className = r.candidate ? "row candidate" : "row";
      if (r.candidate) tr.title = "a candidate: its best source's confidence is below " + a.min_confidence;
      for (const c of cols) {
        const v = r.values[c];
        const entityLike = typeof v === "string" && ["subject", "object", "on", "via", "name", "from", "to"].includes(c);
        const td = text("td", v, entityLike ? "entity" : "");
        if (entityLike) td.addEventListener("click", () => { $("focus").value = v; draw(); });
        tr.appendChild(td);
      }
      table.appendChild(tr);
      for (const ev of r.evidence || []) {
        const etr = document.createElement("tr");
        etr.className = "evidence";
        const td = document.createElement("td");
        td.colSpan = Math.max(1, cols.length);
        let where = ev.document || "";
        if (ev.date) where += ", " + ev.date;
        if (ev.sentence) where += ", sentence " + ev.sentence;
        if (ev.confidence !== undefined && ev.confidence < a.min_confidence) where += ", rule " + ev.rule + ", confidence " + ev.confidence;
        td.appendChild(text("span", "source: " + where + ": "));
        td.appendChild(text("q", ev.text));
        etr.appendChild(td);
        table.appendChild(etr);
      }
      rows++;
    }
    out.appendChild(table);
    if (a.notice) out.appendChild(text("p", a.notice));
  }
  $("status").className = "";
  $("status").textContent = rows + (rows === 1 ? " row" : " rows");
}

async function ask(q) {
  $("status").className = "";
  $("status").textContent = "asking…";
  try {
    const res = await fetch("/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query: q }) });
    const body = await res.json().catch(() => null);
    if (!res.ok) return showError(body, "the server answered " + res.status);
    renderAnswer(body);
  } catch (err) {
    showError(null, "the server could not be reached");
  }
}

async function draw() {
  const focus = $("focus").value.trim();
  if (!focus) return;
  const url = "/graph.svg?focus=" + encodeURIComponent(focus) + "&depth=" + encodeURIComponent($("depth").value);
  const box = $("graph");
  try {
    const res = await fetch(url);
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      box.replaceChildren(text("p", body && body.error ? body.error.message : "no drawing (" + res.status + ")"));
      return;
    }
    const svg = new DOMParser().parseFromString(await res.text(), "image/svg+xml").documentElement;
    box.replaceChildren(document.importNode(svg, true));
  } catch (err) {
    box.replaceChildren(text("p", "the server could not be reached"));
  }
}

let completing = null;
async function complete() {
  const q = $("focus").value.trim();
  if (q.length < 2 || q === completing) return;
  completing = q;
  const res = await fetch("/search?limit=10&q=" + encodeURIComponent(q)).catch(() => null);
  if (!res || !res.ok) return;
  const body = await res.json();
  $("names").replaceChildren(...body.matches.map((m) => { const o = document.createElement("option"); o.value = m.name; return o; }));
}

$("query-form").addEventListener("submit", (e) => { e.preventDefault(); ask($("query").value); });
$("graph-form").addEventListener("submit", (e) => { e.preventDefault(); draw(); });
$("focus").addEventListener("input", complete);
for (const b of document.querySelectorAll(".example")) {
  b.addEventListener("click", () => { $("query").value = b.textContent; ask(b.textContent); });
}

// A question and a focus may come in the address: /?q=...&focus=...
const params = new URLSearchParams(location.search);
if (params.get("q")) $("query").value = params.get("q");
if (params.get("focus")) $("focus").value = params.get("focus");
ask($("query").value);
draw();
