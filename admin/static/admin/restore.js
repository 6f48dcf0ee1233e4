/* After logging in again: put back what was typed into a form sent when the session had ended.
   The server kept the fields (never passwords or tokens) and draws them as JSON next to this file's tag. */
(function () {
  "use strict";

  var holder = document.getElementById("restored-form");
  if (!holder) { return; }
  var kept = JSON.parse(holder.textContent);
  var form = Array.prototype.find.call(document.forms, function (candidate) {
    return new URL(candidate.action, window.location.href).pathname === kept.action;
  });
  if (!form) { return; }

  var values = {};
  kept.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
  Object.keys(values).forEach(function (name) {
    var wanted = values[name];
    var next = 0;
    form.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (field) {
      if (field.type === "hidden" || field.type === "password" || field.type === "file") { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = wanted.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (option) { option.selected = wanted.indexOf(option.value) !== -1; });
      } else if (next < wanted.length) {
        field.value = wanted[next];
        next += 1;
      }
    });
  });
  var first = form.querySelector("textarea, input:not([type=hidden]), select");
  if (first) { first.focus(); }
  form.scrollIntoView({ block: "center" });
})();
