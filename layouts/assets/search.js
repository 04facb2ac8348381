/* Full-text search for the archive: one definition of a match, two ways to find them.
 *
 * Served over http(s), each query term is looked up in the Pagefind index of character bigrams.
 * Opened from disk (or wherever Pagefind cannot load), the page scans the report texts shipped as
 * classic scripts. Both give the same result sets; ranking, facets and snippets are computed here
 * from the same catalogue, so a reader sees the same page either way.
 *
 * API: window.gongkai.search(query, filters) → Promise<[{url, title}]>, every matching report in
 * relevance order; url is relative to the site root. filters: {region, agency, year, kind}, with the
 * values the facets use ("云南省/临沧市", an agency's name, 2016 or "2014-2016", a kind).
 */
(function () {
  "use strict";

  const PAGE_SIZE = 20;
  const SNIPPET_BEFORE = 40;
  const SNIPPET_LENGTH = 160;
  const root = new URL("../", document.currentScript.src);
  const received = new Map();
  const loading = new Map();

  // Data files are classic scripts that call gongkai.receive(name, data): they load from file:// too.
  function load(name, path) {
    if (!loading.has(name)) {
      loading.set(name, new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL(path, root).href;
        script.onload = () => (received.has(name) ? resolve(received.get(name)) : reject(new Error(path)));
        script.onerror = () => reject(new Error(path));
        document.head.appendChild(script);
      }));
    }
    return loading.get(name);
  }

  let catalogue = null;
  function getCatalogue() {
    catalogue = catalogue || load("catalogue", "search/catalogue.js").then(prepare);
    return catalogue;
  }

  // Rows are lists whose columns the catalogue names: where each column this script reads stands in a row.
  function columns(names, wanted) {
    const at = Object.fromEntries(names.map((name, index) => [name, index]));
    const missing = wanted.filter((name) => !(name in at));
    if (missing.length) throw new Error(`search data without the columns ${missing.join(", ")}`);
    return at;
  }

  function prepare(raw) {
    const regions = raw.regions.map((r, index) => ({ index, value: r.v, name: r.n, parent: r.p, depth: 0 }));
    for (const region of regions) region.depth = region.parent < 0 ? 0 : regions[region.parent].depth + 1;
    const at = columns(raw.columns, ["url", "title", "agency", "region", "year", "date", "kind", "doc_number", "lang"]);
    const reports = raw.reports.map((row, index) => ({
      index, url: row[at.url], title: row[at.title], agency: row[at.agency], region: row[at.region],
      year: row[at.year], date: row[at.date], kind: row[at.kind], docNumber: row[at.doc_number], lang: row[at.lang],
      lineage: lineage(regions, row[at.region]),
    }));
    return {
      table: new Map(Object.entries(raw.table)), space: new Set(raw.space), quotes: new Set(raw.quotes),
      regions, agencies: raw.agencies, kinds: raw.kinds, chunks: raw.chunks, reports,
      textAt: columns(raw.text_columns, ["body"]),
      years: [...new Set(reports.map((r) => r.year))].sort((a, b) => b - a),
      heads: new Map(),
    };
  }

  function lineage(regions, index) {
    const chain = [];
    for (let i = index; i >= 0; i = regions[i].parent) chain.push(i);
    return chain;
  }

  // The same normalisation as the build's reference: a character table, applied per code point.
  function normalise(text, table) {
    const out = [];
    for (const ch of text) {
      const folded = table.get(ch);
      out.push(folded === undefined ? ch : folded);
    }
    return out.join("");
  }

  function parseQuery(query, cat) {
    const terms = [];
    let current = "";
    let quoted = false;
    for (const ch of query) {
      if (cat.quotes.has(ch)) quoted = !quoted;
      else if (cat.space.has(ch) && !quoted) { terms.push(current); current = ""; }
      else current += ch;
    }
    terms.push(current);
    return [...new Set(terms.map((t) => normalise(t, cat.table)).filter(Boolean))];
  }

  // Offline engine: every report's searchable text, normalised once, scanned per term.
  function scanEngine(cat) {
    let texts = null;
    function getTexts() {
      texts = texts || Promise.all(Array.from({ length: cat.chunks }, (_, n) => load(`text-${n}`, `search/text-${n}.js`)))
        .then((parts) => {
          const originals = parts.flat();
          return { originals, normalised: originals.map((fields) => fields.map((f) => normalise(f, cat.table)).join("\n")) };
        });
      return texts;
    }
    return {
      name: "scan",
      async occurrences(term) {
        const { normalised } = await getTexts();
        const found = new Map();
        normalised.forEach((text, index) => {
          let count = 0;
          for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) count += 1;
          if (count) found.set(index, count);
        });
        return found;
      },
      async body(index) {
        return (await getTexts()).originals[index][cat.textAt.body];
      },
    };
  }

  // Letter codes of characters, as the build writes them into the index (see generator/search/index.py).
  function code(ch) {
    let n = ch.codePointAt(0);
    let width = 4;
    let prefix = "";
    if (n >= 0x10000) { n -= 0x10000; width = 5; prefix = "z"; }
    let letters = "";
    for (let i = 0; i < width; i += 1) { letters = String.fromCharCode(97 + (n % 26)) + letters; n = Math.floor(n / 26); }
    return prefix + letters;
  }

  // Served engine: the positions of each bigram come from Pagefind; a term occurs where its bigrams
  // stand one after another. A one-character term is a prefix search over the bigrams it starts.
  // Results name report pages; a report the index does not know yet (live preview) is left out.
  // The index comes in shards, each a Pagefind bundle of its own: the first is loaded, the others
  // are merged into it, and one search looks in all of them.
  async function pagefindEngine(cat) {
    const { shards, ids: pages } = await load("pagefind", "search/pagefind-ids.js");
    if (!shards.length) throw new Error("the archive has no search index");
    const pagefind = await import(new URL(`pagefind/${shards[0]}/pagefind.js`, root).href);
    await pagefind.init();
    await Promise.all(shards.slice(1).map((shard) => pagefind.mergeIndex(new URL(`pagefind/${shard}/`, root).href)));
    const byUrl = new Map(cat.reports.map((r) => [r.url, r.index]));
    const lookups = new Map();
    function positions(word) {
      if (!lookups.has(word)) {
        lookups.set(word, pagefind.search(word).then((found) => {
          const byReport = new Map();
          for (const result of found.results) {
            const index = byUrl.get(pages[result.id]);
            if (index === undefined) continue;
            byReport.set(index, result.words);
          }
          return byReport;
        }));
      }
      return lookups.get(word);
    }
    return {
      name: "pagefind",
      async occurrences(term) {
        const chars = Array.from(term);
        if (chars.length === 1) {
          const byReport = await positions(code(chars[0]));
          return new Map([...byReport].map(([index, at]) => [index, at.length]));
        }
        const words = chars.slice(1).map((ch, i) => code(chars[i]) + code(ch));
        const maps = await Promise.all(words.map(positions));
        const found = new Map();
        for (const [index, starts] of maps[0]) {
          if (!maps.every((m) => m.has(index))) continue;
          const sets = maps.map((m) => new Set(m.get(index)));
          const count = starts.filter((p) => sets.every((set, j) => set.has(p + j))).length;
          if (count) found.set(index, count);
        }
        return found;
      },
      async body(index) {
        const url = cat.reports[index].url;
        return load(`body:${url}`, `search/body/${url.replace(/\.html$/, "")}.js`);
      },
    };
  }

  let engine = null;
  function getEngine() {
    engine = engine || getCatalogue().then((cat) => {
      const offline = scanEngine(cat);
      if (location.protocol === "file:") return offline;
      return pagefindEngine(cat).catch((error) => {
        console.warn("Pagefind unavailable, scanning the texts instead:", error);
        return offline;
      });
    }).then((chosen) => { api.engine = chosen.name; return chosen; });
    return engine;
  }

  const termCache = new Map();
  function occurrences(term) {
    if (!termCache.has(term)) termCache.set(term, getEngine().then((e) => e.occurrences(term)));
    return termCache.get(term);
  }

  // Reports containing every term, with their occurrence counts; null when there are no terms.
  async function matching(terms) {
    if (!terms.length) return null;
    const maps = await Promise.all(terms.map(occurrences));
    const counts = new Map();
    for (const [index, count] of maps[0]) {
      if (maps.every((m) => m.has(index))) counts.set(index, maps.reduce((sum, m) => sum + m.get(index), 0));
    }
    return counts;
  }

  // How many terms a report has in its title, agency or 文号: such reports come first.
  function headHits(cat, index, terms) {
    if (!cat.heads.has(index)) {
      const r = cat.reports[index];
      cat.heads.set(index, [r.title, cat.agencies[r.agency], r.docNumber].map((f) => normalise(f, cat.table)).join("\n"));
    }
    const head = cat.heads.get(index);
    return terms.filter((t) => head.includes(t)).length;
  }

  function yearRange(value) {
    if (value === undefined || value === null || value === "") return null;
    const [from, to] = String(value).includes("-") ? String(value).split("-") : [value, value];
    return { from: from === "" ? -Infinity : Number(from), to: to === "" ? Infinity : Number(to) };
  }

  // A test per filter, so that each facet can count with every filter but its own.
  function filterTests(cat, filters) {
    const tests = {};
    if (filters.region) {
      const region = cat.regions.find((r) => r.value === filters.region);
      tests.region = (r) => region !== undefined && r.lineage.includes(region.index);
    }
    if (filters.agency) tests.agency = (r) => cat.agencies[r.agency] === filters.agency;
    const years = yearRange(filters.year);
    if (years) tests.year = (r) => r.year >= years.from && r.year <= years.to;
    if (filters.kind) tests.kind = (r) => cat.kinds[r.kind] === filters.kind;
    return tests;
  }

  function passes(tests, report, except) {
    return Object.entries(tests).every(([name, test]) => name === except || test(report));
  }

  async function run(query, filters, sort) {
    const cat = await getCatalogue();
    const terms = parseQuery(query || "", cat);
    const counts = await matching(terms);
    const pool = counts ? [...counts.keys()].map((i) => cat.reports[i]) : cat.reports;
    const tests = filterTests(cat, filters || {});
    const hits = pool.filter((r) => passes(tests, r)).map((r) => r.index);
    if (counts && sort !== "date") {
      const heads = new Map(hits.map((i) => [i, headHits(cat, i, terms)]));
      hits.sort((a, b) => heads.get(b) - heads.get(a) || counts.get(b) - counts.get(a) || a - b);
    } else {
      hits.sort((a, b) => a - b);
    }
    return { cat, terms, pool, tests, hits };
  }

  async function search(query, filters) {
    const { cat, hits } = await run(query, filters);
    return hits.map((i) => ({ url: cat.reports[i].url, title: cat.reports[i].title }));
  }

  // The option values each report counts towards, per facet; a report counts for every enclosing region.
  const FACET_VALUES = {
    region: (r) => r.lineage, agency: (r) => [r.agency], year: (r) => [r.year], kind: (r) => [r.kind],
  };

  function facetCounts(outcome) {
    const { pool, tests } = outcome;
    const counts = {};
    for (const [facet, values] of Object.entries(FACET_VALUES)) {
      const tally = (counts[facet] = new Map());
      for (const r of pool) {
        if (passes(tests, r, facet)) for (const v of values(r)) tally.set(v, (tally.get(v) || 0) + 1);
      }
    }
    return counts;
  }

  // A passage of the original text around the first match, matched terms marked.
  function snippet(text, terms, cat) {
    const norm = [];
    const from = [];
    const to = [];
    let offset = 0;
    for (const ch of text) {
      const folded = cat.table.get(ch) ?? ch;
      for (let k = 0; k < folded.length; k += 1) { from.push(offset); to.push(offset + ch.length); }
      norm.push(folded);
      offset += ch.length;
    }
    const normalised = norm.join("");
    const marks = [];
    for (const term of terms) {
      for (let at = normalised.indexOf(term); at !== -1; at = normalised.indexOf(term, at + 1)) {
        marks.push([from[at], to[at + term.length - 1]]);
      }
    }
    marks.sort((a, b) => a[0] - b[0]);
    const start = marks.length ? Math.max(0, marks[0][0] - SNIPPET_BEFORE) : 0;
    const end = Math.min(text.length, start + SNIPPET_LENGTH);
    const out = document.createDocumentFragment();
    let at = start;
    if (start > 0) out.append("…");
    for (const [s, e] of marks) {
      if (e <= at || s >= end) continue;
      out.append(text.slice(at, Math.max(at, s)));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(Math.max(at, s), Math.min(e, end));
      out.append(mark);
      at = Math.min(e, end);
    }
    out.append(text.slice(at, end));
    if (end < text.length) out.append("…");
    return out;
  }

  window.gongkai = { receive: (name, data) => received.set(name, data), search, engine: null };
  const api = window.gongkai;
  const form = document.getElementById("search-form");
  if (form) page(form);

  // The search page: form ⇄ URL, facets with counts, results with snippets, "show more".
  function page(form) {
    const labels = JSON.parse(document.getElementById("search-labels").textContent);
    const status = document.getElementById("search-status");
    const list = document.getElementById("search-results");
    const more = document.getElementById("search-more");
    const field = (name) => form.elements.namedItem(name);
    const label = (key, n) => labels[key].replace("{n}", n);
    let shown = 0;
    let outcome = null;
    let generation = 0;

    function readUrl() {
      const params = new URLSearchParams(location.search);
      for (const name of ["q", "region", "agency", "kind", "sort"]) field(name).dataset.want = params.get(name) || "";
      const years = (params.get("year") || "").split("-");
      field("from").dataset.want = years[0] || "";
      field("to").dataset.want = (years.length > 1 ? years[1] : years[0]) || "";
      field("q").value = field("q").dataset.want;
      field("sort").value = field("sort").dataset.want;
    }

    function wanted(name) {
      const select = field(name);
      return select.options.length > 1 ? select.value : select.dataset.want || "";
    }

    function filters() {
      const from = wanted("from");
      const to = wanted("to");
      const year = from === to ? from : `${from}-${to}`;
      return { region: wanted("region"), agency: wanted("agency"), year, kind: wanted("kind") };
    }

    function writeUrl() {
      const params = new URLSearchParams();
      const q = field("q").value.trim();
      if (q) params.set("q", q);
      for (const [name, value] of Object.entries(filters())) if (value) params.set(name, value);
      if (field("sort").value) params.set("sort", field("sort").value);
      const query = params.toString();
      history.replaceState(null, "", query ? `?${query}` : location.pathname);
    }

    function fill(name, options, selected) {
      const select = field(name);
      const first = select.options[0];
      select.replaceChildren(first, ...options.map(([value, text, count]) => {
        const option = new Option(`${text} (${count})`, value, false, value === selected);
        option.disabled = count === 0 && value !== selected;
        return option;
      }));
      select.value = selected;
    }

    function showFacets() {
      const { cat } = outcome;
      const counts = facetCounts(outcome);
      const indent = (depth) => "\u3000".repeat(depth);
      fill("region", cat.regions.map((r) => [r.value, indent(r.depth) + r.name, counts.region.get(r.index) || 0]), wanted("region"));
      fill("agency", cat.agencies.map((name, i) => [name, name, counts.agency.get(i) || 0]), wanted("agency"));
      const years = cat.years.map((y) => [String(y), label("year_label", y), counts.year.get(y) || 0]);
      fill("from", years, wanted("from"));
      fill("to", years, wanted("to"));
      fill("kind", cat.kinds.map((kind, i) => [kind, kind, counts.kind.get(i) || 0]), wanted("kind"));
    }

    async function update() {
      const mine = ++generation;
      status.textContent = labels.status_loading;
      try {
        const result = await run(field("q").value, filters(), field("sort").value);
        if (mine !== generation) return;
        outcome = result;
        showFacets();
        const n = result.hits.length;
        status.textContent = result.terms.length ? (n ? label("status_count", n) : labels.status_none) : label("status_browse", n);
        list.replaceChildren();
        shown = 0;
        showMore();
      } catch (error) {
        status.textContent = label("status_error", error.message);
      }
    }

    function showMore() {
      const { cat, hits, terms } = outcome;
      const next = hits.slice(shown, shown + PAGE_SIZE);
      list.append(...next.map((i) => item(cat, cat.reports[i], terms)));
      shown += next.length;
      more.hidden = shown >= hits.length;
    }

    function item(cat, r, terms) {
      const li = document.createElement("li");
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = new URL(r.url, root).href;
      link.textContent = r.title;
      link.lang = r.lang;
      heading.append(link);
      const meta = document.createElement("p");
      meta.className = "report-meta";
      const region = cat.regions[r.region].value.split("/").join(" ");
      for (const text of [cat.agencies[r.agency], region, label("year_label", r.year), r.docNumber, r.date]) {
        if (!text) continue;
        const span = document.createElement("span");
        span.textContent = text;
        meta.append(span);
      }
      li.append(heading, meta);
      if (terms.length) {
        const quote = document.createElement("p");
        quote.className = "snippet";
        quote.lang = r.lang;
        li.append(quote);
        getEngine().then((e) => e.body(r.index)).then((body) => quote.append(snippet(body, terms, cat)));
      }
      return li;
    }

    more.addEventListener("click", showMore);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      writeUrl();
      update();
    });
    form.addEventListener("change", (event) => {
      if (event.target.tagName !== "SELECT") return;
      writeUrl();
      update();
    });
    readUrl();
    update();
  }
})();
