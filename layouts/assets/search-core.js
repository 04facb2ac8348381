/* The archive's search engine without the page: decoding the search data, normalising queries,
 * matching terms against the chunked bigram index, ranking, filters, facet counts and snippet ranges.
 *
 * The data format is described in generator/search/files.py and index.py (search/index.js, p/<n>, m/<n>, t/<url>,
 * facets.js). Every file is a classic script `gongkai.receive(name, base64 of zlib bytes)`; how a file
 * is fetched is left to a "fetcher" (the page inserts <script> elements, tests read files from disk):
 * createLoader(fetcher) turns it into load(name) → decoded payload, each file decoded once.
 *
 * A classic script: in a browser it defines globalThis.gongkaiCore; in Node, require() returns it.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // Payloads

  function base64Bytes(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // zlib (RFC 1950) is what DecompressionStream calls "deflate", in browsers and in Node alike.
  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // Postings are binary, report texts are UTF-8 as written, everything else is JSON.
  function payloadKind(name) {
    if (name.startsWith("p/")) return "bytes";
    if (name.startsWith("t/")) return "text";
    return "json";
  }

  async function decodePayload(name, payload) {
    const bytes = await inflate(base64Bytes(payload));
    const kind = payloadKind(name);
    if (kind === "bytes") return bytes;
    const text = new TextDecoder().decode(bytes);
    return kind === "text" ? text : JSON.parse(text);
  }

  // The two string literals of a data file, `gongkai.receive("<name>","<payload>");`, without running it.
  function parseDataScript(source) {
    const found = /^\s*gongkai\.receive\(("(?:[^"\\]|\\.)*"),\s*("(?:[^"\\]|\\.)*")\);?\s*$/.exec(source);
    if (!found) throw new Error("not a search data file");
    return { name: JSON.parse(found[1]), payload: JSON.parse(found[2]) };
  }

  // load(name) → Promise of the decoded payload. A file is fetched and decoded at most once; a failed
  // fetch is forgotten, so that a later search may try again.
  function createLoader(fetcher) {
    const cache = new Map();
    return function load(name) {
      if (!cache.has(name)) {
        const decoded = Promise.resolve()
          .then(() => fetcher(name))
          .then((payload) => decodePayload(name, payload));
        decoded.catch(() => cache.delete(name));
        cache.set(name, decoded);
      }
      return cache.get(name);
    };
  }

  // The data file of a report's text: its page's address without ".html".
  function textName(url) {
    return `t/${url.endsWith(".html") ? url.slice(0, -5) : url}`;
  }

  // ---------------------------------------------------------------------------------------------
  // Normalisation and queries: the same as generator/core/searchtext.py, from the table it ships.

  function normalise(text, table) {
    let out = "";
    for (const ch of text) {
      const folded = table.get(ch);
      out += folded === undefined ? ch : folded;
    }
    return out;
  }

  // Terms: split at whitespace outside quotes, a quoted stretch is one phrase; normalised, empty
  // terms dropped, repeated terms kept once in their first place.
  function parseQuery(query, syntax) {
    const terms = [];
    let current = "";
    let quoted = false;
    for (const ch of query) {
      if (syntax.quotes.has(ch)) quoted = !quoted;
      else if (syntax.space.has(ch) && !quoted) {
        terms.push(current);
        current = "";
      } else current += ch;
    }
    terms.push(current);
    return [...new Set(terms.map((term) => normalise(term, syntax.table)).filter(Boolean))];
  }

  // ---------------------------------------------------------------------------------------------
  // Varints: unsigned LEB128. Keys exceed 2^32, and JS bit operators work on 32 bits: multiply instead.

  function readVarint(bytes, cursor) {
    let value = 0;
    let scale = 1;
    let byte;
    do {
      byte = bytes[cursor.at];
      if (byte === undefined) throw new Error("search data: a number runs past the end of its file");
      cursor.at += 1;
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  }

  // The offset just after `count` varints starting at `at`: each ends at a byte without the high bit.
  function skipVarints(bytes, at, count) {
    let left = count;
    while (left > 0) {
      if (at >= bytes.length) throw new Error("search data: a posting runs past the end of its file");
      if (!(bytes[at] & 0x80)) left -= 1;
      at += 1;
    }
    return at;
  }

  // ---------------------------------------------------------------------------------------------
  // Keys and chunks

  function undelta(deltas) {
    const values = new Float64Array(deltas.length);
    let sum = 0;
    for (let i = 0; i < deltas.length; i += 1) {
      sum += deltas[i];
      values[i] = sum;
    }
    return values;
  }

  // The last index whose value is <= key in an ascending list, -1 when key is below them all.
  function lastAtOrBelow(values, key) {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid] <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  // The posting chunk that holds `key`: chunk n holds the keys in [starts[n], starts[n+1]).
  function chunkOf(starts, key) {
    return lastAtOrBelow(starts, key);
  }

  function bigramKey(a, b, base) {
    return a * base + b;
  }

  // The keys of a one-character term: every bigram the character starts, including "last of a field".
  function charKeyRange(code, syntax) {
    return [code * syntax.base, code * syntax.base + syntax.end];
  }

  // Offsets of the bigrams that cover every character of a term of `length` >= 2: 0, 2, 4, … and L-2.
  function cover(length) {
    const offsets = [];
    for (let i = 0; i <= length - 2; i += 2) offsets.push(i);
    if (offsets[offsets.length - 1] !== length - 2) offsets.push(length - 2);
    return offsets;
  }

  // A chunk's table of contents: its keys and where each key's posting starts in `bytes`.
  function readChunk(bytes) {
    const cursor = { at: 0 };
    const count = readVarint(bytes, cursor);
    const keys = new Float64Array(count);
    let key = 0;
    for (let i = 0; i < count; i += 1) {
      key += readVarint(bytes, cursor);
      keys[i] = key;
    }
    const starts = new Uint32Array(count + 1);
    let at = 0;
    for (let i = 0; i < count; i += 1) {
      starts[i] = at;
      at += readVarint(bytes, cursor);
    }
    starts[count] = at;
    for (let i = 0; i <= count; i += 1) starts[i] += cursor.at;
    if (starts[count] > bytes.length) throw new Error("search data: a chunk is shorter than its postings");
    return { keys, starts, bytes };
  }

  // The index in the chunk of `key`, -1 if the chunk does not hold it.
  function keyIndex(chunk, key) {
    const i = lastAtOrBelow(chunk.keys, key);
    return i >= 0 && chunk.keys[i] === key ? i : -1;
  }

  function postingBytes(chunk, i) {
    return chunk.bytes.subarray(chunk.starts[i], chunk.starts[i + 1]);
  }

  // A posting decoded to its records: doc, occurrence count, first position, and where the positions
  // are in `bytes`. The other positions stay encoded until a document survives intersection.
  function decodePosting(bytes) {
    // A record takes at least three bytes (doc delta, count, one position).
    const capacity = Math.floor(bytes.length / 3) + 1;
    const docs = new Uint32Array(capacity);
    const counts = new Uint32Array(capacity);
    const firsts = new Uint32Array(capacity);
    const offsets = new Uint32Array(capacity);
    const cursor = { at: 0 };
    let doc = 0;
    let length = 0;
    while (cursor.at < bytes.length) {
      doc += readVarint(bytes, cursor);
      const count = readVarint(bytes, cursor);
      offsets[length] = cursor.at;
      firsts[length] = readVarint(bytes, cursor);
      cursor.at = skipVarints(bytes, cursor.at, count - 1);
      docs[length] = doc;
      counts[length] = count;
      length += 1;
    }
    // Copied to their length: the posting stays cached, its upper bound on records need not.
    return {
      length,
      docs: docs.slice(0, length),
      counts: counts.slice(0, length),
      firsts: firsts.slice(0, length),
      offsets: offsets.slice(0, length),
      bytes,
    };
  }

  // The absolute positions of record i of a posting, written into `out` (long enough); returns `out`.
  function readPositions(posting, i, out) {
    const cursor = { at: posting.offsets[i] };
    let position = 0;
    for (let k = 0; k < posting.counts[i]; k += 1) {
      position += readVarint(posting.bytes, cursor);
      out[k] = position;
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Matching

  // Ascending doc lists: the docs in both.
  function intersectDocs(a, b) {
    const out = new Uint32Array(Math.min(a.length, b.length));
    let n = 0;
    let j = 0;
    for (let i = 0; i < a.length && j < b.length; i += 1) {
      while (j < b.length && b[j] < a[i]) j += 1;
      if (j < b.length && b[j] === a[i]) out[n++] = a[i];
    }
    return out.subarray(0, n);
  }

  // The docs in any of the postings, ascending; `reports` bounds the doc numbers.
  function unionDocs(postings, reports) {
    const seen = new Uint8Array(reports);
    for (const posting of postings) for (const doc of posting.docs) seen[doc] = 1;
    let n = 0;
    for (let doc = 0; doc < reports; doc += 1) n += seen[doc];
    const out = new Uint32Array(n);
    n = 0;
    for (let doc = 0; doc < reports; doc += 1) if (seen[doc]) out[n++] = doc;
    return out;
  }

  // The docs a term may occur in, from its postings alone: in every covering bigram (longer terms),
  // or in any bigram the character starts (one character).
  function candidateDocs(plan, reports) {
    if (plan.single) return unionDocs(plan.postings, reports);
    if (plan.postings.some((p) => p === null)) return new Uint32Array(0);
    const bySize = [...plan.postings].sort((a, b) => a.length - b.length);
    return bySize.reduce((docs, posting) => intersectDocs(docs, posting.docs), bySize[0].docs);
  }

  // Scratch buffers for positions, grown as needed, so that matching allocates per posting, not per position.
  function scratch(buffers, k, size) {
    if (!buffers[k] || buffers[k].length < size) buffers[k] = new Uint32Array(Math.max(size, 64));
    return buffers[k];
  }

  // Occurrences of a term of two or more characters in each of `docs` (ascending): counts[j] is the
  // number of positions p where every covering bigram stands at p + its offset, inHead[j] is 1 when
  // one such p is below heads[doc]. Postings are walked once, in doc order.
  function multiOccurrences(plan, docs, heads) {
    const { postings, offsets } = plan;
    const counts = new Uint32Array(docs.length);
    const inHead = new Uint8Array(docs.length);
    if (postings.some((p) => p === null)) return { counts, inHead };
    const records = new Uint32Array(postings.length);
    const buffers = [];
    const cursors = new Uint32Array(postings.length);
    for (let j = 0; j < docs.length; j += 1) {
      const doc = docs[j];
      if (!advanceTo(postings, records, doc)) continue;
      const lists = postings.map((p, k) => readPositions(p, records[k], scratch(buffers, k, p.counts[records[k]])));
      cursors.fill(0);
      const first = lists[0];
      let count = 0;
      for (let m = 0; m < postings[0].counts[records[0]]; m += 1) {
        const start = first[m];
        if (allFollow(postings, records, lists, cursors, offsets, start)) {
          count += 1;
          if (start < heads[doc]) inHead[j] = 1;
        }
      }
      counts[j] = count;
    }
    return { counts, inHead };
  }

  // Moves each posting's record index to `doc`; true when every posting has a record for it.
  function advanceTo(postings, records, doc) {
    let all = true;
    for (let k = 0; k < postings.length; k += 1) {
      const posting = postings[k];
      let r = records[k];
      while (r < posting.length && posting.docs[r] < doc) r += 1;
      records[k] = r;
      if (r >= posting.length || posting.docs[r] !== doc) all = false;
    }
    return all;
  }

  // Whether bigram k (k >= 1) stands at start + offsets[k] for every k; positions ascend, so each
  // list's cursor only moves forward as `start` grows.
  function allFollow(postings, records, lists, cursors, offsets, start) {
    for (let k = 1; k < postings.length; k += 1) {
      const want = start + offsets[k];
      const list = lists[k];
      const count = postings[k].counts[records[k]];
      let c = cursors[k];
      while (c < count && list[c] < want) c += 1;
      cursors[k] = c;
      if (c >= count || list[c] !== want) return false;
    }
    return true;
  }

  // Occurrences of a one-character term: each occurrence starts exactly one of its bigrams, so the
  // counts add up; the first position of a record is its smallest.
  function singleOccurrences(plan, docs, heads, reports) {
    const slot = new Int32Array(reports).fill(-1);
    for (let j = 0; j < docs.length; j += 1) slot[docs[j]] = j;
    const counts = new Uint32Array(docs.length);
    const inHead = new Uint8Array(docs.length);
    for (const posting of plan.postings) {
      for (let r = 0; r < posting.length; r += 1) {
        const j = slot[posting.docs[r]];
        if (j < 0) continue;
        counts[j] += posting.counts[r];
        if (posting.firsts[r] < heads[posting.docs[r]]) inHead[j] = 1;
      }
    }
    return { counts, inHead };
  }

  function termOccurrences(plan, docs, heads, reports) {
    return plan.single ? singleOccurrences(plan, docs, heads, reports) : multiOccurrences(plan, docs, heads);
  }

  // Docs containing every term, with the number of terms found in their head and their total
  // occurrences. Documents are intersected before any position is read.
  function matchPlans(plans, heads, reports) {
    let docs = null;
    for (const plan of plans) {
      docs = docs === null ? candidateDocs(plan, reports) : intersectDocs(docs, candidateDocs(plan, reports));
      if (!docs.length) break;
    }
    docs = docs || new Uint32Array(0);
    const totals = new Float64Array(docs.length);
    const headTerms = new Uint8Array(docs.length);
    const alive = new Uint8Array(docs.length).fill(1);
    for (const plan of plans) {
      if (!docs.length) break;
      const { counts, inHead } = termOccurrences(plan, docs, heads, reports);
      for (let j = 0; j < docs.length; j += 1) {
        if (counts[j] === 0) alive[j] = 0;
        totals[j] += counts[j];
        headTerms[j] += inHead[j];
      }
    }
    return keepAlive(docs, totals, headTerms, alive);
  }

  function keepAlive(docs, totals, headTerms, alive) {
    let n = 0;
    for (let j = 0; j < docs.length; j += 1) n += alive[j];
    const out = { docs: new Uint32Array(n), totals: new Float64Array(n), headTerms: new Uint8Array(n) };
    n = 0;
    for (let j = 0; j < docs.length; j += 1) {
      if (!alive[j]) continue;
      out.docs[n] = docs[j];
      out.totals[n] = totals[j];
      out.headTerms[n] = headTerms[j];
      n += 1;
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Ranking

  // Matches in order: more terms in the head first, then more occurrences, then newer.
  function rankMatches(match, newest) {
    const order = Array.from(match.docs.keys());
    order.sort(
      (a, b) =>
        match.headTerms[b] - match.headTerms[a] ||
        match.totals[b] - match.totals[a] ||
        newest[match.docs[a]] - newest[match.docs[b]],
    );
    return Uint32Array.from(order, (j) => match.docs[j]);
  }

  function byNewest(docs, newest) {
    return Uint32Array.from(docs).sort((a, b) => newest[a] - newest[b]);
  }

  // ---------------------------------------------------------------------------------------------
  // Facets and filters

  // The facet data with what filters need: each region's subtree is a contiguous index range
  // [i, end[i]) because the regions are listed depth first.
  function prepareFacets(raw) {
    const count = raw.regions.length;
    const parent = Int32Array.from(raw.regions, (r) => r.p);
    const depth = new Uint8Array(count);
    for (let i = 0; i < count; i += 1) depth[i] = parent[i] < 0 ? 0 : depth[parent[i]] + 1;
    const size = new Uint32Array(count);
    for (let i = count - 1; i >= 0; i -= 1) {
      size[i] += 1;
      if (parent[i] >= 0) size[parent[i]] += size[i];
    }
    const end = Uint32Array.from(size, (n, i) => i + n);
    const byNewestRank = new Uint32Array(raw.newest.length);
    raw.newest.forEach((rank, doc) => (byNewestRank[rank] = doc));
    return {
      regions: raw.regions.map((r, i) => ({ value: r.v, name: r.n, parent: r.p, depth: depth[i], end: end[i] })),
      regionIndex: new Map(raw.regions.map((r, i) => [r.v, i])),
      agencies: raw.agencies,
      agencyIndex: new Map(raw.agencies.map((name, i) => [name, i])),
      kinds: raw.kinds,
      kindIndex: new Map(raw.kinds.map((name, i) => [name, i])),
      years: raw.years,
      region: Int32Array.from(raw.region),
      agency: Int32Array.from(raw.agency),
      year: Int32Array.from(raw.year),
      kind: Int32Array.from(raw.kind),
      head: Uint32Array.from(raw.head),
      newest: Uint32Array.from(raw.newest),
      byNewest: byNewestRank,
      reports: raw.region.length,
    };
  }

  // "2016" → 2016..2016, "2014-2016", "-2016", "2014-"; null for no year filter.
  function yearRange(value) {
    if (value === undefined || value === null || value === "") return null;
    const text = String(value);
    const [from, to] = text.includes("-") ? text.split("-") : [text, text];
    return { from: from === "" ? -Infinity : Number(from), to: to === "" ? Infinity : Number(to) };
  }

  // A test per given filter, doc → boolean, so that each facet can count with every filter but its own.
  // A value the archive does not have matches nothing.
  function filterTests(facets, filters) {
    const tests = {};
    const f = filters || {};
    if (f.region) {
      const i = facets.regionIndex.get(f.region);
      const end = i === undefined ? -1 : facets.regions[i].end;
      tests.region = (doc) => facets.region[doc] >= i && facets.region[doc] < end;
    }
    if (f.agency) {
      const i = facets.agencyIndex.has(f.agency) ? facets.agencyIndex.get(f.agency) : -2;
      tests.agency = (doc) => facets.agency[doc] === i;
    }
    const years = yearRange(f.year);
    if (years) tests.year = (doc) => facets.year[doc] >= years.from && facets.year[doc] <= years.to;
    if (f.kind) {
      const i = facets.kindIndex.has(f.kind) ? facets.kindIndex.get(f.kind) : -2;
      tests.kind = (doc) => facets.kind[doc] === i;
    }
    return tests;
  }

  // Docs passing every test (all docs when `pool` is null), in pool order.
  function applyFilters(pool, tests, reports) {
    const list = Object.values(tests);
    const docs = pool || allDocs(reports);
    return docs.filter((doc) => list.every((test) => test(doc)));
  }

  function allDocs(reports) {
    return Uint32Array.from({ length: reports }, (_, i) => i);
  }

  const FACETS = ["region", "agency", "year", "kind"];

  // Per facet, how many docs of the pool each option would leave: counted with every filter but the
  // facet's own. A doc counts towards every region enclosing its own. Years are a Map year → count.
  function facetCounts(facets, pool, tests) {
    const counts = {
      region: new Uint32Array(facets.regions.length),
      agency: new Uint32Array(facets.agencies.length),
      year: new Map(),
      kind: new Uint32Array(facets.kinds.length),
    };
    const given = FACETS.filter((name) => tests[name]);
    const docs = pool || allDocs(facets.reports);
    for (const doc of docs) {
      let failed = null;
      let failures = 0;
      for (const name of given) {
        if (!tests[name](doc)) {
          failed = name;
          failures += 1;
          if (failures > 1) break;
        }
      }
      if (failures > 1) continue;
      for (const name of FACETS) if (failures === 0 || name === failed) tally(counts, facets, name, doc);
    }
    for (let i = facets.regions.length - 1; i >= 0; i -= 1) {
      const parent = facets.regions[i].parent;
      if (parent >= 0) counts.region[parent] += counts.region[i];
    }
    return counts;
  }

  function tally(counts, facets, name, doc) {
    if (name === "year") counts.year.set(facets.year[doc], (counts.year.get(facets.year[doc]) || 0) + 1);
    else if (facets[name][doc] >= 0) counts[name][facets[name][doc]] += 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Snippets

  const SNIPPET_BEFORE = 40;
  const SNIPPET_LENGTH = 160;

  // The passage of `text` (as written) to quote for `terms` and the stretches to mark, in UTF-16
  // offsets: a window [start, end) from SNIPPET_BEFORE units before the first match, and marked
  // ranges [s, e) inside it, in order, not overlapping. Matching runs on the normalised text; each
  // normalised unit maps back to the original character it came from, so folding that changes
  // length (whitespace dropped, ß → ss) and astral characters still mark whole characters.
  function snippetRanges(text, terms, table, before = SNIPPET_BEFORE, length = SNIPPET_LENGTH) {
    const { normalised, from, to } = foldWithOrigins(text, table);
    const found = [];
    for (const term of terms) {
      for (let at = normalised.indexOf(term); at !== -1; at = normalised.indexOf(term, at + 1)) {
        found.push([from[at], to[at + term.length - 1]]);
      }
    }
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const start = wholeCharStart(text, found.length ? Math.max(0, found[0][0] - before) : 0);
    const end = wholeCharEnd(text, Math.min(text.length, start + length));
    const marks = [];
    let at = start;
    for (const [s, e] of found) {
      if (e <= at || s >= end) continue;
      marks.push([Math.max(at, s), Math.min(e, end)]);
      at = Math.min(e, end);
    }
    return { start, end, marks };
  }

  function foldWithOrigins(text, table) {
    const parts = [];
    const from = [];
    const to = [];
    let offset = 0;
    for (const ch of text) {
      const got = table.get(ch);
      const folded = got === undefined ? ch : got;
      for (let k = 0; k < folded.length; k += 1) {
        from.push(offset);
        to.push(offset + ch.length);
      }
      parts.push(folded);
      offset += ch.length;
    }
    return { normalised: parts.join(""), from, to };
  }

  function isLowSurrogate(text, i) {
    const unit = text.charCodeAt(i);
    return unit >= 0xdc00 && unit <= 0xdfff;
  }

  // A window never cuts an astral character in half: its edges move to take the whole character.
  function wholeCharStart(text, i) {
    return i > 0 && isLowSurrogate(text, i) ? i - 1 : i;
  }

  function wholeCharEnd(text, i) {
    return i < text.length && isLowSurrogate(text, i) ? i + 1 : i;
  }

  // ---------------------------------------------------------------------------------------------
  // The engine: the functions above over files from a loader.

  function prepareIndex(raw) {
    if (raw.format !== 1) throw new Error(`search data of format ${raw.format}, this page reads format 1`);
    return {
      reports: raw.reports,
      table: new Map(Object.entries(raw.table)),
      space: new Set(raw.space),
      quotes: new Set(raw.quotes),
      end: raw.end,
      base: raw.base,
      chunks: undelta(raw.chunks),
      metaSize: raw.meta_size,
      columns: raw.columns,
    };
  }

  // Where each column the page reads stands in a meta row.
  function columnReader(names) {
    const at = Object.fromEntries(names.map((name, i) => [name, i]));
    const missing = ["url", "title", "date", "doc_number", "lang"].filter((name) => !(name in at));
    if (missing.length) throw new Error(`search data without the columns ${missing.join(", ")}`);
    return (row) => ({
      url: row[at.url],
      title: row[at.title],
      date: row[at.date],
      docNumber: row[at.doc_number],
      lang: row[at.lang],
    });
  }

  function createEngine(load) {
    let index = null;
    let facets = null;
    const chunks = new Map();
    const postings = new Map();

    function getIndex() {
      index = index || load("index").then(prepareIndex);
      return index;
    }

    function getFacets() {
      facets = facets || load("facets").then(prepareFacets);
      return facets;
    }

    function getChunk(n) {
      if (!chunks.has(n)) chunks.set(n, load(`p/${n}`).then(readChunk));
      return chunks.get(n);
    }

    // Each posting is decoded once, on first use.
    function postingAt(chunk, i) {
      const id = chunk.keys[i];
      if (!postings.has(id)) postings.set(id, decodePosting(postingBytes(chunk, i)));
      return postings.get(id);
    }

    async function postingOf(idx, key) {
      const n = chunkOf(idx.chunks, key);
      if (n < 0) return null;
      const chunk = await getChunk(n);
      const i = keyIndex(chunk, key);
      return i < 0 ? null : postingAt(chunk, i);
    }

    // Every posting with a key in [lo, hi], across as many chunks as the range spans.
    async function postingsInRange(idx, lo, hi) {
      const first = Math.max(0, chunkOf(idx.chunks, lo));
      const last = chunkOf(idx.chunks, hi);
      const wanted = [];
      for (let n = first; n <= last; n += 1) wanted.push(n);
      const loaded = await Promise.all(wanted.map(getChunk));
      const found = [];
      for (const chunk of loaded) {
        for (let i = lastAtOrBelow(chunk.keys, lo - 1) + 1; i < chunk.keys.length && chunk.keys[i] <= hi; i += 1) {
          found.push(postingAt(chunk, i));
        }
      }
      return found;
    }

    // What a term needs from the index: one posting per covering bigram, or the range of a character.
    async function planTerm(idx, term) {
      const codes = Array.from(term, (ch) => ch.codePointAt(0));
      if (codes.length === 1) {
        const [lo, hi] = charKeyRange(codes[0], idx);
        return { term, single: true, postings: await postingsInRange(idx, lo, hi) };
      }
      const offsets = cover(codes.length);
      const keys = offsets.map((i) => bigramKey(codes[i], codes[i + 1], idx.base));
      return { term, single: false, offsets, postings: await Promise.all(keys.map((key) => postingOf(idx, key))) };
    }

    // Docs with every term, their head-term counts and total occurrences (unordered by rank).
    // The facets (for head lengths) and every chunk the terms need load side by side.
    async function match(terms) {
      const idx = await getIndex();
      const [fac, plans] = await Promise.all([getFacets(), Promise.all(terms.map((term) => planTerm(idx, term)))]);
      return matchPlans(plans, fac.head, fac.reports);
    }

    async function parse(query) {
      return parseQuery(query || "", await getIndex());
    }

    // The outcome of a search: terms, the docs matching them (pool; null with no terms: every doc),
    // the filter tests, and the hits: pool docs passing every filter, ranked (sort "date": newest first).
    async function run(query, filters, sort) {
      const terms = await parse(query);
      const [fac, found] = await Promise.all([getFacets(), terms.length ? match(terms) : null]);
      const tests = filterTests(fac, filters);
      if (!found) {
        return { terms, pool: null, tests, hits: applyFilters(fac.byNewest, tests, fac.reports), facets: fac };
      }
      const kept = keepAlive(
        found.docs,
        found.totals,
        found.headTerms,
        Uint8Array.from(found.docs, (doc) => passesAll(tests, doc)),
      );
      const hits = sort === "date" ? byNewest(kept.docs, fac.newest) : rankMatches(kept, fac.newest);
      return { terms, pool: found.docs, tests, hits, facets: fac };
    }

    function counts(outcome) {
      return facetCounts(outcome.facets, outcome.pool, outcome.tests);
    }

    // The meta rows of `docs`, in their order, loading only the meta files they are in.
    async function rows(docs) {
      const idx = await getIndex();
      const read = columnReader(idx.columns);
      const files = [...new Set(Array.from(docs, (doc) => Math.floor(doc / idx.metaSize)))];
      const loaded = new Map(await Promise.all(files.map(async (n) => [n, await load(`m/${n}`)])));
      return Array.from(docs, (doc) => {
        const row = loaded.get(Math.floor(doc / idx.metaSize))[doc % idx.metaSize];
        if (!row) throw new Error(`search data without the report ${doc}`);
        return { doc, ...read(row) };
      });
    }

    function text(url) {
      return load(textName(url));
    }

    return { index: getIndex, facets: getFacets, parse, match, run, counts, rows, text };
  }

  function passesAll(tests, doc) {
    for (const name in tests) if (!tests[name](doc)) return false;
    return true;
  }

  const core = {
    // payloads and loading
    base64Bytes,
    inflate,
    decodePayload,
    parseDataScript,
    createLoader,
    textName,
    // text
    normalise,
    parseQuery,
    // index format
    readVarint,
    skipVarints,
    undelta,
    chunkOf,
    bigramKey,
    charKeyRange,
    cover,
    readChunk,
    keyIndex,
    postingBytes,
    decodePosting,
    readPositions,
    // matching and ranking
    intersectDocs,
    unionDocs,
    candidateDocs,
    termOccurrences,
    matchPlans,
    rankMatches,
    byNewest,
    // facets
    prepareIndex,
    prepareFacets,
    yearRange,
    filterTests,
    applyFilters,
    facetCounts,
    // snippets
    snippetRanges,
    SNIPPET_BEFORE,
    SNIPPET_LENGTH,
    // the engine
    createEngine,
  };

  if (typeof module === "object" && module.exports) module.exports = core;
  else globalThis.gongkaiCore = core;
})();
