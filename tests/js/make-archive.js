/* A second, deliberately plain writer of the search data format, for hand-made test archives: small
 * chunks, keys above 2^32, astral characters, terms at field ends. It follows the format as generator/search/files.py documents it,
 * independently of the Python build, and gives brute-force answers to compare the engine with.
 */
"use strict";

const zlib = require("node:zlib");
const core = require("../../layouts/assets/search-core.js");

const END = 1114112;
const BASE = 1114113;

function varint(value, out) {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a varint: ${value}`);
  let rest = value;
  while (rest >= 128) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

function payload(value) {
  const raw = value instanceof Uint8Array ? value : Buffer.from(typeof value === "string" ? value : JSON.stringify(value));
  return zlib.deflateSync(raw).toString("base64");
}

function dataScript(name, base64) {
  return `gongkai.receive(${JSON.stringify(name)},${JSON.stringify(base64)});\n`;
}

// A report's searchable text as the format defines it, and the length of its head.
function searchable(report, table) {
  const fields = [report.title, report.agency, report.docNumber || "", report.regionNames.join(" "), report.body];
  const normalised = fields.map((field) => core.normalise(field, table));
  const head = Array.from(normalised.slice(0, 3).join("\n")).length;
  return { text: normalised.join("\n"), fields: normalised, head };
}

// key → Map(doc → ascending positions)
function bigrams(texts) {
  const postings = new Map();
  texts.forEach(({ fields }, doc) => {
    let position = 0;
    for (const field of fields) {
      const codes = Array.from(field, (ch) => ch.codePointAt(0));
      codes.forEach((code, i) => {
        const key = code * BASE + (i + 1 < codes.length ? codes[i + 1] : END);
        if (!postings.has(key)) postings.set(key, new Map());
        const docs = postings.get(key);
        if (!docs.has(doc)) docs.set(doc, []);
        docs.get(doc).push(position + i);
      });
      position += codes.length + 1;
    }
  });
  return postings;
}

function encodePosting(docs) {
  const out = [];
  let previous = 0;
  for (const doc of [...docs.keys()].sort((a, b) => a - b)) {
    varint(doc - previous, out);
    previous = doc;
    const positions = docs.get(doc);
    varint(positions.length, out);
    let last = 0;
    for (const p of positions) {
      varint(p - last, out);
      last = p;
    }
  }
  return out;
}

function encodeChunk(keys, postings) {
  const encoded = keys.map((key) => encodePosting(postings.get(key)));
  const out = varint(keys.length, []);
  let last = 0;
  for (const key of keys) {
    varint(key - last, out);
    last = key;
  }
  for (const bytes of encoded) varint(bytes.length, out);
  for (const bytes of encoded) out.push(...bytes);
  return Uint8Array.from(out);
}

/* reports: [{title, agency, docNumber, regionNames, region (index), year, kind (index or -1), date, url,
 * lang, body}] in doc order; regions: [{v, n, p}]; newest: per doc its rank. Returns
 * {files: Map name → base64 payload, texts, answer(query, filters) brute force}. */
function makeArchive({ reports, regions, agencies, kinds, newest, table, keysPerChunk = 3, metaSize = 2 }) {
  const tableMap = new Map(Object.entries(table));
  const texts = reports.map((report) => searchable(report, tableMap));
  const postings = bigrams(texts);
  const keys = [...postings.keys()].sort((a, b) => a - b);
  const files = new Map();
  const starts = [];
  for (let n = 0; n * keysPerChunk < keys.length; n += 1) {
    const part = keys.slice(n * keysPerChunk, (n + 1) * keysPerChunk);
    starts.push(part[0]);
    files.set(`p/${n}`, payload(encodeChunk(part, postings)));
  }
  const columns = ["title", "url", "lang", "date", "doc_number"];
  files.set(
    "index",
    payload({
      format: 1,
      reports: reports.length,
      table,
      space: " \u3000\t\n",
      quotes: '"“”＂',
      end: END,
      base: BASE,
      chunks: starts.map((key, i) => (i ? key - starts[i - 1] : key)),
      meta_size: metaSize,
      columns,
    }),
  );
  const cell = { title: "title", url: "url", lang: "lang", date: "date", doc_number: "docNumber" };
  for (let n = 0; n * metaSize < reports.length; n += 1) {
    const rows = reports.slice(n * metaSize, (n + 1) * metaSize).map((r) => columns.map((c) => r[cell[c]] || ""));
    files.set(`m/${n}`, payload(rows));
  }
  files.set(
    "facets",
    payload({
      regions,
      agencies,
      kinds,
      years: [...new Set(reports.map((r) => r.year))].sort((a, b) => b - a),
      region: reports.map((r) => r.region),
      agency: reports.map((r) => agencies.indexOf(r.agency)),
      year: reports.map((r) => r.year),
      kind: reports.map((r) => r.kind),
      head: texts.map((t) => t.head),
      newest,
    }),
  );
  for (const r of reports) files.set(core.textName(r.url), payload(r.body));
  return { files, texts, keys, starts };
}

// A loader over the files of makeArchive, counting how often each file is fetched.
function memoryLoader(files) {
  const fetched = new Map();
  const load = core.createLoader(async (name) => {
    fetched.set(name, (fetched.get(name) || 0) + 1);
    if (!files.has(name)) throw new Error(`no file ${name}`);
    return core.parseDataScript(dataScript(name, files.get(name))).payload;
  });
  return { load, fetched };
}

// Every occurrence of `term` in `text`, overlapping, as str.find from the next character would find them.
function countOverlapping(text, term) {
  let count = 0;
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) count += 1;
  return count;
}

module.exports = { END, BASE, varint, payload, dataScript, makeArchive, memoryLoader, countOverlapping, searchable };
