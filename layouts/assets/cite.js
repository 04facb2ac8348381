/* Reference helper on report pages: adds the date of citation that GB/T 7714 asks for, and copies a
 * reference to the clipboard. Works from disk as well as served; without script the text can still be
 * selected and copied by hand. */
(function () {
  "use strict";
  const today = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const date = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  for (const span of document.querySelectorAll("[data-cited-on]")) span.textContent = `[${date}]`;

  const status = document.querySelector(".copy-status");
  function say(key) { if (status) status.textContent = status.dataset[key] || ""; }

  // The clipboard API needs a secure context; a page opened from disk may not count as one.
  function copyBySelection(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }

  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).textContent.trim();
      try {
        if (!navigator.clipboard) throw new Error("no clipboard");
        await navigator.clipboard.writeText(text);
        say("copied");
      } catch {
        say(copyBySelection(text) ? "copied" : "copyFailed");
      }
    });
  }
})();
