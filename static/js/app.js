// Saving as you go: quiz answers and reflections are sent as they change, with a visible "saved" status.
// Without JavaScript every form still posts and redirects; this file only adds convenience.
(function () {
  "use strict";
  var token = document.querySelector("input[name=csrf_token]");
  var labels = document.documentElement.lang === "ko"
    ? { saving: "저장 중…", saved: "저장됨", failed: "아직 저장되지 않았어요. 저장 버튼을 눌러 주세요." }
    : { saving: "Saving…", saved: "Saved", failed: "Not saved yet: press Save to keep your answers." };

  function send(url, data, status) {
    if (token) { data.append("csrf_token", token.value); }
    status.textContent = labels.saving;
    return fetch(url, { method: "POST", body: data, credentials: "same-origin",
                        headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        status.textContent = response.ok ? labels.saved : labels.failed;
      })
      .catch(function () { status.textContent = labels.failed; });
  }

  var quiz = document.querySelector("form[data-quiz-autosave]");
  if (quiz) {
    quiz.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.name || input.name.indexOf("q-") !== 0) { return; }
      var question = input.name.slice(2);
      var data = new FormData();
      data.append("question", question);
      quiz.querySelectorAll("input[name='" + input.name + "']:checked").forEach(function (box) {
        data.append("option", box.value);
      });
      var status = quiz.querySelector(".save-status[data-for='" + question + "']");
      send(quiz.getAttribute("data-quiz-autosave"), data, status);
    });
  }

  // Listened for on the whole page, so text boxes of lesson steps swapped in later (lesson.js) save too.
  var timers = new WeakMap();
  document.addEventListener("input", function (event) {
    var area = event.target;
    var form = area.tagName === "TEXTAREA" && area.closest("form[data-autosave]");
    var status = form && form.querySelector(".save-status");
    if (!status) { return; }
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () {
      var data = new FormData();
      data.append("text", area.value);
      send(form.getAttribute("action").split("#")[0], data, status);
    }, 800));
  });
})();

// Live poll projector: refresh the results every few seconds (light polling, no WebSocket).
(function () {
  "use strict";
  var box = document.getElementById("poll-results");
  if (!box || !box.getAttribute("data-refresh")) { return; }
  setInterval(function () {
    fetch(box.getAttribute("data-refresh"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* try again on the next tick */ });
  }, 3000);
})();

// Tables wider than the screen scroll sideways inside their .table-wrap. A wrapper that scrolls gets a tab
// stop (so it can be scrolled with the arrow keys) and the table's caption as its name; one that fits, none.
// role=group rather than region: a landmark would repeat the name of the section around the table.
(function () {
  "use strict";
  var wraps = document.querySelectorAll(".table-wrap");
  if (!wraps.length) { return; }
  function update() {
    wraps.forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var caption = wrap.querySelector("caption");
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "group");
        if (caption) { wrap.setAttribute("aria-label", caption.textContent.trim()); }
      } else if (!scrolls && wrap.getAttribute("role") === "group") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
})();

// Flips and card sorts (blocks marked data-inplace) answer without a page reload: the answer is posted as the
// form would post it, then the block is swapped for the same block from the step page, now showing the answer,
// and the feedback gets the focus. Anything unexpected falls back to the plain form submit.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) { return; }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var block = form.closest && form.closest("[data-inplace]");
    if (!block || form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
    var fallback = function () {
      if (event.submitter && event.submitter.name) {
        var carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = event.submitter.name;
        carried.value = event.submitter.value;
        form.appendChild(carried);
      }
      form.submit();
    };
    fetch(form.getAttribute("action").split("#")[0], {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("not saved"); }
        return fetch(window.location.href, { credentials: "same-origin" });
      })
      .then(function (response) {
        if (!response.ok) { throw new Error("no page"); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(block.id);
        if (!fresh) { throw new Error("no block"); }
        block.replaceWith(fresh);
        var feedback = fresh.querySelector(".feedback");
        if (feedback) { feedback.focus(); }
      })
      .catch(fallback);
  });
})();
