// gongkai serve's script, added to pages only as the server sends them (never written into the site).
// It waits for the next build: after a good one it reloads the page; after a failed one it shows the
// problems over the last good page, each with the lines of the file around it, until the reader closes
// them (the close button, or Escape) or another build ends.
(() => {
  "use strict";
  // The build the page came from; the first question is answered at once, and a newer good build reloads.
  let version = Number(document.currentScript?.dataset.version ?? -1);
  let first = true;
  // The failed build whose problems are on screen, and the one whose problems the reader closed: those
  // stay closed while the server keeps answering with the same build.
  let shown = -1;
  let closed = -1;
  let host = null;

  // In a shadow root, so that neither the page's stylesheet nor this one reaches the other.
  const STYLE = `
    section { position: fixed; inset: auto 0 0 0; max-height: 60vh; overflow: auto; z-index: 2147483647;
      margin: 0; padding: 0.75rem 1.25rem 1rem; background: #2d0b0b; color: #ffe9e9;
      font: 14px/1.5 system-ui, sans-serif; border-top: 4px solid #ff6b6b; box-shadow: 0 -4px 16px #0006; }
    .head { display: flex; align-items: center; gap: 1rem; justify-content: space-between; }
    h2 { margin: 0; font-size: 1rem; }
    .note { margin: 0.25rem 0 0.5rem; color: #ffc9c9; }
    button { font: inherit; padding: 0.2rem 0.8rem; border: 1px solid #ffb3b3; border-radius: 4px;
      background: #4a1414; color: #fff; cursor: pointer; flex: none; }
    button:hover { background: #6a1f1f; }
    button:focus-visible { outline: 3px solid #ffd866; outline-offset: 2px; }
    ol { margin: 0; padding: 0; list-style: none; }
    li { margin: 0.75rem 0 0; padding-top: 0.75rem; border-top: 1px solid #5c2020; }
    li:first-child { border-top: 0; padding-top: 0; }
    p { margin: 0; }
    code, pre { font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .where { font-weight: 700; color: #fff; }
    .hint { color: #ffc9c9; }
    pre { margin: 0.4rem 0 0; padding: 0.4rem 0; background: #1c0606; border-radius: 4px; overflow-x: auto; }
    pre span, pre mark { display: block; padding: 0 0.75rem; white-space: pre; color: #f3dada; }
    pre mark { background: #6a1f1f; color: #fff; }
  `;

  function element(name, attributes = {}, text = null) {
    const made = document.createElement(name);
    for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, value);
    if (text !== null) made.textContent = text; // text, never markup: a file's lines are shown as written
    return made;
  }

  // The lines around the one at fault, numbered, the failing one marked with › and highlighted.
  function source(lines) {
    const pre = element("pre");
    const width = String(lines.at(-1).number).length;
    for (const line of lines) {
      const number = String(line.number).padStart(width);
      pre.append(element(line.failing ? "mark" : "span", {}, `${line.failing ? "›" : " "} ${number} │ ${line.text}`));
    }
    return pre;
  }

  function item(problem) {
    const li = element("li");
    li.append(element("p", { class: "where" }, problem.where), element("p", { class: "message" }, problem.message));
    if (problem.hint) li.append(element("p", { class: "hint" }, `提示 hint: ${problem.hint}`));
    if (problem.excerpt.length) li.append(source(problem.excerpt));
    return li;
  }

  function render(problems) {
    const count = problems.length;
    const made = element("gongkai-overlay");
    const root = made.attachShadow({ mode: "open" });
    const box = element("section", {
      id: "gongkai-problems",
      role: "alertdialog",
      "aria-labelledby": "gongkai-problems-title",
      "aria-describedby": "gongkai-problems-note",
    });
    const head = element("div", { class: "head" });
    const title = `构建失败：${count} 个问题 · Build failed: ${count} ${count === 1 ? "problem" : "problems"}`;
    const button = element("button", { type: "button", "aria-keyshortcuts": "Escape" }, "关闭 Close");
    button.addEventListener("click", close);
    head.append(element("h2", { id: "gongkai-problems-title" }, title), button);
    const note = "仍显示上次成功构建的页面；改好文件后自动刷新。 Showing the last good build; fix the file and the page reloads.";
    const list = element("ol");
    list.append(...problems.map(item));
    box.append(head, element("p", { id: "gongkai-problems-note", class: "note" }, note), list);
    root.append(element("style", {}, STYLE), box);
    return made;
  }

  function close() {
    if (!host) return;
    const hadFocus = host.shadowRoot.activeElement !== null;
    host.remove();
    host = null;
    closed = shown;
    // Focus goes back to the page's main text, not to nowhere.
    const main = document.getElementById("main");
    if (hadFocus && main) main.focus();
  }

  function show(outcome) {
    if (!outcome.problems.length) {
      host?.remove();
      host = null;
      return;
    }
    if (outcome.version === shown || outcome.version === closed) return; // already on screen, or closed
    host?.remove();
    shown = outcome.version;
    host = render(outcome.problems);
    // First in the page, so that the first Tab reaches its close button.
    document.body.prepend(host);
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && host) close();
  });

  async function follow() {
    for (;;) {
      try {
        const response = await fetch(`/__gongkai/state?since=${first ? -1 : version}`, { cache: "no-store" });
        const outcome = await response.json();
        first = false;
        if (version >= 0 && outcome.version !== version && !outcome.problems.length) {
          location.reload();
          return;
        }
        version = outcome.version;
        show(outcome);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
  follow();
})();
