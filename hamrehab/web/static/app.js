/* hamrehab: small helpers on top of htmx. Kept in a file: the page's Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  // Mark each field whose message slot holds a problem, so screen readers say "invalid".
  function markInvalid() {
    document.querySelectorAll("[data-error-for]").forEach(function (slot) {
      var field = document.getElementById(slot.getAttribute("data-error-for"));
      if (!field || !("setAttribute" in field)) { return; }
      var bad = slot.textContent.trim() !== "";
      if (field.matches("input, select, textarea")) {
        if (bad) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
      }
      var wrapper = slot.closest(".field");
      if (wrapper) { wrapper.classList.toggle("has-error", bad); }
    });
  }

  // After the preview is replaced, put keyboard focus where the change happened (the card, or the list of changes).
  function placeFocus(root) {
    var marked = root && root.getAttribute && root.getAttribute("data-focus");
    if (!marked) { return; }
    var target = document.getElementById(marked);
    if (target) {
      target.focus({ preventScroll: false });
    }
    root.removeAttribute("data-focus");
  }

  // While a request is out, the preview is marked busy (dimmed, and aria-busy for screen readers);
  // <html data-busy> stays until the new content has settled, focus is placed and fields are marked.
  document.addEventListener("htmx:beforeRequest", function () {
    var preview = document.getElementById("preview");
    if (preview) { preview.setAttribute("aria-busy", "true"); }
    document.documentElement.setAttribute("data-busy", "");
  });

  document.addEventListener("htmx:afterSettle", function () {
    var preview = document.getElementById("preview");
    if (preview) {
      preview.removeAttribute("aria-busy");
      placeFocus(preview);
    }
    markInvalid();
    document.documentElement.removeAttribute("data-busy");
  });

  // A response that is not swapped in (a server error): say so, and stop waiting.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.failed) { return; }
    var status = document.getElementById("preview-status");
    if (status) { status.textContent = "Something went wrong on hamrehab's side; the plan was not updated. Please try again."; }
    var preview = document.getElementById("preview");
    if (preview) { preview.removeAttribute("aria-busy"); }
    document.documentElement.removeAttribute("data-busy");
  });

  document.addEventListener("htmx:sendError", function () {
    var status = document.getElementById("preview-status");
    if (status) { status.textContent = "hamrehab is not answering: is it still running? Start it again, then reload this page."; }
    var preview = document.getElementById("preview");
    if (preview) { preview.removeAttribute("aria-busy"); }
    document.documentElement.removeAttribute("data-busy");
  });

  document.addEventListener("DOMContentLoaded", markInvalid);
})();
