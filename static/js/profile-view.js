// Counts one view of an expert page for the expert's insights: a number per day, nothing about
// the visitor (learning/view_counter.py). Sent after the page has loaded; never blocks it.
(function () {
  "use strict";
  var marker = document.querySelector("[data-view-beacon]");
  if (!marker || !navigator.sendBeacon) { return; }
  window.addEventListener("load", function () {
    navigator.sendBeacon(marker.getAttribute("data-view-beacon"));
  });
})();
