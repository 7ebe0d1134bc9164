// Asking the resident (issue #16): the kiosk's Waiting list counts down each request and gives the approved
// one the focus (Enter checks the visitor in); a resident's page refetches its prompt when a request changes.
// kiosk.js turns the live stream's "requests" events into a "requests-changed" event on the body.
(function () {
  "use strict";

  function remaining(until) {
    var seconds = Math.max(0, Math.round((until - Date.now()) / 1000));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  var refetchAsked = false;
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var until = Date.parse(el.dataset.countdown);
      if (isNaN(until)) return;
      el.textContent = (el.dataset.template || "{time}").replace("{time}", remaining(until));
      // At zero the server says "No answer": ask once for the list again.
      if (until <= Date.now() && !refetchAsked) {
        refetchAsked = true;
        setTimeout(function () { document.body.dispatchEvent(new CustomEvent("requests-changed")); }, 500);
      }
    });
  }
  setInterval(tick, 1000);

  // Typing the next visitor (or a reason on another card): an answer arriving must not take the keyboard away.
  function guardIsTyping() {
    var el = document.activeElement;
    if (!el || !/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) return false;
    if (el.closest("#waiting")) return el.value !== "";
    var form = document.getElementById("check-in");
    var started = form && ["visitorName", "residentQuery", "licensePlate"].some(function (name) {
      var field = form.elements.namedItem(name);
      return field && field.value.trim() !== "";
    });
    return started || el.value !== "";
  }

  var seenApproved = {};
  function focusNewApproval() {
    var buttons = document.querySelectorAll("#waiting [data-approved]");
    var fresh = null;
    buttons.forEach(function (button) {
      var card = button.closest(".request");
      if (card && !seenApproved[card.id]) {
        seenApproved[card.id] = true;
        card.classList.add("just-answered");
        fresh = fresh || button;
      }
    });
    // One key checks the visitor in, unless the guard is busy typing the next one.
    if (fresh && !guardIsTyping()) fresh.focus();
  }

  // Checked in from the Waiting list: the question is answered, so its note above the form goes, and the
  // keyboard goes back to the form for the next visitor. The swap's target is the panel it replaced (detached,
  // with the old content): the answer's notice is in the panel now on the page.
  function afterCheckIn(target) {
    if (!target || target.id !== "waiting") return;
    var panel = document.getElementById("waiting");
    if (!panel || !panel.querySelector(".notice[role=status]")) return;
    document.querySelectorAll("#check-in .asked-note").forEach(function (note) { note.remove(); });
    var next = document.getElementById("f-residentQuery");
    if (next && !guardIsTyping()) next.focus();
  }

  // An answer the household gives while the server cannot be reached is said to be unsent, not lost quietly.
  function answerNotSent(form) {
    if (!form || !form.classList || !form.classList.contains("prompt-answer")) return;
    var note = form.querySelector(".not-sent");
    if (!note) {
      note = document.createElement("p");
      note.className = "notice error not-sent";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.querySelector(".actions"));
    }
    note.textContent = form.dataset.notSent || "";
  }
  document.addEventListener("htmx:error", function (event) {
    answerNotSent(event.detail && event.detail.ctx && event.detail.ctx.sourceElement);
  });
  document.addEventListener("htmx:after:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    var status = ctx && ctx.response && ctx.response.status;
    if (status === 502 || status === 503 || status === 504) answerNotSent(ctx.sourceElement);
  });

  document.addEventListener("htmx:after:swap", function (event) {
    refetchAsked = false;
    tick();
    // The form first, then a request approved meanwhile, which takes the focus from it: Enter admits.
    afterCheckIn(event.detail && event.detail.ctx && event.detail.ctx.target);
    focusNewApproval();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#waiting [data-approved]").forEach(function (button) {
      seenApproved[button.closest(".request").id] = true;
    });
    tick();
  });
})();
