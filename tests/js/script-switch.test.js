/* The 简/繁 switch's logic (layouts/assets/script-switch.js): `node --test tests/js/`. */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const logic = require("../../layouts/assets/script-switch.js");

const LABELS = {
  全部报告: "全部報告",
  附件: "附件s",
  "{n} 份报告": "{n} 份報告",
  "显示 {n} / {total} 份": "顯示 {n} / {total} 份",
  政府信息公开报告档案: "政府信息公開報告檔案",
};

test("pairs of characters become a map, astral characters whole", () => {
  const map = logic.pairsMap("发發后後𠀀𠀁");
  assert.deepEqual([...map], [["发", "發"], ["后", "後"], ["𠀀", "𠀁"]]);
  assert.equal(logic.convertChars("头发后来𠀀", map), "头發後来𠀁");
});

test("a label converts whole, with spaces and a colon around it, and with its numbers", () => {
  const label = logic.labelConverter(LABELS);
  assert.equal(label("全部报告"), "全部報告");
  assert.equal(label(" 全部报告 "), " 全部報告 ");
  assert.equal(label("附件："), "附件s：");
  assert.equal(label("5 份报告"), "5 份報告");
  assert.equal(label("显示 3 / 12 份"), "顯示 3 / 12 份");
});

test("text that is not a label as a whole is left alone, or to the rest", () => {
  const label = logic.labelConverter(LABELS);
  assert.equal(label("临沧市民政局"), null);
  assert.equal(label("全部报告的目录"), null);
  assert.equal(label("份报告"), null);
  assert.equal(label("临沧", () => "臨滄"), "臨滄");
});

test("a page title converts label by label, the rest by the rest", () => {
  const label = logic.labelConverter(LABELS);
  assert.equal(label("全部报告 · 政府信息公开报告档案"), "全部報告 · 政府信息公開報告檔案");
  assert.equal(label("临沧市民政局 · 政府信息公开报告档案"), "临沧市民政局 · 政府信息公開報告檔案");
  assert.equal(label("临沧 · 政府信息公开报告档案", () => "臨滄"), "臨滄 · 政府信息公開報告檔案");
  assert.equal(label("临沧 · 沈阳"), null);
});

test("scripts of language tags", () => {
  assert.equal(logic.scriptOf("zh-CN"), "hans");
  assert.equal(logic.scriptOf("zh-Hans"), "hans");
  assert.equal(logic.scriptOf("zh-TW"), "hant");
  assert.equal(logic.scriptOf("zh-Hant-HK"), "hant");
  assert.equal(logic.scriptOf("en"), "");
  assert.equal(logic.scriptOf(null), "");
});

test("a stored choice, or the site's script; what it asks of the page", () => {
  assert.deepEqual(logic.readChoice(null, "hans"), { script: "hans", text: false });
  assert.deepEqual(logic.readChoice("{oops", "hant"), { script: "hant", text: false });
  assert.deepEqual(logic.readChoice('{"script":"latin"}', "hans"), { script: "hans", text: false });
  assert.deepEqual(logic.readChoice('{"script":"hant","text":true}', "hans"), { script: "hant", text: true });
  assert.deepEqual(logic.planFor({ script: "hans", text: false }, "hans"), { labels: "", text: "" });
  assert.deepEqual(logic.planFor({ script: "hant", text: false }, "hans"), { labels: "hant", text: "" });
  assert.deepEqual(logic.planFor({ script: "hans", text: true }, "hans"), { labels: "hans", text: "hans" });
  assert.deepEqual(logic.planFor({ script: "hans", text: false }, "hant"), { labels: "hans", text: "" });
});
