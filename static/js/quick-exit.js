// Quick exit: hide the page at once and replace it with a neutral site, so Back does not return.
// Triggered by the Quick exit button or by pressing Shift three times within two seconds.
(function () {
  "use strict";
  var button = document.getElementById("quick-exit");
  if (!button) { return; }
  var target = button.getAttribute("data-exit-url") || button.href;

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.documentElement.classList.add("exiting");
    document.title = "";
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
    window.location.replace(target);
  }

  button.addEventListener("click", leave);

  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();
