// The page: ask a question (POST /query), show the answer with each row's evidence and draw it,
// and draw an entity's neighbourhood (GET /graph) to pan, zoom, open (GET /entities/{ref}) and
// expand; a TIMELINE, CHANGES or CONFLICTS answer is drawn as a timeline beside the graph. The
// drawing is laid out here, in plain SVG; nothing is fetched from elsewhere.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG_NS = "http://www.w3.org/2000/svg";

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value === null || value === undefined ? "" : String(value);
  if (cls) el.className = cls;
  return el;
}

function svgEl(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  return el;
}

// ------------------------------------------------------------------------------ evidence

// The sentence with the words the fact was read from in a <mark>. `span` is [begin, end) in
// UTF-8 bytes of `text` (the server counts bytes), so the cut is made on the bytes; a span that
// does not fit the text is ignored rather than cutting a character in two.
function quoteWithSpan(sentence, span) {
  const q = document.createElement("q");
  const s = sentence === null || sentence === undefined ? "" : String(sentence);
  if (Array.isArray(span) && span.length === 2 && Number.isInteger(span[0]) && Number.isInteger(span[1])) {
    const bytes = new TextEncoder().encode(s);
    const [b, e] = span;
    const dec = new TextDecoder("utf-8", { fatal: true });
    if (b >= 0 && b <= e && e <= bytes.length) {
      try {
        const before = dec.decode(bytes.subarray(0, b)), mid = dec.decode(bytes.subarray(b, e)), after = dec.decode(bytes.subarray(e));
        q.append(before, text("mark", mid), after);
        return q;
      } catch (err) {
        // A span inside a character: the plain sentence below.
      }
    }
  }
  q.textContent = s;
  return q;
}

// One source of a fact: where it was read (document, publisher, date, sentence), then the sentence.
function evidenceItem(ev, minConfidence) {
  const item = document.createElement("div");
  item.className = "source";
  const where = document.createElement("span");
  where.append("source: ");
  const title = ev.document || (ev.document_id ? "document #" + ev.document_id : "");
  if (ev.url) {
    const a = text("a", title || ev.url);
    a.href = ev.url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    where.append(a);
  } else {
    where.append(title);
  }
  let rest = "";
  if (ev.publisher) rest += ", " + ev.publisher;
  if (ev.date) rest += ", " + ev.date;
  if (ev.sentence) rest += ", sentence " + ev.sentence;
  if (ev.confidence !== undefined && minConfidence !== undefined && ev.confidence < minConfidence) {
    rest += ", rule " + ev.rule + ", confidence " + ev.confidence;
  }
  where.append(rest + ": ");
  item.append(where, quoteWithSpan(ev.text, ev.span));
  return item;
}

// ------------------------------------------------------------------------------ errors

// The error as the shell shows it: the message with its place, the query's line, and a caret
// under the column (as many carets as the span is long), in a <pre> so the spaces hold.
function errorText(e, queryText) {
  let msg = e.message || "the query failed";
  if (!e.line) return msg;
  msg = "line " + e.line + ", column " + e.column + ": " + msg;
  const lines = String(queryText).split("\n");
  const line = lines[e.line - 1];
  if (line === undefined) return msg;
  // The span counts bytes of the whole query; the column counts characters of its line.
  let col = Math.max(0, (e.column || 1) - 1), width = 1;
  if (e.span && Number.isInteger(e.span.offset)) {
    const bytes = new TextEncoder().encode(queryText);
    const dec = new TextDecoder();
    const start = dec.decode(bytes.subarray(0, Math.min(e.span.offset, bytes.length))).length;
    const lineStart = lines.slice(0, e.line - 1).reduce((n, l) => n + l.length + 1, 0);
    if (start >= lineStart && start <= lineStart + line.length) col = start - lineStart;
    width = Math.max(1, dec.decode(bytes.subarray(e.span.offset, e.span.offset + (e.span.length || 0))).length);
  }
  col = Math.min(col, line.length);
  width = Math.min(width, Math.max(1, line.length - col));
  // A tab before the column stays a tab under it, so the caret lines up however tabs are shown.
  const pad = line.slice(0, col).replace(/[^\t]/g, " ");
  return msg + "\n  " + line + "\n  " + pad + "^".repeat(width);
}

function showError(body, fallback, queryText) {
  const e = body && body.error ? body.error : null;
  // The previous answer goes: under an error it reads as this query's.
  $("answer").replaceChildren();
  hideTimeline();
  if (graph.kind === "answer") graph.clear();
  $("status").textContent = "error";
  $("status").className = "error";
  $("error").textContent = e ? errorText(e, queryText || "") : fallback;
  $("error").hidden = false;
}

// ------------------------------------------------------------------------------ answers

const ENTITY_COLUMNS = ["subject", "object", "on", "via", "name", "from", "to", "entity"];

// A row's readings when its sources disagree: WHO and WHAT's `disputed` column, MATCH's r.disputed.
function disputedOf(values) {
  for (const [c, v] of Object.entries(values || {})) {
    if ((c === "disputed" || c.endsWith(".disputed")) && typeof v === "string" && v) return v;
  }
  return "";
}

function disputedBadge(readings) {
  const b = text("span", "disputed", "badge disputed");
  if (readings) b.title = readings;
  return b;
}

function renderTable(a) {
  // Leave out the columns no row fills (a question's unused qualifier slots).
  const cols = a.columns.filter((c) => a.rows.some((r) => r.values[c] !== null && r.values[c] !== undefined));
  // A timeline's rows quote their sentence in a column: the stated words are marked there, and
  // no source line repeats it under the row.
  const ownSentences = timelineKind(a) !== null;
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
      const entityLike = typeof v === "string" && (ENTITY_COLUMNS.includes(c) || c.endsWith(".name"));
      const td = text("td", v, entityLike ? "entity" : "");
      if (entityLike) td.addEventListener("click", () => { $("focus").value = v; draw(); });
      if (ownSentences && c === "sentence" && r.evidence && r.evidence[0] && r.evidence[0].text === v) {
        td.replaceChildren(quoteWithSpan(v, r.evidence[0].span));
      }
      tr.appendChild(td);
    }
    // Sources that disagree: the row says so, each reading with its latest source on hover.
    const readings = disputedOf(r.values);
    if (readings) {
      tr.classList.add("disputed");
      tr.firstChild.append(disputedBadge(readings));
    }
    table.appendChild(tr);
    if (!ownSentences && r.evidence && r.evidence.length) {
      const etr = document.createElement("tr");
      etr.className = "evidence";
      const td = document.createElement("td");
      td.colSpan = Math.max(1, cols.length);
      for (const ev of r.evidence) td.appendChild(evidenceItem(ev, a.min_confidence));
      etr.appendChild(td);
      table.appendChild(etr);
    }
  }
  return table;
}

function renderAnswer(body, opts = {}) {
  const t0 = performance.now();
  const out = $("answer");
  out.replaceChildren();
  $("error").hidden = true;
  const answers = body.answers ? body.answers : [body];
  let rows = 0, plans = 0;
  for (const a of answers) {
    // EXPLAIN answers with the plan alone ({query, plan}); PROFILE with rows and the plan.
    if (Array.isArray(a.columns)) {
      out.appendChild(renderTable(a));
      rows += a.rows.length;
    }
    if (a.notice) out.appendChild(text("p", a.notice));
    if (a.plan) {
      const h = text("h3", Array.isArray(a.columns) ? "Plan, as run" : "Plan");
      out.append(h, text("pre", a.plan, "plan"));
      plans++;
    }
  }
  $("status").className = "";
  const said = [];
  if (rows || !plans) said.push(rows + (rows === 1 ? " row" : " rows"));
  if (plans) said.push(plans === 1 ? "the plan" : plans + " plans");
  $("status").textContent = said.join(" and ");
  const timeline = renderTimeline(answers);
  // A timeline asked from an entity's card leaves the drawing the card was opened from.
  if (!(timeline && opts.keepDrawing && graph.nodes.size)) {
    const g = answerGraph(answers);
    if (g.links.length || g.nodes.length) graph.showAnswer(g);
  }
  if (timeline) timelineStats.answerMs = performance.now() - t0;
}

// ------------------------------------------------------------------------------ the timeline

// "timeline", "changes" or "conflicts" for an answer of TIMELINE, CHANGES or CONFLICTS (told by
// their columns), else null.
function timelineKind(a) {
  if (!a || !Array.isArray(a.columns) || a.columns[0] !== "date") return null;
  return { step: "timeline", change: "changes", conflict: "conflicts" }[a.columns[1]] || null;
}

// A fact as the timeline names it: "Kestrel Systems SUPPORTS Quill OS (on Vega, as guest)". The
// rows carry no relation ids, so the label is read: the relation type is the first word of
// capitals (and _) four or more long after the subject (a subject with such a word in it, "ACME
// CORP", is cut there), and the qualifiers a last bracket of "slot value" pairs (a name's own
// bracket, "Hyper-V (2008)", stays in the name).
const FACT = /^(.+?) ([A-Z][A-Z0-9_]{3,}) (.+?)(?: \(([a-z_]+ [^,()]+(?:, [a-z_]+ [^,()]+)*)\))?$/;

function parseFact(label) {
  const m = FACT.exec(label || "");
  return m ? { subject: m[1], type: m[2], object: m[3], qualifiers: m[4] || "" } : null;
}

// The publisher of a row's source: its evidence's, else the source column up to its title.
function publisherOf(ev, source) {
  if (ev && ev.publisher) return ev.publisher;
  const s = String(source || "");
  const at = s.indexOf(": ");
  return at > 0 ? s.slice(0, at) : s;
}

// The steps of a timeline answer, in date order (oldest first), undated ones last. One sentence
// that tells several facts the same way (both parties to an agreement) is one step listing them.
function timelineSteps(a, kind) {
  const byTelling = new Map();
  const steps = [];
  a.rows.forEach((r, i) => {
    const v = r.values, ev = r.evidence || [];
    if (kind !== "conflicts") {
      const key = JSON.stringify([v.date, v.step || v.change, v.status, v.source, v.sentence, ev[0] ? ev[0].span : null]);
      const same = byTelling.get(key);
      if (same) {
        same.facts.push(v.fact || "");
        return;
      }
    }
    const step = { i, date: v.date, kind: v.step || v.change || v.conflict || "", facts: [v.fact || ""], evidence: ev };
    if (kind === "conflicts") {
      step.sides = [v["one source"], v["the other"]];
      step.publishers = ev.map((e) => publisherOf(e, ""));
      step.status = ev.length === 2 ? "one source against another" : "";
    } else {
      step.status = v.status || "";
      step.publishers = [publisherOf(ev[0], v.source)];
      step.source = v.source || "";
      byTelling.set(JSON.stringify([v.date, v.step || v.change, v.status, v.source, v.sentence, ev[0] ? ev[0].span : null]), step);
    }
    steps.push(step);
  });
  const dated = steps.filter((s) => s.date && s.date !== "undated");
  dated.sort((p, q) => (p.date < q.date ? -1 : p.date > q.date ? 1 : p.i - q.i));
  return { dated, undated: steps.filter((s) => !s.date || s.date === "undated") };
}

function hideTimeline() {
  const box = $("timeline");
  box.hidden = true;
  box.replaceChildren();
  for (const l of graph.links.values()) l.el.classList.remove("picked");
}

// Draws the first TIMELINE, CHANGES or CONFLICTS answer of `answers` beside the graph (and
// returns it), or hides the panel when there is none.
function renderTimeline(answers) {
  const a = answers.find((x) => timelineKind(x));
  if (!a) {
    hideTimeline();
    return null;
  }
  const t0 = performance.now();
  const kind = timelineKind(a);
  const box = $("timeline");
  const { dated, undated } = timelineSteps(a, kind);
  const head = document.createElement("div");
  head.className = "card-head";
  const about = /^\s*(?:TIMELINE|CHANGES\s+OF|CONFLICTS\s+ABOUT)\s+("(?:[^"\\]|\\.)*"|\S+)/i.exec(a.query || "");
  const name = about ? about[1].replace(/^"|"$/g, "") : "";
  const title = { timeline: "Timeline", changes: "Changes", conflicts: "Conflicts" }[kind] + (name ? " of " + name : "");
  const close = text("button", "×", "close");
  close.type = "button";
  close.title = "close the timeline";
  close.addEventListener("click", hideTimeline);
  head.append(text("h2", title), close);
  const parts = [head];
  const n = dated.length;
  parts.push(text("p", n ? n + (n === 1 ? " dated step" : " dated steps") + ", " + dated[0].date + " to " + dated[n - 1].date +
                       (kind === "conflicts" ? " (each where the sources came to disagree)" : "")
                     : "no dated steps", "timeline-summary"));
  if (a.notice) parts.push(text("p", a.notice, "timeline-summary"));
  parts.push(stepList(dated, kind, "axis"));
  if (undated.length) {
    parts.push(text("h3", "Undated sources (" + undated.length + ")"));
    parts.push(text("p", "Listed apart: an undated source never overrides a dated one.", "undated-note"));
    parts.push(stepList(undated, kind, "axis undated"));
  }
  box.replaceChildren(...parts);
  box.dataset.kind = kind;
  box.hidden = false;
  void box.offsetHeight;  // laid out now, so that the time below includes it
  timelineStats.ms = performance.now() - t0;
  timelineStats.steps = dated.length + undated.length;
  timelineStats.rows = a.rows.length;
  return a;
}

// How long the last timeline took to draw: the panel alone, and the whole answer (table, panel
// and drawing laid out). The tests read it.
const timelineStats = { ms: 0, answerMs: 0, steps: 0, rows: 0 };

function stepList(steps, kind, cls) {
  const ol = document.createElement("ol");
  ol.className = cls;
  let year = null;
  for (const s of steps) {
    const y = s.date && s.date !== "undated" ? s.date.slice(0, 4) : null;
    if (y && y !== year) {
      ol.appendChild(text("li", y, "year"));
      year = y;
    }
    ol.appendChild(stepItem(s, kind));
  }
  return ol;
}

// One step: its date, kind, fact, status change and publisher; a click shows its sentence (each
// side's, for a conflict) with the stated words marked, and picks its line in the drawing.
function stepItem(s, kind) {
  const li = document.createElement("li");
  li.className = "step";
  li.tabIndex = 0;
  li.dataset.kind = s.kind;
  li.dataset.date = s.date || "undated";
  li.dataset.publisher = s.publishers.filter((p) => p).join(" | ");
  li.dataset.fact = s.facts.join("\n");
  const top = document.createElement("div");
  top.append(text("span", s.date || "undated", "step-when"), text("span", s.kind, "step-kind"));
  li.append(top, ...s.facts.map((f) => text("div", f, "step-fact")));
  if (kind === "conflicts") {
    for (const side of s.sides) if (side) li.appendChild(text("div", side.replace(/: .*$/, ""), "step-status"));
  } else {
    li.appendChild(text("div", s.status.replace(/ -> /g, " → "), "step-status"));
    li.appendChild(text("div", s.source || s.publishers[0], "step-who"));
  }
  const toggle = () => {
    const open = li.classList.toggle("open");
    let detail = li.querySelector(".step-detail");
    if (open && !detail) {
      detail = document.createElement("div");
      detail.className = "step-detail";
      if (s.evidence.length) for (const ev of s.evidence) detail.appendChild(evidenceItem(ev));
      else for (const side of s.sides || []) detail.appendChild(text("p", side));
      li.appendChild(detail);
    }
    if (detail) detail.hidden = !open;
    if (open) pickFacts(s.facts);
  };
  li.addEventListener("click", toggle);
  li.addEventListener("keydown", (e) => { if (e.key === "Enter") toggle(); });
  return li;
}

// Marks the lines of the facts `labels` in the drawing, those that are drawn.
function pickFacts(labels) {
  const facts = labels.map(parseFact).filter((f) => f);
  for (const l of graph.links.values()) {
    const hit = l.rels.some((r) => facts.some((f) => r.type === f.type && r.source.name === f.subject && r.target.name === f.object));
    l.el.classList.toggle("picked", hit);
  }
}

// A relation cell of a MATCH row: "Apple -PARTNERS_WITH-> IBM".
const RELATION_VALUE = /^(.+) -([A-Za-z_][\w]*)-> (.+)$/;

// A MATCH pattern's chain, read from the query for the relations it does not return:
// (c:Company)-[:PARTNERS_WITH]-(d:Company) gives c -PARTNERS_WITH- d. Only a simple chain is read;
// anything else gives no edges (the returned relation columns still do).
function patternOf(query) {
  const m = /\bMATCH\b([\s\S]*?)(\bWHERE\b|\bRETURN\b|$)/i.exec(query || "");
  if (!m) return [];
  const chain = m[1];
  const node = String.raw`\(\s*([A-Za-z_]\w*)?\s*(?::\s*\w+)?[^)]*\)`;
  const rel = String.raw`\s*(<)?-\s*(?:\[\s*([A-Za-z_]\w*)?\s*(?::\s*([\w|]+))?[^\]]*\])?\s*-(>)?\s*`;
  const segs = [];
  const step = new RegExp(node + rel + node, "y");
  for (let at = chain.indexOf("("); at >= 0 && at < chain.length;) {
    step.lastIndex = at;
    const s = step.exec(chain);
    if (!s) break;
    const [, from, back, relVar, type, fwd, to] = s;
    segs.push({ from, to, relVar, type: type || "", dir: back && !fwd ? -1 : fwd && !back ? 1 : 0 });
    // The next step starts at this step's last node.
    at = s.index + s[0].lastIndexOf("(");
  }
  return segs;
}

// An answer as nodes (entity names) and links (relations), with each row's evidence on the
// relations it gave: a PATH as its chain, a question's rows as subject -> object (and the object
// on its platform), a MATCH's entity columns as nodes and its relation columns as edges.
function answerGraph(answers) {
  const nodes = new Map(), rels = new Map();
  const node = (name) => { if (!nodes.has(name)) nodes.set(name, { name }); return name; };
  const rel = (source, type, target, row, directed = true) => {
    node(source);
    node(target);
    const [a, b] = directed || source < target ? [source, target] : [target, source];
    const key = a + "\u0000" + type + "\u0000" + b;
    let r = rels.get(key);
    if (!r) {
      r = { source: a, target: b, type, directed, evidence: [], qualifiers: {} };
      rels.set(key, r);
    }
    for (const ev of row.evidence || []) {
      if (!r.evidence.some((x) => x.text === ev.text && x.document === ev.document)) r.evidence.push(ev);
    }
    return r;
  };
  for (const a of answers) {
    if (!Array.isArray(a.columns)) continue;
    const cols = a.columns;
    const has = (c) => cols.includes(c);
    const segs = /^\s*(PROFILE\s+)?MATCH\b/i.test(a.query || "") ? patternOf(a.query) : [];
    const timeline = timelineKind(a);
    for (const row of a.rows) {
      const v = row.values;
      const str = (c) => (typeof v[c] === "string" && v[c] !== "" ? v[c] : null);
      if (timeline) {
        // A timeline's facts, each drawn once with every source the answer gives it.
        const f = parseFact(str("fact"));
        if (!f) continue;
        const r = rel(f.subject, f.type, f.object, row);
        if (timeline === "conflicts") r.qualifiers.disputed = str("one source") + " | " + str("the other");
      } else if (has("relation") && (has("to") || has("entity")) && has("from")) {
        // PATH (from, relation, to) and NEIGHBOURHOOD (from, relation, entity): "TYPE ->" or "<- TYPE".
        const far = str("to") || str("entity"), from = str("from"), how = str("relation") || "";
        if (!from || !far) continue;
        const type = how.replace(/<-|->/g, "").trim();
        if (how.startsWith("<-")) rel(far, type, from, row);
        else rel(from, type, far, row);
      } else if (has("subject") && has("object")) {
        const s = str("subject"), o = str("object");
        if (!s || !o) continue;
        // A quoted subject first: "Brightwave Labs" is one name, not a verb after its first word.
        const verb = /^\s*(?:PROFILE\s+)?(?:WHO|WHAT\s+DOES\s+"[^"]*"|WHAT\s+DOES\s+\S+)\s+([A-Z_]+)/i.exec(a.query || "");
        const r = rel(s, verb ? verb[1].toUpperCase() : "answer", o, row);
        for (const q of ["as", "status", "date", "since", "until", "on", "via", "stated", "disputed"]) if (str(q)) r.qualifiers[q] = str(q);
        for (const q of ["on", "via"]) if (str(q)) rel(o, q, str(q), row).qualifier = true;
      } else {
        // MATCH: relation cells give edges; entity columns (v or v.name) give nodes, and the
        // pattern's relations between two of them that no relation cell gives, edges.
        const given = new Set();
        for (const c of cols) {
          const m = typeof v[c] === "string" ? RELATION_VALUE.exec(v[c]) : null;
          if (m) {
            const r = rel(m[1], m[2], m[3], row);
            if (disputedOf(v)) r.qualifiers.disputed = disputedOf(v);
            given.add(c);
          }
        }
        const entityOf = (variable) => (variable ? str(variable + ".name") || (given.has(variable) ? null : str(variable)) : null);
        for (const c of cols) {
          if (given.has(c)) continue;
          const variable = c.endsWith(".name") ? c.slice(0, -5) : c;
          if (segs.some((s) => s.from === variable || s.to === variable) && str(c)) node(str(c));
        }
        for (const s of segs) {
          if (s.relVar && given.has(s.relVar)) continue;
          const from = entityOf(s.from), to = entityOf(s.to);
          if (!from || !to || from === to) continue;
          const type = s.type || "related";
          const r = s.dir < 0 ? rel(to, type, from, row) : rel(from, type, to, row, s.dir > 0);
          if (disputedOf(v)) r.qualifiers.disputed = disputedOf(v);
        }
      }
    }
  }
  return { nodes: [...nodes.values()], links: [...rels.values()] };
}

// ------------------------------------------------------------------------------ the drawing

// A fixed seed: the same graph is laid out the same way every time (and in the tests).
function seededRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPE_COLORS = {
  Company: "#3b82f6", Organization: "#0ea5e9", Product: "#22c55e", Person: "#f59e0b", Program: "#a855f7",
  Agreement: "#f43f5e", Term: "#64748b", Claim: "#94a3b8",
};
const LABEL_MAX = 30;  // characters of a name shown beside its node; the whole name on hover
const LINK_LENGTH = 90;  // the length a link settles at, in drawing units
const MIN_FIT_SCALE = 0.8;  // `fit` zooms out no further: names stay apart; the rest is a drag away

const graph = {
  kind: null,            // "answer" or "neighbourhood": what the drawing shows
  nodes: new Map(),      // key ("#12", or "n:Name" until the id is known) -> node
  links: new Map(),      // "uidA|uidB" -> link (every relation between two nodes)
  nextUid: 1,
  scale: 1, tx: 0, ty: 0,
  random: seededRandom(18),
  cards: new Map(),      // entity id -> card JSON (a relation's qualifiers and sources on hover)

  clear() {
    this.nodes.clear();
    this.links.clear();
    $("nodes").replaceChildren();
    $("links").replaceChildren();
    this.kind = null;
    this.random = seededRandom(18);
    // Cards are kept for one drawing: the store may have learnt more since.
    this.cards.clear();
    hideTip();
    $("card").hidden = true;
    $("graph-status").textContent = "";
    this.legend();
  },

  node(n) {
    // One node per entity: a node known by name (from an answer) takes its id when it comes.
    const byId = n.id !== undefined && n.id !== null ? this.nodes.get("#" + n.id) : null;
    if (byId) return byId;
    const byName = this.nodes.get("n:" + n.name);
    if (byName) {
      if (n.id !== undefined && n.id !== null) {
        this.nodes.delete("n:" + n.name);
        byName.id = n.id;
        byName.key = "#" + n.id;
        this.nodes.set(byName.key, byName);
        byName.el.setAttribute("data-id", n.id);
      }
      if (n.type && !byName.type) this.setType(byName, n.type);
      return byName;
    }
    const key = n.id !== undefined && n.id !== null ? "#" + n.id : "n:" + n.name;
    const node = { key, uid: this.nextUid++, id: n.id, name: n.name, type: n.type || "", x: 0, y: 0, placed: false, fixed: false };
    const g = svgEl("g", { class: "node", "data-name": n.name });
    if (n.id !== undefined && n.id !== null) g.setAttribute("data-id", n.id);
    node.circle = svgEl("circle", { r: 8 });
    const label = n.name.length > LABEL_MAX ? n.name.slice(0, LABEL_MAX - 1) + "…" : n.name;
    node.label = svgEl("text", { x: 11, y: 4 });
    node.label.textContent = label;
    node.title = svgEl("title");
    g.append(node.circle, node.label, node.title);
    node.el = g;
    this.setType(node, node.type);
    g.addEventListener("pointerdown", (e) => startDrag(e, node));
    g.addEventListener("dblclick", (e) => { e.stopPropagation(); expand(node); });
    // From the keyboard: Tab to a node, Enter for its card, + to expand it.
    g.setAttribute("tabindex", "0");
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter") openCard(node);
      else if (e.key === "+") expand(node);
    });
    $("nodes").appendChild(g);
    this.nodes.set(key, node);
    return node;
  },

  setType(node, type) {
    node.type = type || "";
    node.circle.setAttribute("fill", TYPE_COLORS[node.type] || "#cbd5e1");
    node.title.textContent = node.name + (node.type ? " (" + node.type + ")" : "");
    node.el.setAttribute("data-type", node.type);
  },

  // A relation between two nodes, kept on their link: {id?, type, source, target (nodes),
  // qualifiers?, evidence?}. The same relation from an answer and from a neighbourhood is one.
  relation(r) {
    const a = r.source.uid < r.target.uid ? r.source : r.target, b = a === r.source ? r.target : r.source;
    const key = a.uid + "|" + b.uid;
    let link = this.links.get(key);
    if (!link) {
      link = { key, a, b, rels: [] };
      const g = svgEl("g", { class: "link" });
      link.hit = svgEl("line", { class: "hit" });
      link.line = svgEl("line", { class: "line" });
      link.text = svgEl("text", { class: "link-label" });
      g.append(link.hit, link.line, link.text);
      g.addEventListener("pointerenter", (e) => showTip(link, e));
      g.addEventListener("pointermove", (e) => moveTip(e));
      g.addEventListener("pointerleave", () => hideTipSoon());
      // A press on the line: its relations beside the drawing when the pointer is let go without
      // moving (the drawing captures the pointer to pan, so a click event never reaches the line).
      g.addEventListener("pointerdown", (e) => startDrag(e, null, link));
      link.el = g;
      $("links").appendChild(g);
      this.links.set(key, link);
    }
    const same = link.rels.find((x) => (r.id !== undefined && x.id === r.id) ||
      ((x.id === undefined || r.id === undefined) && x.type === r.type && x.source === r.source && x.target === r.target));
    if (same) {
      if (r.id !== undefined) same.id = r.id;
      for (const k of ["documents", "publishers", "disputed"]) if (r[k] !== undefined) same[k] = r[k];
      if (r.evidence && r.evidence.length && !(same.evidence && same.evidence.length)) same.evidence = r.evidence;
      if (r.qualifiers && Object.keys(r.qualifiers).length && !(same.qualifiers && Object.keys(same.qualifiers).length)) same.qualifiers = r.qualifiers;
    } else {
      link.rels.push(r);
    }
    // The label names each type once, with its direction from a to b.
    const names = [...new Set(link.rels.map((x) => (x.directed === false ? "" : x.source === b ? "← " : "") + x.type))];
    link.text.textContent = names.join(", ");
    const forward = link.rels.every((x) => x.directed !== false && x.source === a), backward = link.rels.every((x) => x.directed !== false && x.source === b);
    link.dir = forward ? 1 : backward ? -1 : 0;
    link.el.classList.toggle("qualifier", link.rels.every((x) => x.qualifier));
    this.styleLink(link);
    return link;
  },

  // Corroboration and disagreement on a line: wider the more documents state its relations (1:
  // the plain width), dashed orange when the sources of one of them disagree.
  styleLink(link) {
    const documents = Math.max(0, ...link.rels.map((x) => x.documents || 0));
    const disputed = link.rels.some((x) => x.disputed || (x.qualifiers && x.qualifiers.disputed));
    link.documents = documents;
    link.el.classList.toggle("disputed", disputed);
    link.el.dataset.disputed = disputed ? "yes" : "no";
    if (documents) {
      link.el.dataset.documents = documents;
      link.el.dataset.publishers = Math.max(0, ...link.rels.map((x) => x.publishers || 0));
      link.line.style.strokeWidth = (1.3 + Math.min(4, 1.5 * Math.log2(documents))).toFixed(2) + "px";
    }
  },

  // What an entity's card says of the relations drawn from it (an answer's relations have no id):
  // their ids and corroboration. Several stored relations drawn as one (a WHO row's platforms)
  // give the most documents, and any disagreement.
  corroborate(node, card) {
    for (const link of this.links.values()) {
      if (link.a !== node && link.b !== node) continue;
      let changed = false;
      for (const r of link.rels) {
        if (r.source !== node || (r.id !== undefined && r.documents !== undefined)) continue;
        // A question's verb names its relation type or starts it (WHAT DOES X SUPPORT: SUPPORTS).
        const same = (card.outgoing || []).filter((x) => (r.id !== undefined ? x.id === r.id : x.type.startsWith(r.type) && x.object === r.target.name));
        if (!same.length) continue;
        if (same.length === 1 && r.id === undefined) r.id = same[0].id;
        r.documents = Math.max(...same.map((x) => x.documents || 0));
        r.publishers = Math.max(...same.map((x) => x.publishers || 0));
        r.disputed = r.disputed || same.some((x) => x.disputed);
        changed = true;
      }
      if (changed) this.styleLink(link);
    }
  },

  // Places the nodes not yet placed and lays them out with forces: nodes push each other apart,
  // links pull their ends together. A fresh drawing lays out each connected piece on its own and
  // packs the pieces in rows (one force layout drove unlinked pieces far apart). In an expansion
  // the new nodes start beside the node they hang from, and the nodes drawn before stay where
  // they are, so that the user's picture is not reshuffled.
  layout(iterations = 300) {
    const all = [...this.nodes.values()];
    const moving = all.filter((n) => !n.placed);
    if (!moving.length) return;
    const links = [...this.links.values()];
    const neighbours = new Map(all.map((n) => [n, []]));
    for (const l of links) {
      neighbours.get(l.a).push(l.b);
      neighbours.get(l.b).push(l.a);
    }
    if (moving.length < all.length) {
      for (const n of moving) {
        const anchor = neighbours.get(n).find((m) => m.placed);
        const r = this.random() * (anchor ? LINK_LENGTH : LINK_LENGTH * 3), t = this.random() * 2 * Math.PI;
        n.x = (anchor ? anchor.x : 0) + r * Math.cos(t);
        n.y = (anchor ? anchor.y : 0) + r * Math.sin(t);
      }
      this.simulate(all, moving, links, iterations, LINK_LENGTH);
      this.separateLabels(all, moving);
    } else {
      const pieces = [], seen = new Set();
      for (const n of all) {
        if (seen.has(n)) continue;
        const piece = [n];
        seen.add(n);
        for (let i = 0; i < piece.length; i++) {
          for (const m of neighbours.get(piece[i])) if (!seen.has(m)) { seen.add(m); piece.push(m); }
        }
        pieces.push(piece);
      }
      for (const piece of pieces) {
        const inPiece = new Set(piece);
        const spread = LINK_LENGTH * Math.sqrt(piece.length);
        for (const n of piece) {
          const r = this.random() * spread, t = this.random() * 2 * Math.PI;
          n.x = r * Math.cos(t);
          n.y = r * Math.sin(t);
        }
        if (piece.length > 1) this.simulate(piece, piece, links.filter((l) => inPiece.has(l.a)), iterations, spread / 2);
        this.separateLabels(piece, piece);
      }
      this.pack(pieces);
    }
    for (const n of moving) n.placed = true;
  },

  simulate(nodes, moving, links, iterations, temp) {
    const k = LINK_LENGTH;
    const free = (n) => !n.placed;
    for (let it = 0; it < iterations; it++) {
      for (const n of moving) { n.dx = 0; n.dy = 0; }
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const p = nodes[i], q = nodes[j];
          let dx = p.x - q.x, dy = p.y - q.y, d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = this.random() - 0.5; dy = this.random() - 0.5; d2 = 0.25; }
          if (d2 > 144 * k * k) continue;
          const f = (k * k) / d2;
          if (free(p)) { p.dx += dx * f; p.dy += dy * f; }
          if (free(q)) { q.dx -= dx * f; q.dy -= dy * f; }
        }
      }
      for (const l of links) {
        const dx = l.a.x - l.b.x, dy = l.a.y - l.b.y, d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        const f = d / k;
        if (free(l.a)) { l.a.dx -= dx * f; l.a.dy -= dy * f; }
        if (free(l.b)) { l.b.dx += dx * f; l.b.dy += dy * f; }
      }
      for (const n of moving) {
        // A weak pull to the middle keeps the piece together.
        n.dx -= n.x * 0.01;
        n.dy -= n.y * 0.01;
        const d = Math.sqrt(n.dx * n.dx + n.dy * n.dy) || 1;
        const step = Math.min(d, temp);
        n.x += (n.dx / d) * step;
        n.y += (n.dy / d) * step;
      }
      temp = Math.max(1, temp * 0.985);
    }
  },

  // The laid-out pieces in rows, largest first, the rows about as wide as the page is wide
  // for their area.
  pack(pieces) {
    const s = MIN_FIT_SCALE, gap = 50 / s;
    const boxes = pieces.map((piece) => {
      const left = Math.min(...piece.map((n) => n.x - 12 / s)), right = Math.max(...piece.map((n) => n.x + labelWidth(n) / s));
      const top = Math.min(...piece.map((n) => n.y - 14 / s)), bottom = Math.max(...piece.map((n) => n.y + 14 / s));
      return { piece, left, top, w: right - left, h: bottom - top };
    });
    boxes.sort((p, q) => q.piece.length - p.piece.length || q.h - p.h);
    const area = boxes.reduce((a, b) => a + (b.w + gap) * (b.h + gap), 0);
    const rowWidth = Math.max(boxes[0].w, Math.sqrt(area * 2));
    let x = 0, y = 0, rowHeight = 0;
    for (const b of boxes) {
      if (x > 0 && x + b.w > rowWidth) { x = 0; y += rowHeight + gap; rowHeight = 0; }
      for (const n of b.piece) { n.x += x - b.left; n.y += y - b.top; }
      x += b.w + gap;
      rowHeight = Math.max(rowHeight, b.h);
    }
  },

  // Forces leave names on top of each other around a busy node. Each node's label takes a box
  // (its width from the name's length, at the smallest scale `fit` uses); boxes that overlap are
  // pushed apart, the moving nodes only, along the shorter way out.
  separateLabels(all, moving) {
    const s = MIN_FIT_SCALE;
    const box = (n) => ({ left: n.x - 10 / s, right: n.x + labelWidth(n) / s, half: 11 / s });
    for (let round = 0; round < 60; round++) {
      let moved = false;
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          const p = all[i], q = all[j];
          if (p.placed && q.placed) continue;
          const bp = box(p), bq = box(q);
          const ox = Math.min(bp.right, bq.right) - Math.max(bp.left, bq.left);
          const oy = bp.half + bq.half - Math.abs(p.y - q.y);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          const share = p.placed || q.placed ? 1 : 0.5;
          if (oy <= ox) {
            const dir = p.y < q.y || (p.y === q.y && p.uid < q.uid) ? -1 : 1;
            if (!p.placed) p.y += dir * oy * share;
            if (!q.placed) q.y -= dir * oy * share;
          } else {
            const dir = p.x < q.x || (p.x === q.x && p.uid < q.uid) ? -1 : 1;
            if (!p.placed) p.x += dir * ox * share;
            if (!q.placed) q.x -= dir * ox * share;
          }
        }
      }
      if (!moved) break;
    }
  },

  // Node positions on the screen: drawing units times the scale, plus the pan. Labels and circles
  // are drawn in screen pixels, so text stays the same size however large the graph or the zoom.
  render() {
    const s = this.scale;
    for (const n of this.nodes.values()) {
      n.sx = n.x * s + this.tx;
      n.sy = n.y * s + this.ty;
      n.el.setAttribute("transform", "translate(" + n.sx.toFixed(1) + "," + n.sy.toFixed(1) + ")");
    }
    // Relation names only where there is room for them.
    const labels = this.links.size <= 40 || s >= 1.2;
    for (const l of this.links.values()) {
      let x1 = l.a.sx, y1 = l.a.sy, x2 = l.b.sx, y2 = l.b.sy;
      if (l.dir < 0) [x1, y1, x2, y2] = [x2, y2, x1, y1];
      const dx = x2 - x1, dy = y2 - y1, d = Math.sqrt(dx * dx + dy * dy) || 1;
      const cut = Math.min(11, d / 3);
      const ends = { x1: x1 + (dx / d) * cut, y1: y1 + (dy / d) * cut, x2: x2 - (dx / d) * cut, y2: y2 - (dy / d) * cut };
      for (const line of [l.hit, l.line]) for (const [k, v] of Object.entries(ends)) line.setAttribute(k, v.toFixed(1));
      if (l.dir !== 0) l.line.setAttribute("marker-end", "url(#arrow)");
      else l.line.removeAttribute("marker-end");
      l.text.setAttribute("x", ((x1 + x2) / 2).toFixed(1));
      l.text.setAttribute("y", ((y1 + y2) / 2 - 3).toFixed(1));
      l.text.style.display = labels ? "" : "none";
    }
  },

  // Scale and pan that show the whole drawing. Drawn afresh, a large graph is not shrunk below a
  // scale at which its names would run into each other (the rest is a drag away); the fit
  // button (`everything`) shows it all, however small.
  fit(everything = false) {
    const box = $("drawing").getBoundingClientRect();
    const w = box.width || 800, h = box.height || 560;
    const ns = [...this.nodes.values()];
    if (!ns.length) return;
    const xs = ns.map((n) => n.x), ys = ns.map((n) => n.y);
    const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
    const margin = 60;
    // Room on the right for the last label.
    const s = Math.min((w - 2 * margin - 120) / Math.max(1, maxX - minX), (h - 2 * margin) / Math.max(1, maxY - minY));
    this.scale = Math.max(everything ? 0.1 : MIN_FIT_SCALE, Math.min(1.6, s));
    const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    this.tx = (w - 120) / 2 - cx * this.scale;
    this.ty = h / 2 - cy * this.scale;
    this.render();
  },

  allInView() {
    const box = $("drawing").getBoundingClientRect();
    return [...this.nodes.values()].every((n) => n.sx >= 10 && n.sy >= 10 && n.sx <= box.width - 10 && n.sy <= box.height - 10);
  },

  zoom(factor, px, py) {
    const box = $("drawing").getBoundingClientRect();
    if (px === undefined) { px = box.width / 2; py = box.height / 2; }
    const next = Math.max(0.1, Math.min(8, this.scale * factor));
    // The point under the cursor stays under it.
    this.tx = px - ((px - this.tx) * next) / this.scale;
    this.ty = py - ((py - this.ty) * next) / this.scale;
    this.scale = next;
    this.render();
  },

  legend() {
    const types = [...new Set([...this.nodes.values()].map((n) => n.type).filter((t) => t))].sort();
    const keys = types.map((t) => {
      const s = text("span", t);
      s.style.setProperty("--dot", TYPE_COLORS[t] || "#cbd5e1");
      return s;
    });
    if (this.links.size) {
      const width = text("span", "wider: stated by more documents", "key-width");
      width.title = "a line's width grows with the number of distinct documents that state its relation";
      keys.push(width, text("span", "disputed: sources disagree", "key-disputed"));
    }
    $("legend").replaceChildren(...keys);
  },

  // A neighbourhood from GET /graph: added to the drawing (an expansion) or drawn afresh.
  addNeighbourhood(body, fresh) {
    if (fresh) this.clear();
    this.kind = this.kind || "neighbourhood";
    const byId = new Map();
    for (const n of body.nodes) byId.set(n.id, this.node(n));
    if (fresh && body.nodes.length) {
      // The entity asked about is drawn larger.
      const focus = byId.get(body.nodes[0].id);
      focus.focus = true;
      focus.circle.setAttribute("r", 11);
      focus.el.classList.add("focus");
    }
    for (const e of body.edges) {
      const s = byId.get(e.source), t = byId.get(e.target);
      if (s && t) this.relation({ id: e.id, type: e.type, source: s, target: t, documents: e.documents, publishers: e.publishers, disputed: e.disputed });
    }
    this.settle(fresh);
  },

  showAnswer(g) {
    this.clear();
    this.kind = "answer";
    const byName = new Map(g.nodes.map((n) => [n.name, this.node({ name: n.name })]));
    for (const r of g.links) {
      this.relation({ type: r.type, source: byName.get(r.source), target: byName.get(r.target), directed: r.directed,
                      evidence: r.evidence, qualifiers: r.qualifiers, qualifier: r.qualifier });
    }
    this.settle(true);
    $("graph-status").textContent = "the answer: " + g.nodes.length + (g.nodes.length === 1 ? " entity" : " entities");
    // Each entity's type and id, for its colour and for expanding it (a few dozen at most).
    for (const node of [...this.nodes.values()].slice(0, 60)) {
      getCard(node.name).then((card) => {
        if (card && this.nodes.get(node.key) === node) {
          this.node({ id: card.id, name: node.name, type: card.type });
          this.corroborate(node, card);
          this.legend();
        }
      });
    }
  },

  settle(fresh) {
    this.layout();
    if (fresh) this.fit();
    else this.render();
    this.legend();
  },
};

// About how wide a node's label is on the screen, in pixels (12 px text), its circle included.
function labelWidth(n) { return 14 + 7 * Math.min(n.name.length, LABEL_MAX); }

// ---- pan, zoom, drag, click

let drag = null;

function startDrag(e, node, link = null) {
  if (e.button !== 0) return;
  e.stopPropagation();
  drag = { node, link, x: e.clientX, y: e.clientY, tx: graph.tx, ty: graph.ty, nx: node ? node.x : 0, ny: node ? node.y : 0, moved: false };
  $("drawing").setPointerCapture(e.pointerId);
}

$("drawing").addEventListener("pointerdown", (e) => startDrag(e, null));
$("drawing").addEventListener("pointermove", (e) => {
  if (!drag) return;
  const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
  if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
  if (!drag.moved) return;
  if (drag.node) {
    drag.node.x = drag.nx + dx / graph.scale;
    drag.node.y = drag.ny + dy / graph.scale;
  } else {
    graph.tx = drag.tx + dx;
    graph.ty = drag.ty + dy;
  }
  graph.render();
});
$("drawing").addEventListener("pointerup", () => {
  const d = drag;
  drag = null;
  if (d && d.node && !d.moved) openCard(d.node);
  else if (d && d.link && !d.moved) showRelations(d.link);
});
$("drawing").addEventListener("wheel", (e) => {
  e.preventDefault();
  const box = $("drawing").getBoundingClientRect();
  graph.zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - box.left, e.clientY - box.top);
}, { passive: false });
$("zoom-in").addEventListener("click", () => graph.zoom(1.25));
$("zoom-out").addEventListener("click", () => graph.zoom(0.8));
$("fit").addEventListener("click", () => graph.fit(true));

// ---- cards

async function getCard(ref) {
  const key = String(ref);
  if (graph.cards.has(key)) return graph.cards.get(key);
  const p = fetch("/entities/" + encodeURIComponent(key)).then((res) => (res.ok ? res.json() : null)).catch(() => null);
  graph.cards.set(key, p);
  const card = await p;
  if (!card) graph.cards.delete(key);
  return card;
}

function relationLine(r, side) {
  const li = document.createElement("li");
  const other = side === "outgoing" ? r.object : r.subject;
  li.append(side === "outgoing" ? r.type + " → " : "← " + r.type + " ");
  const b = text("button", other, "entity-link");
  b.type = "button";
  b.addEventListener("click", () => { $("focus").value = other; draw(); });
  li.append(b);
  const q = Object.entries(r.qualifiers || {}).map(([k, v]) => k + " " + v).join(", ");
  if (q) li.append(text("span", " (" + q + ")", "qualifiers"));
  return li;
}

async function openCard(node) {
  for (const n of graph.nodes.values()) n.el.classList.toggle("selected", n === node);
  const box = $("card");
  box.hidden = false;
  box.replaceChildren(text("h2", node.name), text("p", "…"));
  const card = await getCard(node.id !== undefined && node.id !== null ? node.id : node.name);
  if (!card) {
    box.replaceChildren(text("h2", node.name), text("p", "no card for this entity"));
    return;
  }
  if (node.id === undefined || node.id === null || !node.type) graph.node({ id: card.id, name: node.name, type: card.type });
  const head = document.createElement("div");
  head.className = "card-head";
  const expandButton = text("button", node.expanded ? "expanded" : "expand", "expand");
  expandButton.type = "button";
  expandButton.id = "expand";
  expandButton.disabled = !!node.expanded;
  expandButton.title = "add its neighbours to the drawing (double-click a node does the same)";
  expandButton.addEventListener("click", () => expand(node));
  const timelineButton = text("button", "timeline", "timeline-button");
  timelineButton.type = "button";
  timelineButton.id = "timeline-button";
  timelineButton.title = "TIMELINE of this entity: every fact about it, source by source, in date order";
  timelineButton.addEventListener("click", () => showTimelineOf(card.name));
  const buttons = document.createElement("span");
  buttons.append(timelineButton, " ", expandButton);
  head.append(text("h2", card.name), buttons);
  const parts = [head, text("p", card.type + " · #" + card.id, "card-type")];
  if (card.aliases && card.aliases.length) parts.push(text("p", "also: " + card.aliases.join(", "), "aliases"));
  for (const [side, title] of [["outgoing", "Relations"], ["incoming", "Named by"]]) {
    const list = card[side] || [];
    if (!list.length) continue;
    parts.push(text("h3", title + " (" + card.counts[side] + ")"));
    const ul = document.createElement("ul");
    for (const r of list.slice(0, 25)) ul.appendChild(relationLine(r, side));
    if (list.length > 25) ul.appendChild(text("li", "and " + (card.counts[side] - 25) + " more"));
    parts.push(ul);
  }
  if (card.counts && card.counts.qualifier_of) parts.push(text("p", "a qualifier of " + card.counts.qualifier_of + " relations", "aliases"));
  box.replaceChildren(...parts);
  box.dataset.entity = card.name;
}

async function expand(node) {
  const ref = node.id !== undefined && node.id !== null ? "#" + node.id : node.name;
  $("graph-status").textContent = "expanding " + node.name + "…";
  try {
    const res = await fetch("/graph?depth=1&focus=" + encodeURIComponent(ref));
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      $("graph-status").textContent = body && body.error ? body.error.message : "could not expand (" + res.status + ")";
      return;
    }
    const before = graph.nodes.size;
    graph.addNeighbourhood(body, false);
    node.expanded = true;
    // The new neighbours are brought into view (the drawing zooms out if it must).
    if (!graph.allInView()) graph.fit();
    $("graph-status").textContent = node.name + ": " + (graph.nodes.size - before) + " more";
    const button = $("expand");
    if (button && $("card").dataset.entity === node.name) {
      button.textContent = "expanded";
      button.disabled = true;
    }
  } catch (err) {
    $("graph-status").textContent = "the server could not be reached";
  }
}

// ---- a relation's qualifiers and sources

const tip = () => $("edge-tip");
let tipTimer = null;

// The relations of a link with what is known of them; a relation from a neighbourhood has its
// qualifiers and sources in its subject's card.
async function relationDetails(link) {
  const out = [];
  for (const r of link.rels) {
    let q = r.qualifiers || {}, evidence = r.evidence || [], found = null;
    if (r.id !== undefined && r.source.id !== undefined && r.source.id !== null) {
      const card = await getCard(r.source.id);
      found = card && (card.outgoing || []).find((x) => x.id === r.id);
      if (found && !evidence.length) { q = found.qualifiers || {}; evidence = found.evidence || []; }
    }
    // How many documents and publishers state it, and, when they disagree, each reading.
    const c = found ? { documents: found.documents, publishers: found.publishers, disputed: found.disputed, readings: readingsOf(found.evidence || []) }
      : r.documents !== undefined ? { documents: r.documents, publishers: r.publishers, disputed: r.disputed, readings: "" } : null;
    if (c && !c.readings && q.disputed) c.readings = q.disputed;
    if (c === null && q.disputed) out.push({ r, q, evidence, c: { disputed: true, readings: q.disputed } });
    else out.push({ r, q, evidence, c });
  }
  return out;
}

// "active (Fjordsoft Newsroom, 2018-03-05); denied (Cloud Ledger, 2019-04-02)": each status the
// sources state, with its latest dated source (an undated one while there is no dated one).
function readingsOf(sources) {
  const latest = new Map();
  for (const s of sources) {
    const st = s.status || "active", was = latest.get(st);
    if (!was || (s.date && (!was.date || s.date > was.date))) latest.set(st, s);
  }
  if (latest.size < 2) return "";
  return [...latest.entries()].sort((p, q) => String(p[1].date || "9999").localeCompare(String(q[1].date || "9999")))
    .map(([st, s]) => st + " (" + (s.publisher || s.document) + ", " + (s.date || "undated") + ")").join("; ");
}

function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

// `most` relations at most, with `sources` sources each (the tip is short; a click on the line
// shows them all beside the drawing).
function detailsElement(details, most = Infinity, sources = 4) {
  const box = document.createElement("div");
  for (const { r, q, evidence, c } of details.slice(0, most)) {
    const part = document.createElement("div");
    part.className = "relation";
    part.appendChild(text("p", r.source.name + " " + r.type + (r.directed === false ? " – " : " → ") + r.target.name, "relation-head"));
    const quals = Object.entries(q).filter(([k]) => k !== "disputed");
    if (quals.length) part.appendChild(text("p", quals.map(([k, v]) => k + ": " + v).join(" · "), "qualifiers"));
    if (c && c.documents) {
      const p = text("p", "stated by " + plural(c.documents, "document", "documents") + ", " + plural(c.publishers, "publisher", "publishers"), "corroboration");
      if (c.disputed) p.append(disputedBadge(c.readings));
      part.appendChild(p);
    } else if (c && c.disputed) {
      part.appendChild(text("p", "", "corroboration")).append(disputedBadge(c.readings));
    }
    if (c && c.disputed && c.readings) part.appendChild(text("p", "readings: " + c.readings, "readings"));
    for (const ev of evidence.slice(0, sources)) part.appendChild(evidenceItem(ev));
    if (evidence.length > sources) part.appendChild(text("p", "and " + (evidence.length - sources) + " more sources"));
    box.appendChild(part);
  }
  if (details.length > most) box.appendChild(text("p", "and " + (details.length - most) + " more relations: click the line"));
  return box;
}

async function showTip(link, e) {
  if (drag) return;
  clearTimeout(tipTimer);
  tip().hidden = false;
  tip().replaceChildren(text("p", link.rels.map((r) => r.type).join(", ")));
  moveTip(e);
  link.el.classList.add("hover");
  const details = await relationDetails(link);
  if (!link.el.classList.contains("hover")) return;
  tip().replaceChildren(detailsElement(details, 2, 1));
  moveTip(e);
}

// The tip is placed in the window (position: fixed), above the cursor near the bottom: placed
// in the page it made the page taller, and the page jumped when it went.
function moveTip(e) {
  const t = tip();
  const x = Math.max(4, Math.min(e.clientX + 14, window.innerWidth - t.offsetWidth - 8));
  const y = e.clientY + 14 + t.offsetHeight > window.innerHeight - 4 ? Math.max(4, e.clientY - 14 - t.offsetHeight) : e.clientY + 14;
  t.style.left = x + "px";
  t.style.top = y + "px";
}

function hideTipSoon() {
  for (const l of graph.links.values()) l.el.classList.remove("hover");
  tipTimer = setTimeout(hideTip, 150);
}

function hideTip() { tip().hidden = true; }

async function showRelations(link) {
  const box = $("card");
  box.hidden = false;
  box.replaceChildren(text("h2", link.a.name + " – " + link.b.name), detailsElement(await relationDetails(link)));
  delete box.dataset.entity;
}

// ------------------------------------------------------------------------------ asking

async function ask(q, opts = {}) {
  $("status").className = "";
  $("status").textContent = "asking…";
  let res, body;
  try {
    res = await fetch("/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query: q }) });
    body = await res.json().catch(() => null);
  } catch (err) {
    return showError(null, "the server could not be reached", q);
  }
  if (!res.ok) return showError(body, "the server answered " + res.status, q);
  if (!body) return showError(null, "the server's answer was not JSON", q);
  try {
    renderAnswer(body, opts);
  } catch (err) {
    // The page's own fault, said as such: the server did answer.
    showError(null, "the page could not show this answer: " + err.message, q);
  }
}

// The timeline of an entity, asked as the question (so that it can be read and changed there),
// drawn beside the drawing the entity's card was opened from.
function showTimelineOf(name) {
  const q = "TIMELINE " + JSON.stringify(name);
  $("query").value = q;
  return ask(q, { keepDrawing: true });
}

async function draw() {
  const focus = $("focus").value.trim();
  if (!focus) return;
  const url = "/graph?focus=" + encodeURIComponent(focus) + "&depth=" + encodeURIComponent($("depth").value);
  $("graph-status").textContent = "drawing…";
  try {
    const res = await fetch(url);
    const body = await res.json().catch(() => null);
    if (!res.ok || !body) {
      $("graph-status").textContent = body && body.error ? body.error.message : "no drawing (" + res.status + ")";
      return;
    }
    graph.addNeighbourhood(body, true);
    graph.kind = "neighbourhood";
    $("graph-status").textContent = body.nodes.length + " entities, " + body.edges.length + " relations" +
      (body.truncated ? " (the first " + body.nodes.length + " only: fewer hops, or expand a node)" : "");
  } catch (err) {
    $("graph-status").textContent = "the server could not be reached";
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
// Ctrl+Enter (Cmd+Enter on a Mac) asks; Enter alone starts a new line of the question.
$("query").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    ask($("query").value);
  }
});
$("graph-form").addEventListener("submit", (e) => { e.preventDefault(); draw(); });
$("focus").addEventListener("input", complete);
for (const b of document.querySelectorAll(".example")) {
  b.addEventListener("click", () => { $("query").value = b.textContent; ask(b.textContent); });
}

// For the page's tests: the pieces that have no server answer to show them yet.
window.pactgraph = { quoteWithSpan, errorText, answerGraph, graph, parseFact, renderTimeline, timelineStats };

// A question and a focus may come in the address: /?q=...&focus=... The question is answered
// (and drawn) first; a focus then draws its neighbourhood.
const params = new URLSearchParams(location.search);
if (params.get("q")) $("query").value = params.get("q");
if (params.get("focus")) $("focus").value = params.get("focus");
ask($("query").value).then(() => { if (params.get("focus")) draw(); });
