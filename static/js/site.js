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
  // Time-zone selects (data-zone-search="<label>"): a search box above the grouped list
  // narrows it to the zones whose place or IANA name contains what was typed. Without
  // JavaScript the grouped select works as it is (typing a place's first letters jumps to it).
  // Exposed for content swapped in later (static/js/slot-picker.js); each select is enhanced once.
  var enhanceZoneSelects = function (root) {
    root.querySelectorAll("select[data-zone-search]:not([data-zone-search-ready])").forEach(function (select) {
      select.setAttribute("data-zone-search-ready", "");
      var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (group) {
        return { group: group, options: Array.prototype.slice.call(group.children) };
      });
      var search = document.createElement("input");
      search.type = "search";
      search.className = "zone-search";
      search.placeholder = select.getAttribute("data-zone-search");
      search.setAttribute("aria-label", select.getAttribute("data-zone-search"));
      search.setAttribute("aria-controls", select.id);
      search.autocomplete = "off";
      select.parentNode.insertBefore(search, select);
      var normal = function (text) { return text.toLowerCase().replace(/_/g, " "); };
      search.addEventListener("input", function () {
        var wanted = normal(search.value.trim());
        var chosen = select.value;
        groups.forEach(function (entry) {
          var shown = entry.options.filter(function (option) {
            return !wanted || option.value === chosen || normal(option.value + " " + option.text).indexOf(wanted) !== -1;
          });
          entry.group.replaceChildren.apply(entry.group, shown);
          if (shown.length) { select.appendChild(entry.group); } else { entry.group.remove(); }
        });
        select.value = chosen;
      });
    });
  };
  window.TapTime = window.TapTime || {};
  window.TapTime.enhanceZoneSelects = enhanceZoneSelects;
  enhanceZoneSelects(document);
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
