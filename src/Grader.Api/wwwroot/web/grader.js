// Progressive enhancement for Grader's pages: everything works without this file.
// - live status: a submission page that is still grading follows /submissions/{id}/events (SSE)
//   and reloads itself once grading has finished, to show the feedback rendered by the server;
// - line numbers beside the code text area.
"use strict";

(() => {
  const labels = {
    Queued: "Queued", Running: "Running", Graded: "Graded",
    CompileError: "Compile error", Rejected: "Rejected", Failed: "Failed",
  };
  const finished = new Set(["Graded", "CompileError", "Rejected", "Failed"]);

  const status = document.querySelector("[data-events]");
  if (status && "EventSource" in window) {
    const events = new EventSource(status.dataset.events);
    events.addEventListener("status", (e) => {
      const change = JSON.parse(e.data);
      status.dataset.status = change.status;
      status.textContent = labels[change.status] || change.status;
      if (finished.has(change.status)) {
        events.close();
        // Let screen readers announce the final state before the page is replaced.
        setTimeout(() => location.reload(), 400);
      }
    });
  }

  for (const area of document.querySelectorAll("textarea[data-line-numbers]")) {
    const gutter = document.createElement("pre");
    gutter.className = "gutter";
    gutter.setAttribute("aria-hidden", "true");
    area.parentElement.classList.add("with-gutter");
    area.before(gutter);
    let shown = 0;
    const update = () => {
      const lines = area.value.split("\n").length;
      if (lines !== shown) {
        shown = lines;
        gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n");
      }
      gutter.scrollTop = area.scrollTop;
    };
    area.addEventListener("input", update);
    area.addEventListener("scroll", () => { gutter.scrollTop = area.scrollTop; });
    update();
  }
})();
