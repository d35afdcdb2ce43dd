// Live pages: on each server-sent "change" event, re-fetch this page's JSON twin and update the
// elements that name a field of it (data-field="parties.0.votes"). No reload, no framework.
(function () {
  "use strict";
  var body = document.body;
  var jsonUrl = body.dataset.json;
  var eventsUrl = body.dataset.events;
  if (!jsonUrl || !eventsUrl || !window.EventSource || !window.fetch) { return; }
  var lang = body.dataset.lang || "en";
  var seen = -1;
  var busy = false;
  var again = 0;

  function pick(data, path) {
    return path.split(".").reduce(function (value, key) {
      return value === null || value === undefined ? undefined : value[key];
    }, data);
  }

  // Numbers as the page's language writes them (the same rules as saylau.i18n on the server).
  function grouped(whole) {
    var text = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return lang === "en" ? text : text.replace(/,/g, "\u00a0");
  }

  function show(value, format) {
    if (value === null || value === undefined) { return "—"; }
    if (typeof value === "number" && format === "percent") {
      var parts = value.toFixed(2).split(".");
      return lang === "en" ? grouped(parts[0]) + "." + parts[1] + "%"
                           : grouped(parts[0]) + "," + parts[1] + "\u00a0%";
    }
    if (typeof value === "number") { return grouped(value); }
    return String(value);
  }

  function apply(data) {
    document.querySelectorAll("[data-field]").forEach(function (el) {
      var value = pick(data, el.dataset.field);
      if (value === undefined) { return; }
      if (el.dataset.field === "status") {
        if (el.dataset.status !== value) {
          var labels = JSON.parse(el.dataset.labels || "{}");
          el.dataset.status = value;
          el.textContent = labels[value] || value;
        }
        return;
      }
      var text = show(value, el.dataset.format);
      if (el.textContent !== text) { el.textContent = text; }
      if (el.dataset.datetime) {  // a <time>: its machine-readable twin follows the text
        var iso = pick(data, el.dataset.datetime);
        if (iso) { el.setAttribute("datetime", iso); }
      }
      if (el.hasAttribute("data-value")) { el.setAttribute("data-value", value === null ? "" : String(value)); }
    });
    document.querySelectorAll("[data-svg]").forEach(function (el) {
      var url = el.dataset.svg;
      if (!url || el.dataset.shown === String(data.change)) { return; }
      el.dataset.shown = String(data.change);
      fetch(url + "?lang=" + lang + "&min_change=" + data.change)
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (svg) { if (svg) { el.innerHTML = svg; } })  // SVG written by saylau, escaped there
        .catch(function () { /* the next change tries again */ });
    });
    body.dataset.change = String(data.change);
  }

  function refresh(change) {
    if (busy) { again = Math.max(again, change); return; }
    busy = true;
    var sep = jsonUrl.indexOf("?") < 0 ? "?" : "&";
    fetch(jsonUrl + sep + "min_change=" + change, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* the next event tries again */ })
      .then(function () {
        busy = false;
        if (again > seen) { var next = again; again = 0; seen = next; refresh(next); }
      });
  }

  var source = new EventSource(eventsUrl);
  source.addEventListener("open", function () {
    var live = document.getElementById("live");
    if (live) { live.hidden = false; }
  });
  source.addEventListener("change", function (event) {
    var change = JSON.parse(event.data).change;
    if (change > seen) { seen = change; refresh(change); }
  });
})();
