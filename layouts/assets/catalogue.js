/* The catalogue's table (reports/index.html and its further pages): sorting by any column and
 * filtering as one types. Progressive enhancement over the rows the page holds: without script the
 * table is complete, newest first. A page holds at most 1,000 reports; the search page reaches them all.
 *
 * Sorting: each column header becomes a button; a column sorts as its th's data-sort says: "number",
 * "date" (ISO dates, empty ones last) or "text" (Chinese by the page language's collation, pinyin for
 * zh-CN; digits in a 文号 as numbers). Sorts are stable: equal rows keep the order the page gave them.
 *
 * Filtering: a row is shown when it contains every word of the query, folded as search folds them
 * (search-core.js's normalise, with the table search/index.js ships: Traditional → Simplified,
 * full-width → half-width, 文号 brackets), so 臨滄 finds 临沧. The table is loaded the first time the
 * box is used; until it arrives, words are matched as typed.
 *
 * A classic script: the pure functions are what require() returns in Node, for tests.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // Pure logic

  // A cell's sort key for a column of `kind`; null for an empty cell, which sorts last either way.
  function sortKey(kind, text) {
    const value = text.trim();
    if (!value) return null;
    if (kind === "number") {
      const number = Number.parseInt(value, 10);
      return Number.isNaN(number) ? null : number;
    }
    return value;
  }

  // Row indexes in the order of `keys` (one per row), ascending or not; ties keep their order.
  function sortOrder(keys, kind, ascending, collator) {
    const compare = kind === "text" ? collator.compare : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const sign = ascending ? 1 : -1;
    return keys
      .map((key, index) => ({ key, index }))
      .sort((a, b) => {
        if (a.key === null || b.key === null) {
          return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
        }
        return sign * compare(a.key, b.key) || a.index - b.index;
      })
      .map(({ index }) => index);
  }

  // What a filter compares a row by: each cell folded, joined by a line break no folded word holds.
  function rowKey(cells, fold) {
    return cells.map(fold).join("\n");
  }

  function rowMatches(key, terms) {
    return terms.every((term) => key.includes(term));
  }

  const logic = { sortKey, sortOrder, rowKey, rowMatches };
  if (typeof module === "object" && module.exports) {
    module.exports = logic;
    return;
  }

  // ---------------------------------------------------------------------------------------------
  // The page

  const table = document.querySelector("table.catalogue");
  const tools = document.getElementById("catalogue-tools");
  if (!table || !tools) return;
  const core = window.gongkaiCore;
  const root = new URL("../", document.currentScript.src);
  const labels = JSON.parse(document.getElementById("catalogue-labels").textContent);
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const headers = Array.from(table.tHead.rows[0].cells);
  const input = document.getElementById("catalogue-filter");
  const status = document.getElementById("catalogue-status");
  const searchAll = document.getElementById("catalogue-search");
  const lang = document.documentElement.getAttribute("lang") || "";
  const collator = new Intl.Collator(lang.startsWith("zh") ? lang : "zh-CN", { numeric: true });
  // Until search/index.js arrives: words split at spaces, matched as typed.
  let syntax = { table: new Map(), space: new Set(" \t\n\r\u3000"), quotes: new Set('"“”＂') };
  let keys = null;

  // Keys are read once, from the page as written: what the 简/繁 switch shows changes no order.
  const cellText = (row, column) => {
    const cell = row.cells[column];
    const time = cell.querySelector("time");
    return time ? time.getAttribute("datetime") : cell.textContent;
  };
  const cellTexts = rows.map((row) => headers.map((_, column) => cellText(row, column)));

  function sortBy(column, ascending) {
    const kind = headers[column].dataset.sort || "text";
    const order = sortOrder(
      cellTexts.map((texts) => sortKey(kind, texts[column])),
      kind,
      ascending,
      collator,
    );
    const sorted = document.createDocumentFragment();
    for (const index of order) sorted.appendChild(rows[index]);
    body.appendChild(sorted);
    headers.forEach((header, i) => {
      if (i === column) header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      else header.removeAttribute("aria-sort");
    });
  }

  // Each header's text becomes a button, the header keeps its text (and its lang) in it.
  headers.forEach((header, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    while (header.firstChild) button.appendChild(header.firstChild);
    header.appendChild(button);
    button.addEventListener("click", () => sortBy(column, header.getAttribute("aria-sort") !== "ascending"));
  });

  function fold(text) {
    return core ? core.normalise(text, syntax.table) : text.toLowerCase();
  }

  function filter() {
    const query = input.value;
    const terms = core ? core.parseQuery(query, syntax) : query.toLowerCase().split(/\s+/).filter(Boolean);
    keys = keys || cellTexts.map((texts) => rowKey(texts, fold));
    let shown = 0;
    rows.forEach((row, index) => {
      const match = rowMatches(keys[index], terms);
      row.hidden = !match;
      shown += match ? 1 : 0;
    });
    status.textContent = labels.shown.replace("{n}", shown).replace("{total}", rows.length);
    if (searchAll) {
      const address = new URL(searchAll.getAttribute("href"), location.href);
      address.search = query.trim() ? new URLSearchParams({ q: query.trim() }).toString() : "";
      searchAll.href = address.href;
    }
  }

  // search/index.js hands over the folding table search uses; loaded once, when the box is first used.
  let folding = null;
  function loadFolding() {
    if (folding || !core) return;
    folding = new Promise((resolve, reject) => {
      window.gongkai = window.gongkai || {};
      window.gongkai.receive = (name, payload) => resolve(core.decodePayload(name, payload));
      const script = document.createElement("script");
      script.src = new URL("search/index.js", root).href;
      script.onload = () => script.remove();
      script.onerror = () => reject(new Error("search/index.js"));
      document.head.appendChild(script);
    });
    folding
      .then((raw) => {
        syntax = core.prepareIndex(raw);
        keys = null;
        filter();
      })
      .catch(() => undefined); // words are still matched as typed
  }

  input.addEventListener("focus", loadFolding);
  input.addEventListener("input", () => {
    loadFolding();
    filter();
  });
  tools.hidden = false;
  filter();
})();
