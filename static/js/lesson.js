// A lesson's steps without page loads. The step page works alone: "Next", "Previous" and the list of steps are
// plain links to each step's page, which records where the student is. With this script, the first of those
// links fetches every step of the lesson at once (/learn/lesson/<id>/steps, each in a <template>), and from then
// on the steps are swapped in place: the address and the title follow, the step's heading gets the focus, and
// the browser's Back button goes back a step. Where the student went is sent once, when they leave the page or
// put the phone away (navigator.sendBeacon), and after ten minutes of reading without a request, so that a long
// read does not count as idle. Anything unexpected falls back to the plain link.
(function () {
  "use strict";
  var player = document.querySelector(".lesson-player[data-steps-url]");
  if (!player || !window.fetch || !window.DOMParser || !window.history || !window.history.pushState ||
      !("content" in document.createElement("template"))) { return; }
  var path = window.location.pathname;
  var current = Number(player.getAttribute("data-step"));
  var furthest = current;
  var sent = { step: current, furthest: current };  // what the server has: opening this page recorded it
  var articles = {};  // step number -> its article, kept with whatever the student did in it
  var titles = {};
  var loading = null;
  var lastContact = Date.now();  // a reader moving through steps for a long time is not idle: see show()
  var KEEP_ALIVE_MS = 10 * 60 * 1000;  // well inside the students' 30 idle minutes (EDU_IDLE_MINUTES_STUDENT)
  articles[current] = player.querySelector("article.lesson");
  titles[current] = document.title;
  if (!articles[current]) { return; }

  function stepOf(link) {
    if (link.origin !== window.location.origin || link.pathname !== path) { return null; }
    var match = /^\?step=(\d+)$/.exec(link.search);
    return match ? Number(match[1]) : null;
  }

  function loadSteps() {
    if (!loading) {
      loading = fetch(player.getAttribute("data-steps-url"), {
        credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
      })
        .then(function (response) {
          if (!response.ok) { throw new Error("no steps"); }
          return response.text();
        })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var templates = page.querySelectorAll("template[data-step]");
          if (!templates.length) { throw new Error("no steps"); }
          Array.prototype.forEach.call(templates, function (template) {
            var number = Number(template.getAttribute("data-step"));
            var article = document.importNode(template.content, true).querySelector("article.lesson");
            if (article && !articles[number]) {
              articles[number] = article;
              titles[number] = template.getAttribute("data-title");
            }
          });
        });
      loading.catch(function () { loading = null; });  // a later link tries again
    }
    return loading;
  }

  function show(number, addToHistory) {
    var article = articles[number];
    if (!article) { return false; }
    if (number !== current) {
      articles[current].replaceWith(article);
      current = number;
      furthest = Math.max(furthest, number);
      document.title = titles[number];
      player.setAttribute("data-step", String(number));
    }
    if (addToHistory) { window.history.pushState({ step: number }, "", path + "?step=" + number); }
    var back = document.querySelector("form.language-switch input[name=next]");  // the switch returns here
    if (back) { back.value = path + "?step=" + number; }
    if (Date.now() - lastContact > KEEP_ALIVE_MS) { sendProgress(); }
    window.scrollTo(0, 0);
    var heading = article.querySelector("#step-title");
    if (heading) { heading.focus({ preventScroll: true }); }
    return true;
  }

  function go(number, href, addToHistory) {
    if (articles[number]) {
      show(number, addToHistory);
      return;
    }
    loadSteps()
      .then(function () { if (!show(number, addToHistory)) { throw new Error("no such step"); } })
      .catch(function () { window.location.assign(href); });
  }

  player.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
        event.altKey) { return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || !player.contains(link)) { return; }
    var number = stepOf(link);
    if (number === null || number === current) { return; }
    event.preventDefault();
    go(number, link.href, true);
  });

  window.history.replaceState({ step: current }, "", window.location.href);
  window.addEventListener("popstate", function (event) {
    var number = event.state && event.state.step;
    if (number && number !== current) { go(number, window.location.href, false); }
  });

  function sendProgress() {
    if (current === sent.step && furthest <= sent.furthest) { return; }
    // Not on a quick exit (quick-exit.js marks the page): /exit ends the session and clears the site's cookies,
    // and a request sent after it could only be refused, with a new cookie in its answer.
    if (document.documentElement.classList.contains("exiting")) { return; }
    var data = new FormData();
    data.append("csrf_token", player.getAttribute("data-csrf"));
    data.append("step", String(current));
    data.append("furthest", String(furthest));
    if (navigator.sendBeacon && navigator.sendBeacon(player.getAttribute("data-progress-url"), data)) {
      sent = { step: current, furthest: furthest };
      lastContact = Date.now();
    }
  }
  window.addEventListener("pagehide", sendProgress);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { sendProgress(); }
  });
})();
