// Live lesson: ask every 3 seconds whether the lesson moved on (short polling with If-None-Match: the server
// answers 304 while nothing changed). A phone reloads when the teacher moves; the projector replaces its answers
// panel, and reloads when the step changed elsewhere. Without JavaScript the pages' links and buttons do it all.
(function () {
  "use strict";
  var box = document.querySelector("[data-live-poll]");
  if (!box) { return; }
  var url = box.getAttribute("data-live-poll");
  var version = box.getAttribute("data-live-version");
  var etag = null;
  function step(token) { return token.split("-").slice(0, 2).join("-"); }
  function tick() {
    var headers = { "Accept": "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: headers })
      .then(function (response) {
        if (response.status !== 200) { return null; }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (!data || data.version === version) { return; }
        if (data.panel === undefined || step(data.version) !== step(version)) {
          window.location.reload();
          return;
        }
        version = data.version;
        box.innerHTML = data.panel;
      })
      .catch(function () { /* try again on the next tick */ })
      .then(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 3000);
})();
