// Group-chat rehearsal (:::chat): the messages that are new on this page (data-chat-new) arrive one by one at a calm
// pace, then the decision the chat waits for (data-chat-waiting) appears. Choosing posts the block's plain form, as
// without JavaScript. With reduced motion, or if anything is missing, everything simply stays shown.
(function () {
  "use strict";
  var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (calm || !document.querySelectorAll) { return; }
  var blocks = document.querySelectorAll("[data-chat]");
  Array.prototype.forEach.call(blocks, function (block) {
    var list = block.querySelector(".chat__list");
    var fresh = Array.prototype.slice.call(block.querySelectorAll("[data-chat-new]"));
    var waiting = block.querySelector("[data-chat-waiting]");
    if (!list || fresh.length < 2) { return; }
    var label = block.getAttribute("data-chat-typing") || "…";
    var skipText = block.getAttribute("data-chat-skip") || "Show all messages now";
    var later = fresh.slice(1).concat(waiting ? [waiting] : []);
    later.forEach(function (item) { item.hidden = true; });
    var typing = document.createElement("p");
    typing.className = "chat__typing";
    typing.setAttribute("aria-hidden", "true");
    typing.textContent = label;
    list.parentNode.appendChild(typing);
    var skip = document.createElement("button");
    skip.type = "button";
    skip.className = "button button--secondary chat__skip";
    skip.textContent = skipText;
    block.appendChild(skip);
    var timer = null;
    var follow = window.location.hash === "#" + block.id;  // back from a choice: keep the new messages in view
    function done() {
      later.forEach(function (item) { item.hidden = false; });
      later = [];
      if (typing.parentNode) { typing.parentNode.removeChild(typing); }
      if (skip.parentNode) { skip.parentNode.removeChild(skip); }
    }
    function next() {
      var item = later.shift();
      if (!item) { done(); return; }
      item.hidden = false;
      if (follow && item.scrollIntoView) { item.scrollIntoView({ block: "nearest" }); }
      if (later.length === 0) { done(); return; }
      var words = (later[0].textContent || "").length;
      timer = setTimeout(next, Math.min(2600, 1100 + words * 20));  // a respectful pace: time to read each one
    }
    skip.addEventListener("click", function () {
      if (timer) { clearTimeout(timer); }
      done();
      var first = block.querySelector("[data-chat-waiting] button, .chat__feedback .feedback");
      if (first && first.focus) { first.setAttribute("tabindex", first.tagName === "BUTTON" ? "0" : "-1"); first.focus(); }
    });
    timer = setTimeout(next, 1200);
  });
})();
