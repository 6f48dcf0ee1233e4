/* The record's print view: open the browser's print dialog once the page has loaded.
   A file of ours, not an inline script: the CSP allows only scripts we serve. */
(function () {
  "use strict";
  window.addEventListener("load", function () { window.print(); });
})();
