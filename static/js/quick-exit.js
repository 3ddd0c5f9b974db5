// Quick exit: hide the page at once and go to /exit, which ends the session and sends the browser to a neutral
// site; location.replace takes this page out of the history, so Back does not return to it.
// Triggered by the Quick exit button (a plain link to /exit without JavaScript) or by pressing Shift three times
// within two seconds.
(function () {
  "use strict";
  var button = document.getElementById("quick-exit");
  if (!button) { return; }
  var target = "/exit";

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
