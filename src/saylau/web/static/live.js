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

  function show(value) {
    if (value === null || value === undefined) { return "—"; }
    if (typeof value === "number") {
      var text = String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      return lang === "en" ? text : text.replace(/,/g, "\u00a0");
    }
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
      var text = show(value);
      if (el.textContent !== text) { el.textContent = text; }
      if (el.dataset.datetime) {  // a <time>: its machine-readable twin follows the text
        var iso = pick(data, el.dataset.datetime);
        if (iso) { el.setAttribute("datetime", iso); }
      }
      if (el.hasAttribute("data-value")) { el.setAttribute("data-value", value === null ? "" : String(value)); }
    });
    document.querySelectorAll("[data-html]").forEach(function (el) {
      var html = pick(data, el.dataset.html);
      if (typeof html === "string" && el.dataset.shown !== String(data.change)) {
        el.innerHTML = html;  // SVG written by saylau itself, escaped on the server
        el.dataset.shown = String(data.change);
      }
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
