/* The engine on an archive built by the Python build, against the Python reference's answers.
 *
 * tests/test_search_core.py builds the site, writes the reference and runs `node --test tests/js/`
 * with GONGKAI_SEARCH_SITE (the built site folder) and GONGKAI_SEARCH_REFERENCE (the reference JSON).
 * Without them these tests are skipped.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs/promises");
const path = require("node:path");
const core = require("../../layouts/assets/search-core.js");

const SITE = process.env.GONGKAI_SEARCH_SITE;
const REFERENCE = process.env.GONGKAI_SEARCH_REFERENCE;
const skip = SITE && REFERENCE ? false : "GONGKAI_SEARCH_SITE and GONGKAI_SEARCH_REFERENCE name no built site";

// The site's data files, read from disk as the page would load them: each declares its own name.
function siteLoader(site) {
  const fetched = new Map();
  const load = core.createLoader(async (name) => {
    fetched.set(name, (fetched.get(name) || 0) + 1);
    const source = await fs.readFile(path.join(site, "search", `${name}.js`), "utf8");
    const data = core.parseDataScript(source);
    assert.equal(data.name, name, `search/${name}.js declares the name ${data.name}`);
    return data.payload;
  });
  return { load, fetched };
}

async function reference() {
  return JSON.parse(await fs.readFile(REFERENCE, "utf8"));
}

function label(c) {
  return `${JSON.stringify(c.query)} ${JSON.stringify(c.filters)} ${c.sort}`;
}

test("every query finds the reference's reports, ranked as the reference ranks them", { skip }, async () => {
  const { cases } = await reference();
  const engine = core.createEngine(siteLoader(SITE).load);
  const wrong = [];
  for (const c of cases) {
    const outcome = await engine.run(c.query, c.filters, c.sort);
    const urls = (await engine.rows(outcome.hits)).map((row) => row.url);
    if (new Set(urls).size !== urls.length) wrong.push(`${label(c)}: duplicates`);
    const [found, expected] = [new Set(urls), new Set(c.urls)];
    const missing = c.urls.filter((url) => !found.has(url));
    const extra = urls.filter((url) => !expected.has(url));
    if (missing.length || extra.length) wrong.push(`${label(c)}: missing ${missing}, extra ${extra}`);
    else if (urls.join("\n") !== c.urls.join("\n")) wrong.push(`${label(c)}: ranked ${urls} not ${c.urls}`);
  }
  assert.deepEqual(wrong, []);
});

test("facet counts equal the reference's, each with every filter but its own", { skip }, async () => {
  const { cases } = await reference();
  const engine = core.createEngine(siteLoader(SITE).load);
  for (const c of cases) {
    const outcome = await engine.run(c.query, c.filters, c.sort);
    const counts = engine.counts(outcome);
    const { facets } = outcome;
    const nonzero = (names, tally) =>
      Object.fromEntries(names.map((name, i) => [name, tally[i]]).filter(([, n]) => n > 0));
    const got = {
      region: nonzero(
        facets.regions.map((r) => r.value),
        counts.region,
      ),
      agency: nonzero(facets.agencies, counts.agency),
      year: Object.fromEntries([...counts.year].filter(([, n]) => n > 0).map(([y, n]) => [String(y), n])),
      kind: nonzero(facets.kinds, counts.kind),
    };
    assert.deepEqual(got, c.facets, label(c));
  }
});

test("a search loads the index, the facets, its chunks and, for rows, only its hits' meta files", { skip }, async () => {
  const { cases, reports } = await reference();
  const { load, fetched } = siteLoader(SITE);
  const engine = core.createEngine(load);
  const index = await engine.index();
  assert.equal(index.reports, reports);
  assert.deepEqual([...fetched.keys()], ["index"]);
  const place = cases.find((c) => c.query === "临沧" && !c.sort && !Object.keys(c.filters).length);
  const outcome = await engine.run(place.query, {});
  await engine.rows(outcome.hits.subarray(0, 20));
  const metas = new Set(Array.from(outcome.hits.subarray(0, 20), (doc) => `m/${Math.floor(doc / index.metaSize)}`));
  const loaded = [...fetched.keys()];
  assert.deepEqual(
    loaded.filter((name) => name.startsWith("m/")).sort(),
    [...metas].sort(),
  );
  assert.ok(loaded.every((name) => name === "index" || name === "facets" || /^[pm]\/\d+$/.test(name)), loaded);
  assert.ok([...fetched.values()].every((n) => n === 1));
});

test("every report on the site has its text file, and snippets mark what the query matched", { skip }, async () => {
  const { cases } = await reference();
  const engine = core.createEngine(siteLoader(SITE).load);
  const index = await engine.index();
  const everything = await engine.run("", {});
  const rows = await engine.rows(everything.hits);
  assert.equal(rows.length, index.reports);
  for (const row of rows) {
    const text = await engine.text(row.url);
    assert.equal(typeof text, "string", row.url);
  }
  for (const c of cases.filter((c) => c.urls.length && !c.sort && !Object.keys(c.filters).length)) {
    const terms = core.parseQuery(c.query, index);
    for (const url of c.urls.slice(0, 3)) {
      const text = await engine.text(url);
      const ranges = core.snippetRanges(text, terms, index.table);
      for (const [s, e] of ranges.marks) {
        // A mark is a term, or the part of one left after an overlapping mark or the window's end.
        const marked = core.normalise(text.slice(s, e), index.table);
        assert.ok(marked && terms.some((term) => term.includes(marked)), `${url}: ${marked}`);
        assert.ok(ranges.start <= s && s < e && e <= ranges.end, `${url} ${s} ${e}`);
      }
    }
  }
});
