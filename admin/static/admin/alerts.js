/* Alerts on every admin page: a record in one's scope became urgent. No inline scripts (CSP). */
(function () {
  "use strict";

  var url = document.body.dataset.alertsUrl;
  var box = document.getElementById("alerts");
  if (!url || !box) { return; }
  var every = Math.max(1, parseInt(document.body.dataset.alertsEvery || "20", 10));
  var cursors = null; // set by the first answer: only what arrives after the page opened is news

  /* A browser notification too, once the member of staff allowed it (asked only on their click). */
  var allow = document.getElementById("alerts-allow");
  if (allow && "Notification" in window && Notification.permission === "default") {
    allow.parentNode.hidden = false;
    allow.addEventListener("click", function () {
      Notification.requestPermission().then(function () { allow.parentNode.hidden = true; });
    });
  }

  var show = function (alert, data) {
    var line = document.createElement("p");
    line.className = "alert-line";
    line.appendChild(document.createTextNode(alert.text + " "));
    var link = document.createElement("a");
    link.href = alert.url;
    link.textContent = data.open + " " + alert.receipt;
    line.appendChild(link);
    box.appendChild(line);
    box.hidden = false;
    // On the queue, the record's row turns urgent and unread at once.
    var row = document.querySelector('tr[data-record-id="' + String(alert.id) + '"]');
    if (row) { row.classList.add("record-urgent", "record-unread"); }
    if ("Notification" in window && Notification.permission === "granted") {
      var note = new Notification(data.title, { body: alert.text, tag: "tsunagu-" + alert.receipt });
      note.onclick = function () { window.focus(); window.location.href = alert.url; };
    }
  };

  var poll = function () {
    var target = new URL(url, window.location.href);
    if (cursors) {
      target.searchParams.set("m", String(cursors.m));
      target.searchParams.set("r", String(cursors.r));
    }
    fetch(target.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" }, redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || !response.ok) { return null; }
        return response.json();
      })
      .then(function (data) {
        if (!data) { return; }
        (data.alerts || []).forEach(function (alert) { show(alert, data); });
        cursors = { m: data.m, r: data.r };
        box.dataset.ready = "yes";
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  };
  poll();
  window.setInterval(poll, every * 1000);
})();
