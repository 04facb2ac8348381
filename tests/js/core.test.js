/* Unit tests of the search engine (layouts/assets/search-core.js) on hand-made data: run with
 * `node --test tests/js/`.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const core = require("../../layouts/assets/search-core.js");
const { BASE, END, varint, payload, makeArchive, memoryLoader, countOverlapping } = require("./make-archive.js");

const TABLE = {
  臨: "临",
  滄: "沧",
  開: "开",
  報: "报",
  Ａ: "a",
  A: "a",
  S: "s",
  ß: "ss",
  " ": "",
  "\u3000": "",
  "\n": "",
  "〔": "(",
  "〕": ")",
  "[": "(",
  "]": ")",
};
const SYNTAX = {
  table: new Map(Object.entries(TABLE)),
  space: new Set(" \u3000\t\n"),
  quotes: new Set('"“”＂'),
};

test("varints: one byte, several bytes, exactly 2^32 and beyond, up to 2^53 - 1", () => {
  const values = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 35 + 7];
  values.push(Number.MAX_SAFE_INTEGER, 1114112 * 1114113 + 1114112);
  const bytes = Uint8Array.from(values.flatMap((v) => varint(v, [])));
  const cursor = { at: 0 };
  assert.deepEqual(
    values.map(() => core.readVarint(bytes, cursor)),
    values,
  );
  assert.equal(cursor.at, bytes.length);
  // 2^32 needs five bytes, the fifth holding bit 28 upwards: a shift-based decoder would lose it.
  assert.deepEqual(varint(2 ** 32, []), [0x80, 0x80, 0x80, 0x80, 0x10]);
  assert.equal(core.readVarint(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x10]), { at: 0 }), 2 ** 32);
});

test("a varint running past the end of its bytes is an error, not a wrong number", () => {
  assert.throws(() => core.readVarint(Uint8Array.from([0x80, 0x80]), { at: 0 }), /past the end/);
  assert.equal(core.skipVarints(Uint8Array.from([0x81, 0x01, 0x05, 0x90, 0x02]), 0, 3), 5);
  assert.throws(() => core.skipVarints(Uint8Array.from([0x81]), 0, 1), /past the end/);
});

test("chunk lookup: below the first key, on each boundary, inside, and past the last start", () => {
  const starts = core.undelta([10 * BASE, BASE, 5, 2 ** 33]);
  assert.deepEqual(Array.from(starts), [10 * BASE, 11 * BASE, 11 * BASE + 5, 11 * BASE + 5 + 2 ** 33]);
  assert.equal(core.chunkOf(starts, 0), -1);
  assert.equal(core.chunkOf(starts, 10 * BASE - 1), -1);
  assert.equal(core.chunkOf(starts, 10 * BASE), 0);
  assert.equal(core.chunkOf(starts, 11 * BASE - 1), 0);
  assert.equal(core.chunkOf(starts, 11 * BASE), 1);
  assert.equal(core.chunkOf(starts, 11 * BASE + 4), 1);
  assert.equal(core.chunkOf(starts, 11 * BASE + 5), 2);
  assert.equal(core.chunkOf(starts, Number.MAX_SAFE_INTEGER), 3);
});

test("keys: a bigram is a * base + b; a character's keys run from c * base to c * base + end", () => {
  const code = "临".codePointAt(0);
  assert.equal(core.bigramKey(code, "沧".codePointAt(0), BASE), code * BASE + 0x6ca7);
  assert.deepEqual(core.charKeyRange(code, { base: BASE, end: END }), [code * BASE, code * BASE + END]);
  assert.ok(code * BASE + END < (code + 1) * BASE);
  assert.ok(core.bigramKey(0x2ffff, END, BASE) < Number.MAX_SAFE_INTEGER);
});

test("the cover of a term touches every character with as few bigrams as that takes", () => {
  assert.deepEqual(core.cover(2), [0]);
  assert.deepEqual(core.cover(3), [0, 1]);
  assert.deepEqual(core.cover(4), [0, 2]);
  assert.deepEqual(core.cover(5), [0, 2, 3]);
  assert.deepEqual(core.cover(6), [0, 2, 4]);
  assert.deepEqual(core.cover(7), [0, 2, 4, 5]);
  for (let length = 2; length < 30; length += 1) {
    const covered = new Set(core.cover(length).flatMap((i) => [i, i + 1]));
    assert.equal(covered.size, length);
  }
});

test("a chunk's keys and postings: records, counts, first positions and the positions themselves", () => {
  const key1 = 0x4e34 * BASE + 0x6ca7;
  const key2 = key1 + 7;
  // doc 3: positions 0, 5, 200; doc 130: position 2^20
  const posting1 = [...varint(3, []), 3, 0, 5, ...varint(195, []), ...varint(127, []), 1, ...varint(2 ** 20, [])];
  const posting2 = [0, 1, 9];
  const bytes = Uint8Array.from([
    2,
    ...varint(key1, []),
    ...varint(7, []),
    posting1.length,
    posting2.length,
    ...posting1,
    ...posting2,
  ]);
  const chunk = core.readChunk(bytes);
  assert.deepEqual(Array.from(chunk.keys), [key1, key2]);
  assert.equal(core.keyIndex(chunk, key2), 1);
  assert.equal(core.keyIndex(chunk, key1 + 1), -1);
  assert.equal(core.keyIndex(chunk, key1 - 1), -1);
  const posting = core.decodePosting(core.postingBytes(chunk, 0));
  assert.equal(posting.length, 2);
  assert.deepEqual(Array.from(posting.docs), [3, 130]);
  assert.deepEqual(Array.from(posting.counts), [3, 1]);
  assert.deepEqual(Array.from(posting.firsts), [0, 2 ** 20]);
  assert.deepEqual(Array.from(core.readPositions(posting, 0, new Uint32Array(3))), [0, 5, 200]);
  assert.deepEqual(Array.from(core.decodePosting(core.postingBytes(chunk, 1)).docs), [0]);
  assert.throws(() => core.readChunk(bytes.subarray(0, bytes.length - 1)), /shorter/);
});

test("payloads: base64 of zlib bytes, decoded by file kind", async () => {
  assert.deepEqual(await core.decodePayload("index", payload({ a: ["临沧", 1] })), { a: ["临沧", 1] });
  assert.equal(await core.decodePayload("t/reports/2016/x", payload("𠀀 臨滄\n")), "𠀀 臨滄\n");
  const bytes = await core.decodePayload("p/3", payload(Uint8Array.from([0, 255, 128])));
  assert.deepEqual(Array.from(bytes), [0, 255, 128]);
  const script = `gongkai.receive("t/a\\"b","${payload("x")}");\n`;
  assert.deepEqual(core.parseDataScript(script), { name: 't/a"b', payload: payload("x") });
  assert.throws(() => core.parseDataScript("alert(1)"), /not a search data file/);
  assert.equal(core.textName("reports/2016/foo.html"), "t/reports/2016/foo");
});

test("queries: split at whitespace outside quotes, normalised, empty dropped, repeats kept once", () => {
  const parse = (q) => core.parseQuery(q, SYNTAX);
  assert.deepEqual(parse("臨滄  低保"), ["临沧", "低保"]);
  assert.deepEqual(parse('"依申请 公开" 凤庆县'), ["依申请公开", "凤庆县"]);
  assert.deepEqual(parse("“临沧 市”"), ["临沧市"]);
  assert.deepEqual(parse("临沧 臨滄 临沧"), ["临沧"]);
  assert.deepEqual(parse('   "" \u3000'), []);
  assert.deepEqual(parse("ＡA Straße"), ["aa", "strasse"]);
  assert.deepEqual(parse('"open'), ["open"]);
  assert.deepEqual(parse("〔2016〕 [2016]"), ["(2016)"]);
});

// ------------------------------------------------------------------------------------------------
// A hand-made archive, written by tests/js/make-archive.js in chunks of three keys.

const REGIONS = [
  { v: "云南省", n: "云南省", p: -1 },
  { v: "云南省/临沧市", n: "临沧市", p: 0 },
  { v: "云南省/临沧市/凤庆县", n: "凤庆县", p: 1 },
  { v: "云南省/昆明市", n: "昆明市", p: 0 },
  { v: "辽宁省", n: "辽宁省", p: -1 },
];
const AGENCIES = ["临沧市民政局", "凤庆县财政局", "昆明市教育局", "辽宁省政府办公厅"];
const KINDS = ["年度报告", "自查报告"];

function report(doc, fields) {
  const regionNames = REGIONS[fields.region].v.split("/");
  return {
    docNumber: "",
    kind: 0,
    date: `${fields.year}-03-01`,
    lang: "zh-CN",
    url: `reports/${fields.year}/r${doc}.html`,
    regionNames,
    ...fields,
  };
}

const REPORTS = [
  report(0, { title: "云南省年度报告", agency: AGENCIES[0], region: 0, year: 2016, body: "全省 低保 公开。临沧 临沧" }),
  report(1, {
    title: "临沧市民政局报告",
    agency: AGENCIES[0],
    region: 1,
    year: 2015,
    docNumber: "临民字〔2016〕2号",
    body: "啊啊啊啊 低保 𠀀𠀁𠀀 临沧",
  }),
  report(2, { title: "臨滄市報告", agency: AGENCIES[0], region: 1, year: 2014, kind: 1, body: "低保低保 Straße 临" }),
  report(3, { title: "凤庆县财政局报告", agency: AGENCIES[1], region: 2, year: 2016, body: "临\n沧 公开 低保" }),
  report(4, { title: "凤庆县报告", agency: AGENCIES[1], region: 2, year: 2017, kind: -1, body: "𠀀 公开 依申请公开" }),
  report(5, { title: "昆明市报告", agency: AGENCIES[2], region: 3, year: 2016, kind: 1, body: "低保 公开 公开" }),
  report(6, { title: "辽宁省报告临", agency: AGENCIES[3], region: 4, year: 2018, body: "沧州 低保 ＡＰＰ app" }),
  report(7, { title: "辽宁省自查报告", agency: AGENCIES[3], region: 4, year: 2016, kind: 1, body: "公开 低保" }),
];
// Newest first: by year, then doc (an arbitrary but fixed order unrelated to doc numbers).
const NEWEST = (() => {
  const order = REPORTS.map((_, doc) => doc).sort((a, b) => REPORTS[b].year - REPORTS[a].year || b - a);
  const rank = [];
  order.forEach((doc, r) => (rank[doc] = r));
  return rank;
})();

function handMade(options = {}) {
  const reports = REPORTS.map((r) => ({ ...r }));
  return makeArchive({ reports, regions: REGIONS, agencies: AGENCIES, kinds: KINDS, newest: NEWEST, table: TABLE, ...options });
}

function inRegion(doc, regionValue) {
  const names = REGIONS[REPORTS[doc].region].v;
  return names === regionValue || names.startsWith(`${regionValue}/`);
}

function passes(doc, filters, except) {
  const r = REPORTS[doc];
  const years = core.yearRange(filters.year);
  return (
    (except === "region" || !filters.region || inRegion(doc, filters.region)) &&
    (except === "agency" || !filters.agency || r.agency === filters.agency) &&
    (except === "year" || !years || (r.year >= years.from && r.year <= years.to)) &&
    (except === "kind" || !filters.kind || KINDS[r.kind] === filters.kind)
  );
}

// The brute-force answer: the docs whose searchable text holds every term, ranked as the format says.
function bruteForce(texts, query, filters = {}, sort = "") {
  const terms = core.parseQuery(query, SYNTAX);
  const docs = REPORTS.map((_, doc) => doc).filter((doc) => terms.every((t) => texts[doc].text.includes(t)));
  const hits = docs.filter((doc) => passes(doc, filters));
  const headText = (doc) => texts[doc].fields.slice(0, 3).join("\n");
  const key = (doc) => [
    -terms.filter((t) => headText(doc).includes(t)).length,
    -terms.reduce((sum, t) => sum + countOverlapping(texts[doc].text, t), 0),
    NEWEST[doc],
  ];
  const compare = (a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  };
  hits.sort(terms.length && sort !== "date" ? compare : (a, b) => NEWEST[a] - NEWEST[b]);
  return { terms, docs, hits };
}

const QUERIES = [
  "临沧",
  "臨滄",
  "临",
  "沧",
  "低保",
  "低保 公开",
  "公开 低保 临沧",
  "啊啊",
  "啊啊啊",
  "啊啊啊啊啊",
  "𠀀",
  "𠀁",
  "𠀀𠀁",
  "𠀁𠀀",
  "𠀀𠀁𠀀",
  "strasse",
  "ss",
  "app",
  "ＡＰＰ",
  "临民字[2016]2号",
  "(2016)",
  "依申请公开",
  '"依申请 公开"',
  "凤庆县",
  "云南省 报告",
  "报告",
  "县",
  "省",
  "临沧 xyz",
  "xyz",
  "啊",
  "2",
  "号",
];

test("every query finds exactly the brute-force set, in the brute-force order", async () => {
  for (const keysPerChunk of [1, 3, 1000]) {
    const built = handMade({ keysPerChunk });
    const engine = core.createEngine(memoryLoader(built.files).load);
    for (const query of QUERIES) {
      const outcome = await engine.run(query, {});
      const expected = bruteForce(built.texts, query);
      assert.deepEqual(outcome.terms, expected.terms, query);
      assert.deepEqual(Array.from(outcome.hits), expected.hits, `${query} (chunks of ${keysPerChunk})`);
    }
  }
});

test("a one-character term is answered from a key range that spans several chunks", async () => {
  for (const keysPerChunk of [1, 2]) {
    const built = handMade({ keysPerChunk });
    const code = "临".codePointAt(0);
    const [lo, hi] = [code * BASE, code * BASE + END];
    const starts = Float64Array.from(built.starts);
    const spans = core.chunkOf(starts, hi) - core.chunkOf(starts, lo) + 1;
    assert.ok(spans >= 2, `the keys of 临 are in ${spans} chunks`);
    const { load, fetched } = memoryLoader(built.files);
    const engine = core.createEngine(load);
    const outcome = await engine.run("临", {});
    assert.deepEqual(Array.from(outcome.hits), bruteForce(built.texts, "临").hits);
    assert.equal([...fetched.keys()].filter((name) => name.startsWith("p/")).length, spans);
  }
});

test("a term never matches across the end of one field and the start of the next", async () => {
  const built = handMade();
  const engine = core.createEngine(memoryLoader(built.files).load);
  // Report 6's title ends with 临 and its body starts with 沧: the searchable text has 临\n…\n沧.
  const hits = Array.from((await engine.run("临沧", {})).hits);
  assert.ok(!hits.includes(6));
  // A line break inside the body is whitespace, which normalising drops: 临\n沧 there is 临沧.
  assert.ok(hits.includes(3));
});

test("occurrences overlap, as indexOf from the next character counts them, and count towards rank", async () => {
  const built = handMade();
  const engine = core.createEngine(memoryLoader(built.files).load);
  const found = await engine.match(["啊啊"]);
  assert.deepEqual(Array.from(found.docs), [1]);
  assert.deepEqual(Array.from(found.totals), [3]);
  assert.deepEqual(Array.from((await engine.match(["啊啊啊"])).totals), [2]);
  assert.deepEqual(Array.from((await engine.match(["𠀀"])).totals), [2, 1]);
});

test("ranking: terms in the head first, then occurrences, then newest; ties fall to the newest", async () => {
  const built = handMade();
  const engine = core.createEngine(memoryLoader(built.files).load);
  // Reports 3 and 7 have 低保 and 公开 once each in their bodies, none in the head: a tie broken by
  // newest rank (7 is newer, 2016 with the higher doc).
  const hits = Array.from((await engine.run("低保 公开", {})).hits);
  assert.ok(hits.indexOf(7) < hits.indexOf(3));
  assert.equal(hits[0], 5, "two 公开 and one 低保 beat the rest");
  const match = { docs: Uint32Array.from([0, 1, 2]), totals: Float64Array.from([4, 4, 9]), headTerms: Uint8Array.from([1, 1, 0]) };
  assert.deepEqual(Array.from(core.rankMatches(match, [5, 2, 0])), [1, 0, 2]);
  assert.deepEqual(Array.from(core.byNewest([0, 1, 2], [5, 2, 0])), [2, 1, 0]);
  const byDate = Array.from((await engine.run("低保", {}, "date")).hits);
  assert.deepEqual(byDate, bruteForce(built.texts, "低保", {}, "date").hits);
});

test("head: an occurrence counts as in the head when it starts before the head's length", async () => {
  const built = handMade();
  const engine = core.createEngine(memoryLoader(built.files).load);
  const found = await engine.match(["临沧", "号"]);
  assert.deepEqual(Array.from(found.docs), [1]);
  assert.deepEqual(Array.from(found.headTerms), [2]);
  const region = await engine.match(["云南省"]);
  // 云南省 is in every Yunnan report's region field, but in the head only of report 0's title.
  assert.deepEqual(Array.from(region.docs), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(region.headTerms), [1, 0, 0, 0, 0, 0]);
});

const FILTERS = [
  {},
  { region: "云南省" },
  { region: "云南省/临沧市" },
  { region: "云南省/临沧市/凤庆县" },
  { region: "不存在" },
  { agency: "临沧市民政局" },
  { agency: "无此机构" },
  { year: 2016 },
  { year: "2015-2016" },
  { year: "-2015" },
  { year: "2017-" },
  { kind: "自查报告" },
  { region: "云南省", year: "2014-2016", kind: "年度报告" },
  { region: "云南省/临沧市", agency: "临沧市民政局", year: "2015-", kind: "年度报告" },
];

test("filters narrow the hits; each facet counts with every filter but its own", async () => {
  const built = handMade();
  const engine = core.createEngine(memoryLoader(built.files).load);
  for (const query of ["", "低保", "公开", "临沧", "xyz"]) {
    for (const filters of FILTERS) {
      const outcome = await engine.run(query, filters);
      const expected = bruteForce(built.texts, query, filters);
      assert.deepEqual(Array.from(outcome.hits), expected.hits, JSON.stringify([query, filters]));
      const counts = engine.counts(outcome);
      const pool = query ? expected.docs : REPORTS.map((_, doc) => doc);
      const tally = (facet, belongs) => pool.filter((doc) => passes(doc, filters, facet) && belongs(doc)).length;
      REGIONS.forEach((region, i) => {
        assert.equal(counts.region[i], tally("region", (doc) => inRegion(doc, region.v)), `${region.v} ${query}`);
      });
      AGENCIES.forEach((name, i) => assert.equal(counts.agency[i], tally("agency", (d) => REPORTS[d].agency === name)));
      KINDS.forEach((kind, i) => assert.equal(counts.kind[i], tally("kind", (d) => REPORTS[d].kind === i)));
      for (const year of [2014, 2015, 2016, 2017, 2018]) {
        assert.equal(counts.year.get(year) || 0, tally("year", (d) => REPORTS[d].year === year), `${year}`);
      }
    }
  }
});

test("only the files a search needs are loaded, each once", async () => {
  const built = handMade({ keysPerChunk: 3, metaSize: 2 });
  const { load, fetched } = memoryLoader(built.files);
  const engine = core.createEngine(load);
  await engine.index();
  assert.deepEqual([...fetched.keys()], ["index"]);
  const outcome = await engine.run("啊啊", {});
  assert.deepEqual(Array.from(outcome.hits), [1]);
  const rows = await engine.rows(outcome.hits);
  assert.deepEqual(rows, [
    { doc: 1, url: "reports/2015/r1.html", title: "临沧市民政局报告", date: "2015-03-01", docNumber: "临民字〔2016〕2号", lang: "zh-CN" },
  ]);
  assert.deepEqual(
    [...fetched.keys()].filter((name) => name.startsWith("m/")),
    ["m/0"],
  );
  await Promise.all([engine.run("啊啊", {}), engine.run("啊啊 低保", {}), engine.rows([0, 1, 7])]);
  assert.ok([...fetched.values()].every((n) => n === 1), JSON.stringify([...fetched]));
  assert.ok(!fetched.has("m/1") && !fetched.has("m/2") && fetched.has("m/3"));
  assert.ok(![...fetched.keys()].some((name) => name.startsWith("t/")));
  assert.equal(await engine.text("reports/2015/r1.html"), REPORTS[1].body);
});

test("a failed file is not remembered: a later search may load it again", async () => {
  let failures = 1;
  const built = handMade();
  const load = core.createLoader(async (name) => {
    if (name === "facets" && failures-- > 0) throw new Error("offline");
    return built.files.get(name);
  });
  const engine = core.createEngine(load);
  await assert.rejects(engine.run("低保", {}), /offline/);
  const again = core.createEngine(load);
  assert.ok((await again.run("低保", {})).hits.length > 0);
});

// ------------------------------------------------------------------------------------------------
// Snippets

function marked(text, ranges) {
  return ranges.marks.map(([s, e]) => text.slice(s, e));
}

test("snippet: a window from 40 units before the first match, 160 long, matches marked in order", () => {
  const text = `${"前".repeat(100)}临沧${"中".repeat(20)}臨滄${"后".repeat(200)}`;
  const ranges = core.snippetRanges(text, ["临沧"], SYNTAX.table);
  assert.equal(ranges.start, 60);
  assert.equal(ranges.end, 220);
  assert.deepEqual(marked(text, ranges), ["临沧", "臨滄"]);
  const none = core.snippetRanges("没有", ["临沧"], SYNTAX.table);
  assert.deepEqual(none, { start: 0, end: 2, marks: [] });
});

test("snippet: overlapping matches of several terms are marked once, clipped to the window", () => {
  const text = "甲临沧市乙";
  const ranges = core.snippetRanges(text, ["临沧", "沧市"], SYNTAX.table);
  assert.deepEqual(ranges.marks, [
    [1, 3],
    [3, 4],
  ]);
  const clipped = core.snippetRanges(`${"x".repeat(5)}临沧`, ["临沧"], SYNTAX.table, 2, 4);
  assert.deepEqual(clipped, { start: 3, end: 7, marks: [[5, 7]] });
  const cut = core.snippetRanges(`${"x".repeat(5)}临沧`, ["临沧"], SYNTAX.table, 2, 3);
  assert.deepEqual(cut, { start: 3, end: 6, marks: [[5, 6]] });
});

test("snippet: astral characters are marked whole and never cut by the window", () => {
  const text = "𠀀𠀁临沧𠀀";
  const ranges = core.snippetRanges(text, ["𠀁临"], SYNTAX.table);
  assert.deepEqual(marked(text, ranges), ["𠀁临"]);
  assert.deepEqual(ranges.marks, [[2, 5]]);
  // 1 unit before 𠀁 is the low half of 𠀀: the window takes the whole character.
  const edge = core.snippetRanges(text, ["𠀁"], SYNTAX.table, 1, 3);
  assert.equal(edge.start, 0);
  assert.equal(edge.end, 4);
  const end = core.snippetRanges(text, ["𠀀"], SYNTAX.table, 0, 1);
  assert.deepEqual(end, { start: 0, end: 2, marks: [[0, 2]] });
});

test("snippet: folding that changes length maps matches back to whole original characters", () => {
  // ß folds to two letters, spaces and line breaks to nothing: offsets still point into the original.
  const text = "Die Straße 臨 滄\n市";
  const ranges = core.snippetRanges(text, ["strasse", "临沧市", "s"], SYNTAX.table);
  assert.deepEqual(marked(text, ranges), ["Straße", "臨 滄\n市"]);
  const half = core.snippetRanges("aßb", ["sb"], SYNTAX.table);
  assert.deepEqual(marked("aßb", half), ["ßb"]);
});
