/* The intake queue and the record page. No inline scripts: the CSP allows only files we serve. */
(function () {
  "use strict";

  var POLL_SECONDS = 20;

  /* Queue: new records appear without reloading (the poll does not keep the session alive). */
  var table = document.getElementById("records");
  if (table && table.dataset.pollUrl) {
    var latest = parseInt(table.dataset.latest || "0", 10);
    var banner = document.getElementById("new-records");
    var poll = function () {
      var url = new URL(table.dataset.pollUrl, window.location.href);
      url.searchParams.set("after", String(latest));
      fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" }, redirect: "manual" })
        .then(function (response) {
          if (response.type === "opaqueredirect" || !response.ok) { return null; }
          return response.json();
        })
        .then(function (data) {
          if (!data) { return; }
          latest = Math.max(latest, data.latest || 0);
          if (data.rows && data.rows.length && table.dataset.firstPage === "yes") {
            var body = table.tBodies[0];
            // Rows are drawn by the server's templates, with every resident-supplied value escaped.
            data.rows.slice().reverse().forEach(function (html) {
              body.insertAdjacentHTML("afterbegin", html);
              body.firstElementChild.classList.add("record-new");
            });
          }
          if (data.message && banner) {
            banner.textContent = data.message;
            banner.hidden = false;
          }
          Object.keys(data.counts || {}).forEach(function (status) {
            var cell = document.querySelector('#status-counts [data-status="' + status + '"]');
            if (cell) { cell.textContent = String(data.counts[status]); }
          });
        })
        .catch(function () { /* offline for a moment: try again at the next tick */ });
    };
    window.setInterval(poll, POLL_SECONDS * 1000);
  }

  /* Record page: a response template (定型文) fills the message, to be edited before sending. */
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      var target = document.getElementById(select.dataset.fills);
      var source = select.parentNode.querySelector('[data-template-id="' + select.value + '"]');
      if (target && source) {
        target.value = source.textContent;
        target.focus();
      }
    });
  });
})();
