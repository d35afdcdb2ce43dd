// The protocol entry form: Enter moves to the next field (on the last one it asks for the confirmation page),
// and every control relation of the form is checked as the clerk types, from the relations the server serves
// (the page's form-data block, the same dict as /api/elections/{id}/form). The server checks again and is
// the authority; it shows the same violations in the same words.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  var dataBlock = document.getElementById("form-data");
  if (!form || !dataBlock) { return; }
  var data = JSON.parse(dataBlock.textContent);
  var spec = data.form;
  var list = document.getElementById("violations");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name^='lines.'], input[name^='votes.']"));
  var negated = {"=": "\u2260", ">=": "<", "<=": ">"};

  function count(input) {
    var text = input.value.replace(/[\s\u00a0]/g, "");
    if (text === "") { return null; }
    return /^[0-9]{1,12}$/.test(text) ? parseInt(text, 10) : NaN;
  }

  function values() {
    var lines = {}, votes = {}, partiesSum = 0, partiesKnown = true;
    inputs.forEach(function (input) {
      var value = count(input);
      input.setAttribute("aria-invalid", Number.isNaN(value) ? "true" : "false");
      var dot = input.name.indexOf(".");
      var group = input.name.slice(0, dot), key = input.name.slice(dot + 1);
      if (group === "lines") { lines[key] = value; } else {
        votes[key] = value;
        if (value === null || Number.isNaN(value)) { partiesKnown = false; } else { partiesSum += value; }
      }
    });
    return {lines: lines, parties: partiesKnown ? partiesSum : null};
  }

  // The value of one side, or null while a count it needs is not typed yet (nothing is judged half-typed).
  function side(terms, v) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var key = terms[i][0], coefficient = terms[i][1];
      var value = key === spec.parties_key ? v.parties : v.lines[key];
      if (value === null || value === undefined || Number.isNaN(value)) { return null; }
      total += coefficient * value;
    }
    return total;
  }

  function holds(operator, left, right) {
    if (operator === "=") { return left === right; }
    if (operator === ">=") { return left >= right; }
    return left <= right;
  }

  function check() {
    var v = values();
    var items = [];
    spec.relations.forEach(function (r) {
      var left = side(r.left, v), right = side(r.right, v);
      if (left === null || right === null || holds(r.operator, left, right)) { return; }
      var li = document.createElement("li");
      li.dataset.relation = r.name;
      li.className = r.severity;
      li.appendChild(document.createTextNode(data.severity[r.severity] + ": "));
      var formula = document.createElement("span");
      formula.className = "formula";
      formula.textContent = r.text;
      li.appendChild(formula);
      li.appendChild(document.createTextNode((r.label ? " (" + r.label + ")" : "") + ": " + left + " " +
                                             negated[r.operator] + " " + right));
      items.push(li);
    });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (li) { list.appendChild(li); });
    form.dataset.errors = String(items.filter(function (li) { return li.className === "error"; }).length);
  }

  inputs.forEach(function (input, index) {
    input.addEventListener("input", check);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var next = inputs[index + 1];
      if (next) { next.focus(); next.select(); } else { form.requestSubmit ? form.requestSubmit() : form.submit(); }
    });
  });
  check();
}());
