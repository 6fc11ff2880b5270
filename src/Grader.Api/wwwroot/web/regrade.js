// Progressive enhancement for the regrade page: without this file the page shows the state on reload.
// With it, the progress bar follows /instructor/assignments/{id}/regrades/{regrade}/events (SSE),
// and once every submission is regraded the page reloads to show the changed grades.
"use strict";

(() => {
  const box = document.querySelector("[data-regrade-events]");
  if (!box || !("EventSource" in window)) {
    return;
  }
  const bar = box.querySelector("progress");
  const figures = box.querySelector("#regrade-figures");
  const set = (cls, text) => { figures.querySelector(cls).textContent = text; };
  const events = new EventSource(box.dataset.regradeEvents);
  events.addEventListener("progress", (e) => {
    const p = JSON.parse(e.data);
    bar.max = Math.max(1, p.total);
    bar.value = p.total === 0 ? 1 : p.finished;
    bar.textContent = `${p.percent} %`;
    set(".percent", `${p.percent} %`);
    set(".finished", String(p.finished));
    set(".total", String(p.total));
    set(".changed", String(p.changed));
    set(".changed-noun", p.changed === 1 ? "grade" : "grades");
    if (p.finished >= p.total) {
      events.close();
      box.dataset.done = "true";
      const note = box.querySelector(".pending-note");
      if (note) {
        note.hidden = true;
      }
      // Let the 100 % be seen (and announced) before the page shows the changed grades.
      setTimeout(() => location.reload(), 1200);
    }
  });
})();
