// Small progressive enhancements. The site works without this file.
(function () {
  "use strict";
  // Fill hidden time-zone fields (sign-up) with the browser's IANA zone.
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  if (zone) {
    document.querySelectorAll('input[type="hidden"][name="time_zone"]').forEach(function (input) {
      if (!input.value) { input.value = zone; }
    });
  }
  // Close an open <details> menu with Escape and return focus to its toggle.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details[open].menu").forEach(function (details) {
      details.removeAttribute("open");
      var summary = details.querySelector("summary");
      if (summary) { summary.focus(); }
    });
  });
})();
