// Anonymous visitors: show the expert's free times in the browser's time zone.
// Without this file the times show in the expert's zone and the zone select still works.
(function () {
  "use strict";
  var form = document.querySelector("form[data-zone-from-browser]");
  if (!form) { return; }
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  var select = form.querySelector('select[name="tz"]');
  if (!zone || !select || select.value === zone) { return; }
  // Sent even when the select lists it under another name: the server shows a legacy
  // name (Asia/Calcutta) as its zone (Asia/Kolkata). Once ?tz= is set this file is not loaded.
  var params = new URLSearchParams(window.location.search);
  params.set("tz", zone);
  window.location.replace(window.location.pathname + "?" + params.toString() + "#times");
})();
