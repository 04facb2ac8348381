/* The 简/繁 display switch in the site header: the interface labels in Simplified or Traditional
 * characters and, when the reader asks for it, the reports' text too.
 *
 * Conversion happens here, on display only: every page stays as the archive wrote it. The reader's
 * choice is kept in localStorage (which Chromium keeps for file:// pages too) and applied before the
 * page is first shown: this script runs in <head>, and when a stored choice asks for a conversion the
 * page stays hidden until it is converted.
 *
 * Data (generator/build/hanzi.py), each file a classic script calling gongkaiHanzi.receive(name, data),
 * loaded only when needed: hanzi/labels.js, the site's labels as written → as each script writes them,
 * converted whole at build time; hanzi/s2t.js and hanzi/t2s.js, what each character becomes on its own.
 *
 * In the interface mode, text is converted only where it is a label as a whole (a label with a number
 * in it, such as "{n} 份报告", counts too), outside anything that carries its own lang: names, titles
 * and report text stay as written. With the text too, everything is converted, labels from the label
 * table and the rest character by character; the lang attributes say so (zh-Hans or zh-Hant).
 *
 * A classic script: the pure functions are what require() returns in Node, for tests.
 */
(function () {
  "use strict";

  const STORAGE_KEY = "gongkai.script";
  // What may stand around a label in a text node: spaces, and the colon after a label such as 附件：
  const AROUND = /^([\s：:]*)([\s\S]*?)([\s：:]*)$/;
  // Parts of one text, such as a page title "全部报告 · 档案名", each of which may be a label.
  const PARTS = " · ";
  const PLACEHOLDERS = /\{[a-z_]+\}/g;
  const PLACEHOLDER = /\{[a-z_]+\}/;

  // ---------------------------------------------------------------------------------------------
  // Pure logic

  // "发發后後…" → Map 发→發, 后→後; characters outside the BMP are whole code points.
  function pairsMap(pairs) {
    const chars = Array.from(pairs);
    const map = new Map();
    for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
    return map;
  }

  function convertChars(text, map) {
    let out = "";
    for (const ch of text) {
      const to = map.get(ch);
      out += to === undefined ? ch : to;
    }
    return out;
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // A label with placeholders as a pattern: its literal parts as written, and as converted.
  function placeholderRule(written, converted) {
    const parts = written.split(PLACEHOLDERS);
    const into = converted.split(PLACEHOLDERS);
    if (parts.length < 2 || into.length !== parts.length) return null;
    return { pattern: new RegExp(`^${parts.map(escapeRegExp).join("([\\s\\S]+?)")}$`), into };
  }

  // table: {label as written: as the chosen script writes it} → (text, rest) → the text converted, or
  // null when nothing of it changes. A text that is not a label, or a part of it (" · ") that is not,
  // is left to rest(text), which gives its conversion or null.
  function labelConverter(table) {
    const exact = new Map(Object.entries(table).filter(([written]) => !PLACEHOLDER.test(written)));
    const rules = Object.entries(table)
      .map(([written, converted]) => placeholderRule(written, converted))
      .filter(Boolean);

    function whole(text) {
      if (exact.has(text)) return exact.get(text);
      for (const rule of rules) {
        const found = rule.pattern.exec(text);
        if (found) return rule.into.map((part, i) => (i === 0 ? part : found[i] + part)).join("");
      }
      return null;
    }

    function trimmed(text) {
      const [, before, core, after] = AROUND.exec(text);
      const converted = core ? whole(core) : null;
      return converted === null ? null : before + converted + after;
    }

    return function convert(text, rest = () => null) {
      const converted = trimmed(text);
      if (converted !== null) return converted;
      if (!text.includes(PARTS)) return rest(text);
      const parts = text.split(PARTS).map((part) => ({ part, to: trimmed(part) ?? rest(part) }));
      if (parts.every(({ to }) => to === null)) return null;
      return parts.map(({ part, to }) => (to === null ? part : to)).join(PARTS);
    };
  }

  // "hans", "hant", or "" for a language that is not Chinese.
  function scriptOf(lang) {
    const tag = (lang || "").toLowerCase();
    if (!/^zh(-|$)/.test(tag)) return "";
    return /-(hant|tw|hk|mo)(-|$)/.test(tag) ? "hant" : "hans";
  }

  function langOf(script) {
    return script === "hant" ? "zh-Hant" : "zh-Hans";
  }

  // A stored choice, or the site's own script when there is none or it is not one.
  function readChoice(stored, siteScript) {
    try {
      const choice = JSON.parse(stored);
      if (choice && (choice.script === "hans" || choice.script === "hant")) {
        return { script: choice.script, text: choice.text === true };
      }
    } catch (error) {
      // Nothing stored, or not by this script: the default.
    }
    return { script: siteScript, text: false };
  }

  // What a choice asks of the page: the script labels are shown in (or "" for as written), and the
  // script the rest of the text is shown in (or "" for as written).
  function planFor(choice, siteScript) {
    return {
      labels: choice.script !== siteScript || choice.text ? choice.script : "",
      text: choice.text ? choice.script : "",
    };
  }

  const logic = { pairsMap, convertChars, labelConverter, scriptOf, langOf, readChoice, planFor };
  if (typeof module === "object" && module.exports) {
    module.exports = logic;
    return;
  }

  // ---------------------------------------------------------------------------------------------
  // The page

  const html = document.documentElement;
  // An English site has no Chinese labels; its titles are Simplified in the sample and by default.
  const siteScript = scriptOf(html.getAttribute("lang")) || "hans";
  const root = new URL("../", document.currentScript.src);
  const received = new Map();
  const loading = new Map();
  window.gongkaiHanzi = { receive: (name, data) => received.set(name, data) };

  function load(name) {
    if (!loading.has(name)) {
      const loaded = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL(`hanzi/${name}.js`, root).href;
        script.onload = () => {
          script.remove();
          if (received.has(name)) resolve(received.get(name));
          else reject(new Error(`hanzi/${name}.js`));
        };
        script.onerror = () => {
          script.remove();
          reject(new Error(`hanzi/${name}.js`));
        };
        document.head.appendChild(script);
      });
      loaded.catch(() => loading.delete(name));
      loading.set(name, loaded);
    }
    return loading.get(name);
  }

  function stored() {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      return null; // storage refused: every page shows the default
    }
  }

  function store(choice) {
    try {
      if (choice.script === siteScript && !choice.text) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
    } catch (error) {
      // Not remembered; this page still shows the choice.
    }
  }

  // What converting needs: the label table for the chosen script, and the character table.
  async function tools(plan) {
    const [labels, chars] = await Promise.all([
      plan.labels ? load("labels") : null,
      plan.text ? load(plan.text === "hant" ? "s2t" : "t2s") : null,
    ]);
    return {
      plan,
      label: plan.labels ? labelConverter(labels[plan.labels] || {}) : () => null,
      chars: chars === null ? null : pairsMap(chars),
    };
  }

  // --- converting the document, and putting it back ---

  const SKIPPED = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA", "TEMPLATE"]);
  const ATTRIBUTES = ["title", "aria-label", "placeholder", "alt"];
  const texts = new Map(); // text node → its text as written
  const attributes = new Map(); // element → Map(attribute → as written)
  const langs = new Map(); // element → its lang as written (null: none)
  let current = null;
  let observer = null;

  // The lang an element was written with, whatever this script set since.
  function writtenLang(element) {
    return langs.has(element) ? langs.get(element) : element.getAttribute("lang");
  }

  // The lang of the nearest element below <html> that has its own, as written: report titles and
  // text, and the switch's own options. null for what inherits the page's.
  function ownLang(node) {
    for (let element = node.parentElement; element && element !== html; element = element.parentElement) {
      const lang = writtenLang(element);
      if (lang !== null) return lang;
    }
    return null;
  }

  function setLang(element, lang) {
    if (!langs.has(element)) langs.set(element, element.getAttribute("lang"));
    element.setAttribute("lang", lang);
  }

  function skipped(node) {
    const parent = node.parentElement;
    return !parent || SKIPPED.has(parent.tagName) || parent.closest("[data-as-written]") !== null;
  }

  // The text as shown, or null to leave it: a label in the chosen script; with the text too, anything
  // not already written in that script, character by character.
  function converted(text, own) {
    const { plan, label, chars } = current;
    const asWritten = !chars || (own !== null && scriptOf(own) === plan.text);
    const rest = (part) => {
      const to = asWritten ? part : convertChars(part, chars);
      return to === part ? null : to;
    };
    return own === null ? label(text, rest) : rest(text);
  }

  // Converted text is marked as written in the chosen script, where the page does not say so already.
  function markLang(element) {
    const target = current.plan.labels;
    const marked = element.closest("[lang]");
    if (element !== document.body && scriptOf(marked && marked.getAttribute("lang")) !== target) {
      setLang(element, langOf(target));
    }
  }

  function convertText(node) {
    if (texts.has(node) || skipped(node) || !node.nodeValue.trim()) return;
    const to = converted(node.nodeValue, ownLang(node));
    if (to === null) return;
    texts.set(node, node.nodeValue);
    node.nodeValue = to;
    if (node.parentElement.tagName !== "TITLE") markLang(node.parentElement);
  }

  function convertAttributes(element) {
    if (element.closest("[data-as-written]")) return;
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      const kept = attributes.get(element);
      if (value === null || (kept && kept.has(name))) continue;
      const own = writtenLang(element);
      const to = converted(value, own === null ? ownLang(element) : own);
      if (to === null) continue;
      if (!kept) attributes.set(element, new Map([[name, value]]));
      else kept.set(name, value);
      element.setAttribute(name, to);
      markLang(element);
    }
  }

  function convertTree(top) {
    if (top.nodeType === Node.TEXT_NODE) return convertText(top);
    if (top.nodeType !== Node.ELEMENT_NODE) return;
    convertAttributes(top);
    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) convertText(node);
      else convertAttributes(node);
    }
  }

  // Everything back as written.
  function restore() {
    for (const [node, text] of texts) node.nodeValue = text;
    for (const [element, kept] of attributes) for (const [name, value] of kept) element.setAttribute(name, value);
    for (const [element, lang] of langs) {
      if (lang === null) element.removeAttribute("lang");
      else element.setAttribute("lang", lang);
    }
    texts.clear();
    attributes.clear();
    langs.clear();
  }

  function apply(converting) {
    restore();
    current = converting;
    if (!current) return;
    if (current.plan.text) {
      // Everything on the page is now in one script.
      for (const element of [html, ...document.querySelectorAll("[lang]")]) {
        if (scriptOf(writtenLang(element)) && !element.closest("[data-as-written]")) {
          setLang(element, langOf(current.plan.text));
        }
      }
    }
    const title = document.querySelector("head > title");
    if (title) convertTree(title);
    convertTree(document.body);
    watch();
  }

  // What the page's own scripts add or change later (search results, counts) is converted too.
  function watch() {
    if (observer) return;
    observer = new MutationObserver((records) => {
      if (!current) return;
      for (const record of records) {
        if (record.type === "characterData") {
          texts.delete(record.target);
          convertText(record.target);
        } else if (record.type === "attributes") {
          const kept = attributes.get(record.target);
          if (kept) kept.delete(record.attributeName);
          convertAttributes(record.target);
        } else {
          record.addedNodes.forEach(convertTree);
        }
      }
      observer.takeRecords(); // our own changes
    });
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ATTRIBUTES,
    });
  }

  // Changes made while converting are ours, not the page's.
  function quietly(action) {
    action();
    if (observer) observer.takeRecords();
  }

  // The last choice wins, however long the data of an earlier one takes to arrive.
  let shown = 0;
  async function show(choice) {
    const asked = (shown += 1);
    const plan = planFor(choice, siteScript);
    const converting = plan.labels || plan.text ? await tools(plan) : null;
    if (asked === shown) quietly(() => apply(converting));
  }

  // --- before the page is shown ---

  let choice = readChoice(stored(), siteScript);
  const firstPlan = planFor(choice, siteScript);
  if (firstPlan.labels || firstPlan.text) {
    const hiding = document.createElement("style");
    hiding.textContent = "body { visibility: hidden !important; }";
    document.head.appendChild(hiding);
    // Without its data the page is shown as written.
    const ready = tools(firstPlan).catch(() => null);
    document.addEventListener("DOMContentLoaded", () => {
      const asked = (shown += 1);
      ready.then((converting) => {
        try {
          if (asked === shown) quietly(() => apply(converting));
        } finally {
          hiding.remove();
        }
      });
    });
  }

  // --- the switch ---

  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("script-switch");
    if (!box) return;
    const select = document.getElementById("script-choice");
    const text = document.getElementById("script-text");
    select.value = choice.script;
    text.checked = choice.text;
    box.hidden = false;
    const changed = () => {
      choice = { script: select.value, text: text.checked };
      store(choice);
      show(choice).catch(() => undefined);
    };
    select.addEventListener("change", changed);
    text.addEventListener("change", changed);
  });
})();
