/* The catalogue table's sorting and filtering logic (layouts/assets/catalogue.js): `node --test tests/js/`. */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { sortKey, sortOrder, rowKey, rowMatches } = require("../../layouts/assets/catalogue.js");

const PINYIN = new Intl.Collator("zh-CN", { numeric: true });

test("numbers and dates sort as such; empty cells last both ways", () => {
  const years = ["2016", "9", "", "2014", "2016"].map((text) => sortKey("number", text));
  assert.deepEqual(years, [2016, 9, null, 2014, 2016]);
  assert.deepEqual(sortOrder(years, "number", true, PINYIN), [1, 3, 0, 4, 2]);
  assert.deepEqual(sortOrder(years, "number", false, PINYIN), [0, 4, 3, 1, 2]);
  const dates = ["2016-03-31", "", "2014-01-02", "2016-12-28"].map((text) => sortKey("date", text));
  assert.deepEqual(sortOrder(dates, "date", true, PINYIN), [2, 0, 3, 1]);
  assert.deepEqual(sortOrder(dates, "date", false, PINYIN), [3, 0, 2, 1]);
});

test("Chinese text sorts by pinyin, not by code point; ties keep the page's order", () => {
  const agencies = ["云南省人民政府研究室", "临沧市民政局", "昆明市五华区人民政府办公室", "临沧市民政局", "沈阳市人民政府办公厅"];
  const keys = agencies.map((text) => sortKey("text", text));
  // yun, lin, kun, lin, shen → kun, lin, lin (first one first), shen, yun
  assert.deepEqual(sortOrder(keys, "text", true, PINYIN), [2, 1, 3, 4, 0]);
  assert.deepEqual(sortOrder(keys, "text", false, PINYIN), [0, 4, 1, 3, 2]);
});

test("a 文号 sorts its numbers as numbers", () => {
  const numbers = ["临民字〔2018〕10号", "临民字〔2018〕2号", "临民字〔2017〕31号"];
  assert.deepEqual(sortOrder(numbers.map((t) => sortKey("text", t)), "text", true, PINYIN), [2, 1, 0]);
});

test("a row matches when it holds every term, never across two cells", () => {
  const fold = (text) => text.replace(/\s/g, "").replace("臨", "临").replace("滄", "沧");
  const key = rowKey(["2017", "云南省 临沧市", "臨滄市民政局"], fold);
  assert.equal(rowMatches(key, ["临沧", "2017"]), true);
  assert.equal(rowMatches(key, []), true);
  assert.equal(rowMatches(key, ["临沧", "2018"]), false);
  assert.equal(rowMatches(key, ["2017云南"]), false);
});
