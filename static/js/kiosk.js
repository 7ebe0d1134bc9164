// Gatehouse kiosk behaviour: live board, resident picker, people stepper, subject chips, toasts, print.
// No inline scripts anywhere (the CSP forbids them), so every page loads this one file.
(function () {
  "use strict";

  // ---- Live pages (the kiosk's board, a resident's visitors): server-sent events tell us something
  // changed and htmx refetches what listens for "visits-changed". A resident's events carry a notice.
  // This page's own changes come back in their answer's HX-Trigger, so its requests and its stream carry
  // one random page id and the server leaves the page's own changes out of its stream: one refetch each. ----
  var pageId = window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);

  document.addEventListener("htmx:config:request", function (event) {
    var request = event.detail && event.detail.ctx && event.detail.ctx.request;
    if (request && request.headers) request.headers["X-Kiosk-Page"] = pageId;
  });

  function startLiveBoard() {
    var live = document.querySelector("[data-events]");
    if (!live || !window.EventSource) return;
    var opened = false;
    var source = new EventSource(live.dataset.events + "?kioskPage=" + encodeURIComponent(pageId));
    function changed() { document.body.dispatchEvent(new CustomEvent("visits-changed")); }
    source.addEventListener("visits", function (event) {
      changed();
      showNotice(event.data);
    });
    source.addEventListener("ready", function () {
      // The first connection comes with a fresh page; every later one may have missed changes.
      if (opened) changed();
      opened = true;
      document.body.dataset.live = "connected";
    });
    source.addEventListener("signed-out", function () {
      // The account was deactivated or its password reset: this screen must not stay live.
      source.close();
      window.location.assign("/sign-in?next=" + encodeURIComponent(window.location.pathname));
    });
    source.addEventListener("error", function () {
      document.body.dataset.live = "reconnecting";
      // The browser gives up on an answer that is not a stream (a sign-in page, an error page): retry ourselves.
      if (source.readyState === EventSource.CLOSED) setTimeout(startLiveBoard, 5000);
    });
  }

  // ---- Forms whose action cannot be taken back ask first (data-confirm holds the question). ----
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  var noticeTimer = null;
  function showNotice(text) {
    var notice = document.getElementById("live-notice");
    if (!notice || !text) return;
    notice.textContent = text;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { notice.textContent = ""; }, 15000);
  }

  function announceBoard() {
    var summary = document.querySelector("#board [data-summary]");
    var region = document.getElementById("board-announce");
    // The words come from the page, in the reader's language (data-prefix: "Board updated:").
    if (summary && region) region.textContent = (region.dataset.prefix || "") + " " + summary.dataset.summary;
  }

  // ---- Resident picker: a combobox whose options htmx fetches as the guard types. ----
  function pickerParts(el) {
    var root = el.closest("[data-picker]");
    if (!root) return null;
    return {
      root: root,
      input: root.querySelector("[role=combobox]"),
      value: root.querySelector("[data-picker-value]"),
      list: root.querySelector("[role=listbox]")
    };
  }

  function options(p) { return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]")); }

  function setOpen(p, open) {
    p.list.hidden = !open;
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) p.input.removeAttribute("aria-activedescendant");
  }

  function highlight(p, index) {
    var all = options(p);
    all.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (all[index]) {
      p.input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function choose(p, option) {
    p.value.value = option.dataset.value;
    p.input.value = option.dataset.label;
    setOpen(p, false);
    var next = p.root.parentElement.querySelector("#f-visitorName");
    if (next) next.focus();
    p.input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("keydown", function (event) {
    var p = event.target.getAttribute && event.target.getAttribute("role") === "combobox" && pickerParts(event.target);
    if (!p) return;
    var all = options(p);
    var current = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      setOpen(p, true);
      var step = event.key === "ArrowDown" ? 1 : -1;
      highlight(p, (current + step + all.length) % all.length);
    } else if (event.key === "Enter" && !p.list.hidden) {
      event.preventDefault();
      var pick = all[current >= 0 ? current : 0];
      if (pick && all.length) choose(p, pick);
    } else if (event.key === "Escape") {
      setOpen(p, false);
    }
  });

  document.addEventListener("input", function (event) {
    var p = event.target.getAttribute("role") === "combobox" && pickerParts(event.target);
    if (p) p.value.value = "";
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) {
      var p = pickerParts(option);
      if (p) choose(p, option);
      return;
    }
    document.querySelectorAll("[data-picker] [role=listbox]").forEach(function (list) {
      if (!list.closest("[data-picker]").contains(event.target)) setOpen(pickerParts(list), false);
    });
    var step = event.target.closest("[data-step]");
    if (step) stepPeople(step);
    var chip = event.target.closest("[data-subject]");
    if (chip) pickSubject(chip);
    if (event.target.closest("[data-print]")) window.print();
  });

  // ---- People stepper and subject quick picks. ----
  function stepPeople(button) {
    var input = button.parentElement.querySelector("input");
    var value = parseInt(input.value, 10) || 1;
    input.value = Math.min(500, Math.max(1, value + parseInt(button.dataset.step, 10)));
  }

  function pickSubject(chip) {
    var input = chip.closest(".field").querySelector("input[name=subject]");
    input.value = chip.dataset.subject;
    syncChips(chip.closest(".field"));
  }

  function syncChips(field) {
    var input = field.querySelector("input[name=subject]");
    field.querySelectorAll("[data-subject]").forEach(function (c) {
      c.setAttribute("aria-pressed", c.dataset.subject === input.value ? "true" : "false");
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.name === "subject") syncChips(event.target.closest(".field"));
  });

  // ---- After each htmx swap: open the picker list, announce the board, dismiss toasts later. ----
  document.addEventListener("htmx:after:swap", function (event) {
    var target = event.detail && event.detail.ctx && event.detail.ctx.target;
    if (target && target.getAttribute && target.getAttribute("role") === "listbox") {
      var p = pickerParts(target);
      var hasOptions = options(p).length > 0 || p.input.value.trim() !== "";
      setOpen(p, hasOptions && document.activeElement === p.input);
      if (options(p).length) highlight(p, 0);
    }
    if (target && target.id === "board") announceBoard();
    if (target && target.id === "gate-checks") showGateWarning(target);
    if (target && target.id === "toast") {
      var toast = target.querySelector("[data-dismiss-after]");
      if (toast) {
        setTimeout(function () { if (toast.isConnected) toast.remove(); }, parseInt(toast.dataset.dismissAfter, 10));
      }
    }
  });

  // A do-not-admit warning must be seen before sending: bring it into view and say what the button now does,
  // in the button's own words for either case (data-check-in, data-check-in-anyway).
  function showGateWarning(checks) {
    var warning = checks.querySelector(".ban-warning");
    var send = checks.closest("form") && checks.closest("form").querySelector("button[type=submit]");
    var label = send && (warning ? send.dataset.checkInAnyway : send.dataset.checkIn);
    if (label) send.textContent = label;
    if (warning) warning.scrollIntoView({ block: "nearest" });
  }

  // The language selector applies on choice; its button is for browsers without this script.
  function autoSubmitLanguage() {
    document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      var button = select.form && select.form.querySelector("button[type=submit]");
      if (button) button.hidden = true;
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
  }

  // ---- The board: a filter that keeps across refreshes, the newest arrivals highlighted, toasts that close. ----
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filterBoard() {
    var input = document.querySelector("[data-board-filter]");
    if (!input) return;
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var rows = document.querySelectorAll("#board tr[data-filter]");
    var shown = 0;
    rows.forEach(function (row) {
      var key = fold(row.dataset.filter);
      var match = words.every(function (w) { return key.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    var none = document.getElementById("board-filter-none");
    if (none) none.hidden = !(rows.length && !shown);
  }

  var boardRowIds = null;
  function markNewRows() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#board tr[data-filter]"));
    var ids = rows.map(function (row) { return row.id; });
    if (boardRowIds) {
      rows.forEach(function (row) {
        if (boardRowIds.indexOf(row.id) === -1) {
          row.classList.add("just-arrived");
          row.addEventListener("animationend", function () { row.classList.remove("just-arrived"); }, { once: true });
        }
      });
      var first = rows.find(function (row) { return row.classList.contains("just-arrived") && !row.hidden; });
      if (first) first.scrollIntoView({ block: "nearest" });
    }
    boardRowIds = ids;
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-board-filter]")) filterBoard();
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-dismiss-toast]");
    if (close) close.closest(".toast").remove();
  });

  document.addEventListener("htmx:after:swap", function (event) {
    var target = event.detail && event.detail.ctx && event.detail.ctx.target;
    if (target && target.id === "board") {
      filterBoard();
      markNewRows();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    filterBoard();
    markNewRows();
  });

  document.addEventListener("DOMContentLoaded", startLiveBoard);
  document.addEventListener("DOMContentLoaded", autoSubmitLanguage);
})();
