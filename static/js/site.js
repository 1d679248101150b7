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
  // Collapsible main navigation on small screens.
  document.documentElement.classList.add("js");
  var toggle = document.querySelector(".site-nav__toggle");
  var list = document.getElementById("site-nav-list");
  if (toggle && list) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = list.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Mark the current section in the main navigation.
  document.querySelectorAll(".site-nav__list a").forEach(function (link) {
    var path = link.getAttribute("href");
    if (path !== "/" && window.location.pathname.indexOf(path) === 0) { link.setAttribute("aria-current", "page"); }
  });
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
