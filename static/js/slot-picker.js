// The expert page's free times: the page is cached for everyone, so the picker arrives as a
// server-rendered fragment (bookings.views.slot_fragment) that replaces the placeholder.
// The session, zone and week controls and the week links load the fragment again in place.
// Without JavaScript, or if the fetch fails, the placeholder's link opens the page with the
// picker rendered inline.
(function () {
  "use strict";
  var placeholder = document.querySelector("[data-slot-fragment]");
  if (!placeholder || !window.fetch || !window.URLSearchParams) { return; }
  var source = placeholder.getAttribute("data-slot-fragment");
  var browserZone = "";
  try { browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { browserZone = ""; }

  var latest = 0;

  function load(params, interactive) {
    var current = document.getElementById("times");
    if (!current) { return; }
    var ticket = ++latest;  // only the last request's answer is shown
    var wanted = new URLSearchParams();
    ["session", "tz", "week"].forEach(function (name) {
      if (params.get(name)) { wanted.set(name, params.get(name)); }
    });
    if (browserZone) { wanted.set("browser_tz", browserZone); }
    current.setAttribute("aria-busy", "true");
    fetch(source + "?" + wanted.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (ticket !== latest) { return; }
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.querySelector("#times");
        if (!fresh) { throw new Error("no picker"); }
        current.replaceWith(fresh);
        if (window.TapTime && window.TapTime.enhanceZoneSelects) { window.TapTime.enhanceZoneSelects(fresh); }
        if (interactive) {
          // Keyboard and screen-reader users land on the new times, not on a removed control.
          var heading = fresh.querySelector("h2");
          if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
        }
      })
      .catch(function () { if (ticket === latest) { current.removeAttribute("aria-busy"); } });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest || !form.closest("#times") || (form.getAttribute("method") || "get").toLowerCase() !== "get") { return; }
    event.preventDefault();
    load(new URLSearchParams(new FormData(form)), true);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("#times [data-slot-nav] a") : null;
    if (!link) { return; }
    event.preventDefault();
    load(new URL(link.href, window.location.href).searchParams, true);
  });
  load(new URLSearchParams());
})();
