// Analytics only after consent. Loaded only when analytics are switched on in
// Settings → Site settings; without JavaScript nothing is ever measured.
// "Cookie settings" in the footer ([data-consent-reopen], shown by this script) shows the banner again at any
// time: a new choice replaces the old one, and withdrawing reloads the page so the
// analytics script already running is gone.
(function () {
  "use strict";
  var KEY = "taptime-analytics-consent";
  var COOKIE = "taptime_analytics";
  var banner = document.querySelector("[data-consent]");
  if (!banner) { return; }
  // The footer's "Cookie settings" shows only where this script runs (pages that pay leave it out).
  Array.prototype.forEach.call(document.querySelectorAll("[data-consent-settings]"), function (item) {
    item.hidden = false;
  });

  function read() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function write(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* private mode: ask again next time */ }
    // The same choice for our own server-side funnel counts (insights.middleware): the cookie holds
    // only the choice, no identifier; refusing removes it.
    document.cookie = COOKIE + "=" + (value === "granted" ? "granted; max-age=31536000" : "; max-age=0") +
      "; path=/; SameSite=Lax" + (window.location.protocol === "https:" ? "; Secure" : "");
  }
  function loadAnalytics() {
    var src = banner.getAttribute("data-analytics-src");
    if (!src || document.querySelector('script[data-analytics]')) { return; }
    var script = document.createElement("script");
    script.src = src;
    script.defer = true;
    script.setAttribute("data-analytics", "");
    var domain = banner.getAttribute("data-analytics-domain");
    if (domain) { script.setAttribute("data-domain", domain); }
    document.head.appendChild(script);
  }
  function show(focus) {
    banner.hidden = false;
    var first = banner.querySelector("[data-consent-choice]");
    if (focus && first) { first.focus(); }
  }

  banner.addEventListener("click", function (event) {
    var button = event.target.closest("[data-consent-choice]");
    if (!button) { return; }
    var value = button.getAttribute("data-consent-choice");
    var before = read();
    write(value);
    banner.hidden = true;
    if (value === "granted") { loadAnalytics(); }
    else if (before === "granted") { window.location.reload(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-consent-reopen]")) { show(true); }
  });

  var choice = read();
  if (choice === "granted" || choice === "denied") { write(choice); }  // choices made before the cookie existed
  if (choice === "granted") { loadAnalytics(); return; }
  if (choice === "denied") { return; }
  show(false);
})();
