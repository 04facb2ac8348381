/* The search page: form ⇄ URL, facets with counts, results with snippets, "show more".
 *
 * The engine is search-core.js (window.gongkaiCore); this file only fetches data files and draws.
 * Every data file, search/<name>.js, is a classic script calling gongkai.receive(name, payload):
 * inserted as a <script> element it loads the same way served over http(s) and opened from disk,
 * where browsers refuse fetch() and modules. Opening the page loads only search/index.js; the facets
 * come with the first query or filter, report rows (m/<n>) for the hits shown, report texts (t/…)
 * for the snippets scrolled into view.
 *
 * API: window.gongkai.search(query, filters) → Promise<[{url, title}]>, every matching report in
 * relevance order; url is relative to the site root. filters: {region, agency, year, kind}, with the
 * values the facets use ("云南省/临沧市", an agency's name, 2016 or "2014-2016", a kind).
 */
(function () {
  "use strict";

  const PAGE_SIZE = 20;
  const core = window.gongkaiCore;
  const root = new URL("../", document.currentScript.src);
  // Payloads handed over by data scripts that ran but whose load event has not been handled yet.
  const received = new Map();

  function dataUrl(name) {
    return new URL(`search/${name.split("/").map(encodeURIComponent).join("/")}.js`, root).href;
  }

  // A data file's payload: its script runs gongkai.receive(name, payload) before its load event.
  function fetchScript(name) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = dataUrl(name);
      script.onload = () => {
        script.remove();
        const payload = received.get(name);
        received.delete(name);
        if (payload === undefined) reject(new Error(`search/${name}.js`));
        else resolve(payload);
      };
      script.onerror = () => {
        script.remove();
        reject(new Error(`search/${name}.js`));
      };
      document.head.appendChild(script);
    });
  }

  const engine = core.createEngine(core.createLoader(fetchScript));

  async function search(query, filters) {
    const outcome = await engine.run(query || "", filters || {});
    const rows = await engine.rows(outcome.hits);
    return rows.map((row) => ({ url: row.url, title: row.title }));
  }

  window.gongkai = { receive: (name, payload) => received.set(name, payload), search, engine: "index" };
  const form = document.getElementById("search-form");
  if (form) page(form);

  function page(form) {
    const labels = JSON.parse(document.getElementById("search-labels").textContent);
    const status = document.getElementById("search-status");
    const list = document.getElementById("search-results");
    const more = document.getElementById("search-more");
    const agencyOptions = document.getElementById(form.elements.namedItem("agency").getAttribute("list"));
    const regionOptions = document.getElementById(form.elements.namedItem("region-find").getAttribute("list"));
    const active = document.getElementById("search-active");
    const headerBox = document.getElementById("site-q");
    const field = (name) => form.elements.namedItem(name);
    const label = (key, n) => labels[key].replace("{n}", n);
    const snippets = snippetObserver();
    let outcome = null;
    let shown = 0;
    let generation = 0;
    let facetsWanted = false;
    const facetsBox = form.querySelector(".facets");
    // The folding table of the index, to mark matches in titles, agencies and 文号 as in snippets.
    let table = null;

    function readUrl() {
      const params = new URLSearchParams(location.search);
      for (const name of ["region", "kind", "sort"]) field(name).dataset.want = params.get(name) || "";
      const years = (params.get("year") || "").split("-");
      field("from").dataset.want = years[0] || "";
      field("to").dataset.want = (years.length > 1 ? years[1] : years[0]) || "";
      field("q").value = params.get("q") || "";
      if (headerBox) headerBox.value = field("q").value;
      field("agency").value = params.get("agency") || "";
      field("sort").value = field("sort").dataset.want;
    }

    // A select's value once its options are filled, else the value the URL asked for.
    function wanted(name) {
      const select = field(name);
      return select.options.length > 1 ? select.value : select.dataset.want || "";
    }

    function filters() {
      const from = wanted("from");
      const to = wanted("to");
      const year = from === to ? from : `${from}-${to}`;
      return { region: wanted("region"), agency: field("agency").value.trim(), year, kind: wanted("kind") };
    }

    function writeUrl() {
      const params = new URLSearchParams();
      const q = field("q").value.trim();
      if (q) params.set("q", q);
      for (const [name, value] of Object.entries(filters())) if (value) params.set(name, value);
      if (field("sort").value) params.set("sort", field("sort").value);
      const query = params.toString();
      history.replaceState(null, "", query ? `?${query}` : location.pathname);
      if (headerBox) headerBox.value = q;
    }

    // The filters in force, in words, beside the count: on a phone the filters fold away, this stays.
    function showActive() {
      const chosen = filters();
      const parts = [];
      if (chosen.region) parts.push(`${labels.region}：${chosen.region.split("/").join(" › ")}`);
      if (chosen.agency) parts.push(`${labels.agency}：${chosen.agency}`);
      if (chosen.year) parts.push(`${labels.year}：${chosen.year.replace("-", "–")}`);
      if (chosen.kind) parts.push(`${labels.kind}：${chosen.kind}`);
      active.textContent = parts.join(labels.list_separator);
      toggle.textContent = parts.length ? `${labels.filters}（${parts.length}）` : labels.filters;
    }

    // With no words and no filter the page waits: it neither lists the archive nor loads its facets
    // until the reader turns to the filters.
    async function update() {
      const mine = ++generation;
      const query = field("q").value;
      const chosen = filters();
      showActive();
      // A search will need the facets: they load beside the index instead of after it.
      if (query.trim() || Object.values(chosen).some(Boolean)) engine.facets().catch(() => {});
      try {
        const terms = await engine.parse(query);
        const idle = !terms.length && !Object.values(chosen).some(Boolean);
        if (mine !== generation) return;
        if (idle) showIdle();
        if (idle && !facetsWanted) return;
        if (!idle) status.textContent = labels.status_loading;
        const result = await engine.run(query, chosen, field("sort").value);
        table = (await engine.index()).table;
        if (mine !== generation) return;
        outcome = result;
        showFacets();
        if (idle) return;
        list.replaceChildren();
        shown = 0;
        await showMore(mine);
        if (mine !== generation) return;
        // The count is announced with the first results, not before them.
        const n = result.hits.length;
        status.textContent = terms.length ? (n ? label("status_count", n) : labels.status_none) : label("status_browse", n);
      } catch (error) {
        if (mine === generation) status.textContent = label("status_error", error.message);
      }
    }

    function showIdle() {
      status.textContent = labels.status_start;
      list.replaceChildren();
      more.hidden = true;
      outcome = null;
    }

    // The next PAGE_SIZE hits: their rows are loaded (only the meta files they are in), then drawn.
    async function showMore(mine) {
      const { hits, terms, facets } = outcome;
      const next = hits.subarray(shown, shown + PAGE_SIZE);
      more.disabled = true;
      const rows = await engine.rows(next);
      if (mine !== generation) return;
      list.append(...rows.map((row) => item(row, facets, terms)));
      shown += next.length;
      more.hidden = shown >= hits.length;
      more.disabled = false;
    }

    function item(row, facets, terms) {
      const li = document.createElement("li");
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = new URL(row.url, root).href;
      link.append(marked(row.title, terms));
      link.lang = row.lang;
      heading.append(link);
      const meta = document.createElement("p");
      meta.className = "report-meta";
      const region = facets.regions[facets.region[row.doc]].value.split("/").join(" ");
      const year = label("year_label", facets.year[row.doc]);
      const agency = facets.agencies[facets.agency[row.doc]];
      for (const [text, searched] of [[agency, true], [region], [year], [row.docNumber, true], [row.date]]) {
        if (!text) continue;
        const span = document.createElement("span");
        span.append(searched ? marked(text, terms) : text);
        meta.append(span);
      }
      li.append(heading, meta);
      if (terms.length) {
        const quote = document.createElement("p");
        quote.className = "snippet";
        quote.lang = row.lang;
        li.append(quote);
        snippets.watch(quote, row.url, terms);
      }
      return li;
    }

    // A result's snippet needs its report's text: loaded only once the result comes into view.
    function snippetObserver() {
      const pending = new WeakMap();
      const fill = (quote) => {
        const { url, terms } = pending.get(quote);
        pending.delete(quote);
        Promise.all([engine.text(url), engine.index()])
          .then(([text, index]) => quote.append(snippet(text, core.snippetRanges(text, terms, index.table))))
          .catch((error) => console.warn("no snippet for", url, error));
      };
      const observer =
        "IntersectionObserver" in window
          ? new IntersectionObserver(
              (entries) => {
                for (const entry of entries) {
                  if (!entry.isIntersecting || !pending.has(entry.target)) continue;
                  observer.unobserve(entry.target);
                  fill(entry.target);
                }
              },
              // Half a screen ahead, so that a snippet is there by the time the reader scrolls to it.
              { rootMargin: "0px 0px 50% 0px" },
            )
          : null;
      return {
        watch(quote, url, terms) {
          pending.set(quote, { url, terms });
          if (observer) observer.observe(quote);
          else fill(quote);
        },
      };
    }

    // A short text whole, matched terms marked.
    function marked(text, terms) {
      if (!terms.length || !table) return text;
      return snippet(text, core.snippetRanges(text, terms, table, text.length, text.length));
    }

    // A passage of the original text around the first match, matched terms marked.
    function snippet(text, ranges) {
      const out = document.createDocumentFragment();
      let at = ranges.start;
      if (ranges.start > 0) out.append("…");
      for (const [s, e] of ranges.marks) {
        out.append(text.slice(at, s));
        const mark = document.createElement("mark");
        mark.textContent = text.slice(s, e);
        out.append(mark);
        at = e;
      }
      out.append(text.slice(at, ranges.end));
      if (ranges.end < text.length) out.append("…");
      return out;
    }

    // ---- Facets

    function showFacets() {
      const { facets } = outcome;
      const counts = engine.counts(outcome);
      fillRegions(facets, counts.region);
      fillRegionNames(facets, counts.region);
      fillAgencies(facets, counts.agency);
      const years = facets.years.map((y) => [String(y), label("year_label", y), counts.year.get(y) || 0]);
      fill(field("from"), years, wanted("from"));
      fill(field("to"), years, wanted("to"));
      fill(field("kind"), facets.kinds.map((kind, i) => [kind, kind, counts.kind[i]]), wanted("kind"));
    }

    function fill(select, options, selected) {
      const first = select.options[0];
      select.replaceChildren(
        first,
        ...options.map(([value, text, count]) => {
          const option = new Option(`${text} (${count})`, value, false, value === selected);
          option.disabled = count === 0 && value !== selected;
          return option;
        }),
      );
      select.value = selected;
    }

    // Thousands of regions would make one long list: the select shows the provinces, and the
    // children of the chosen region and of each region above it, indented, so that the reader
    // walks down the tree one level at a time and sees the path chosen.
    function fillRegions(facets, counts) {
      const selected = wanted("region");
      const open = new Set();
      for (let i = facets.regionIndex.get(selected) ?? -1; i >= 0; i = facets.regions[i].parent) open.add(i);
      const options = [];
      facets.regions.forEach((region, i) => {
        if (region.parent >= 0 && !open.has(region.parent)) return;
        options.push([region.value, "\u3000".repeat(region.depth) + region.name, counts[i]]);
      });
      fill(field("region"), options, selected);
      for (const option of field("region").options) if (option.value) option.title = option.value.split("/").join(" › ");
    }

    // Regions can be typed too: the list offers every region's whole path that would leave any report.
    function fillRegionNames(facets, counts) {
      const options = [];
      facets.regions.forEach((region, i) => {
        if (counts[i] === 0) return;
        const option = document.createElement("option");
        option.value = region.value.split("/").join(" › ");
        option.label = `${option.value} (${counts[i]})`;
        options.push(option);
      });
      regionOptions.replaceChildren(...options);
    }

    // A typed region applies once it is one of the list's: the tree select opens down to it.
    function regionTyped() {
      const path = field("region-find").value.trim().split(/\s*›\s*/).join("/");
      if (!outcome || !outcome.facets.regionIndex.has(path)) return;
      const select = field("region");
      select.dataset.want = path;
      select.replaceChildren(select.options[0]);
      field("region-find").value = "";
      writeUrl();
      update();
    }

    // On a narrow screen the filters fold behind a button, so that the first results are in view.
    const toggle = form.querySelector(".facets-toggle");
    const narrow = window.matchMedia("(max-width: 40rem)");
    function fitFacets() {
      toggle.hidden = !narrow.matches;
      facetsBox.hidden = narrow.matches && toggle.getAttribute("aria-expanded") !== "true";
    }
    toggle.addEventListener("click", () => {
      toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
      fitFacets();
      if (!facetsBox.hidden) wantFacets();
    });

    // Agencies are typed: the list offers the names that would leave any report, with their counts.
    function fillAgencies(facets, counts) {
      const typed = field("agency").value.trim();
      const options = [];
      facets.agencies.forEach((name, i) => {
        if (counts[i] === 0 && name !== typed) return;
        const option = document.createElement("option");
        option.value = name;
        option.label = `${name} (${counts[i]})`;
        options.push(option);
      });
      agencyOptions.replaceChildren(...options);
    }

    function wantFacets() {
      if (facetsWanted) return;
      facetsWanted = true;
      if (!outcome) update();
    }

    // Agency names are applied once complete: picked from the list, emptied, or committed by the reader.
    let lastAgency = null;
    function agencyChanged(event) {
      const typed = field("agency").value.trim();
      const known = outcome && outcome.facets.agencyIndex.has(typed);
      if (event.type === "change" || typed === "" || known) {
        if (typed === lastAgency) return;
        lastAgency = typed;
        writeUrl();
        update();
      }
    }

    for (const type of ["focusin", "pointerover", "pointerdown"]) facetsBox.addEventListener(type, wantFacets);
    field("region-find").addEventListener("input", regionTyped);
    field("region-find").addEventListener("change", regionTyped);
    narrow.addEventListener("change", fitFacets);
    fitFacets();
    field("agency").addEventListener("input", agencyChanged);
    field("agency").addEventListener("change", agencyChanged);
    more.addEventListener("click", () => {
      showMore(generation).catch((error) => (status.textContent = label("status_error", error.message)));
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      lastAgency = field("agency").value.trim();
      writeUrl();
      update();
    });
    form.addEventListener("change", (event) => {
      if (event.target.tagName !== "SELECT") return;
      writeUrl();
      update();
    });
    readUrl();
    lastAgency = field("agency").value.trim();
    update();
  }
})();
