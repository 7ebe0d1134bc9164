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

  // Whether a stream of this page has been ready once: a stream restarted after the browser closed one
  // (a 503, a redirect) may have missed changes just as a reconnected one may.
  var opened = false;

  function startLiveBoard() {
    var live = document.querySelector("[data-events]");
    if (!live || !window.EventSource) return;
    var source = new EventSource(live.dataset.events + "?kioskPage=" + encodeURIComponent(pageId));
    function changed() { document.body.dispatchEvent(new CustomEvent("visits-changed")); }
    source.addEventListener("visits", function (event) {
      changed();
      showNotice(event.data);
    });
    source.addEventListener("expected", function () {
      document.body.dispatchEvent(new CustomEvent("expected-changed"));
    });
    source.addEventListener("visits-warning", function (event) {
      changed();
      showNotice(event.data, true);
    });
    source.addEventListener("parcels", function (event) {
      // The kiosk's stream carries the change itself; a household's carries the words to show.
      document.body.dispatchEvent(new CustomEvent("parcels-changed"));
      if (event.data && event.data.charAt(0) !== "{" && event.data !== "-") showNotice(event.data);
    });
    source.addEventListener("requests", function () {
      document.body.dispatchEvent(new CustomEvent("requests-changed"));
    });
    source.addEventListener("notes", function () {
      document.body.dispatchEvent(new CustomEvent("notes-changed"));
    });
    source.addEventListener("ready", function () {
      // The first connection comes with a fresh page; every later one may have missed changes.
      if (opened) {
        changed();
        document.body.dispatchEvent(new CustomEvent("requests-changed"));
        document.body.dispatchEvent(new CustomEvent("parcels-changed"));
        document.body.dispatchEvent(new CustomEvent("notes-changed"));
      }
      opened = true;
      document.body.dataset.live = "connected";
      document.dispatchEvent(new CustomEvent("kiosk:connected"));
    });
    source.addEventListener("signed-out", function () {
      // The account was deactivated or its password reset: this screen must not stay live.
      source.close();
      window.location.assign("/sign-in?next=" + encodeURIComponent(window.location.pathname));
    });
    source.addEventListener("error", function () {
      document.body.dataset.live = "reconnecting";
      document.dispatchEvent(new CustomEvent("kiosk:disconnected"));
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
  function showNotice(text, warning) {
    var notice = document.getElementById("live-notice");
    if (!notice || !text) return;
    notice.textContent = text;
    notice.classList.toggle("warning", !!warning);
    clearTimeout(noticeTimer);
    // A warning stays until the next notice; the visit in the history keeps it too.
    if (!warning) noticeTimer = setTimeout(function () { notice.textContent = ""; }, 15000);
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
    var fill = event.target.closest("[data-fill]");
    if (fill) fillFrom(fill);
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
    // As typing would: the chips follow it and the gate's checks look again (a delivery may be pre-approved).
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // A quick pick that fills another named field (a parcel's carrier) and shows which one is chosen.
  function fillFrom(chip) {
    var field = chip.closest(".field");
    field.querySelector("input[name=" + chip.dataset.fill + "]").value = chip.dataset.value;
    field.querySelectorAll("[data-fill]").forEach(function (c) {
      c.setAttribute("aria-pressed", c === chip ? "true" : "false");
    });
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
    // While a check-in is on its way the button says so: the label waits for the answer (htmx:finally:request).
    if (label && send.form.getAttribute("aria-busy") === "true") send.dataset.idle = label;
    else if (label) send.textContent = label;
    if (send) send.classList.toggle("override", !!warning);
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
    var gate = document.querySelector("[data-board-gate]");
    var gateId = gate ? gate.value : "";
    var rows = document.querySelectorAll("#board tr[data-filter]");
    var shown = 0;
    rows.forEach(function (row) {
      var key = fold(row.dataset.filter);
      var match = words.every(function (w) { return key.indexOf(w) !== -1; }) && (!gateId || row.dataset.gate === gateId);
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
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-board-gate]")) filterBoard();
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
  // ---- Connection, busy check-in and draft (issue #15, "when things go wrong"). When a request or the live
  // stream cannot reach the server, the banner (#connection, its words in data-) says so and since when; what
  // was typed stays in the form, a check-in that failed is resent by itself (its idempotency key makes the
  // resend safe), and when the server answers again the banner says so and the lists catch up.
  // The check-in form's draft is kept in sessionStorage until it is recorded, so a reload loses nothing. ----
  var DRAFT = "gatehouse:check-in-draft";
  var RETRY_FIRST = 2000, RETRY_MOST = 15000;
  var leaving = false;
  window.addEventListener("beforeunload", function () { leaving = true; });
  var offlineSince = null, retryDelay = RETRY_FIRST, retryTimer = null, pendingForm = null, backTimer = null;

  function timeOfDay(moment) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined,
        { hour: "numeric", minute: "2-digit" }).format(moment);
    } catch (error) {
      return moment.toTimeString().slice(0, 5);
    }
  }

  function banner() { return document.getElementById("connection"); }

  function showOffline() {
    var el = banner();
    if (!el) return;
    var text = (el.dataset.offline || "").replace("{time}", timeOfDay(offlineSince));
    if (pendingForm && pendingForm.isConnected) text += " " + (el.dataset.pending || "");
    clearTimeout(backTimer);
    el.className = "connection offline";
    el.textContent = text;
    el.hidden = false;
    document.body.dataset.connection = "offline";
  }

  function wentDown() {
    if (leaving) return;  // a page being left closes its stream: that is no outage
    if (offlineSince === null) offlineSince = new Date();
    showOffline();
    scheduleRetry();
  }

  function cameBack(event) {
    if (offlineSince === null) return;
    offlineSince = null;
    retryDelay = RETRY_FIRST;
    clearTimeout(retryTimer);
    retryTimer = null;
    var el = banner();
    if (el) {
      el.className = "connection back";
      el.textContent = (el.dataset.back || "").replace("{time}", timeOfDay(new Date()));
      el.hidden = false;
      clearTimeout(backTimer);
      backTimer = setTimeout(function () { el.hidden = true; el.textContent = ""; }, 10000);
    }
    document.body.dataset.connection = "connected";
    // Whatever changed while we could not hear about it: refetch the board and the lists (a stream that is
    // ready again has asked for that itself).
    if (!event || event.type !== "kiosk:connected") {
      document.body.dispatchEvent(new CustomEvent("visits-changed"));
      document.body.dispatchEvent(new CustomEvent("requests-changed"));
    }
    var form = pendingForm;
    pendingForm = null;
    if (form && form.isConnected) form.requestSubmit();
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      retryDelay = Math.min(retryDelay * 2, RETRY_MOST);
      if (pendingForm && pendingForm.isConnected) {
        pendingForm.requestSubmit();  // the same idempotency key: recorded once, however often it is sent
      } else {
        fetch("/readyz", { cache: "no-store" }).then(function (response) {
          if (response.ok) cameBack(); else wentDown();
        }, wentDown);
      }
    }, retryDelay);
  }

  function isCheckIn(el) { return el && el.id === "check-in" && el.tagName === "FORM"; }

  // A check-in held until the server answers keeps the moment it was made: sent later with "Arrived at" empty
  // ("now"), it would record the moment the connection came back. Written with this kiosk's offset, which the
  // server reads as an instant whatever the site's zone.
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function holdCheckIn(form) {
    pendingForm = form;
    var arrival = form.querySelector("[name=arrivalDate]");
    if (!arrival || arrival.value.trim()) return;
    var now = new Date(), offset = -now.getTimezoneOffset(), size = Math.abs(offset);
    arrival.value = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate()) + "T" +
      two(now.getHours()) + ":" + two(now.getMinutes()) + ":" + two(now.getSeconds()) +
      (offset < 0 ? "-" : "+") + two(Math.floor(size / 60)) + ":" + two(size % 60);
  }

  document.addEventListener("htmx:error", function (event) {
    var ctx = event.detail && event.detail.ctx;
    var source = ctx && ctx.sourceElement;
    if (isCheckIn(source)) holdCheckIn(source);
    wentDown();
  });

  document.addEventListener("htmx:after:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    var status = ctx && ctx.response && ctx.response.status;
    // A proxy's answer while the application is down is no answer either.
    if (status === 502 || status === 503 || status === 504) {
      if (isCheckIn(ctx.sourceElement)) holdCheckIn(ctx.sourceElement);
      wentDown();
      return;
    }
    if (ctx.sourceElement === pendingForm) pendingForm = null;  // this is its resend, answered
    if (status) cameBack();
    if (isCheckIn(ctx.sourceElement) && status === 200) forgetDraft();
    // Asked instead of checked in: the visitor is in the Waiting list now, the form is the next one's.
    if (ctx.sourceElement && ctx.sourceElement.hasAttribute && ctx.sourceElement.hasAttribute("data-ask") &&
        status === 200) forgetDraft();
  });

  // ---- A badge handed back: once its visitor is checked out, the note and its button go and the keyboard is
  // the next visitor's (another Enter would try to check the same visitor out again). ----
  document.addEventListener("htmx:after:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    var button = ctx && ctx.sourceElement;
    var note = button && button.closest ? button.closest(".leaving-note") : null;
    if (!note || !ctx.response || ctx.response.status !== 200) return;
    note.remove();
    var next = document.getElementById("f-residentQuery");
    if (next) next.focus();
  });

  document.addEventListener("kiosk:connected", cameBack);
  document.addEventListener("kiosk:disconnected", wentDown);
  window.addEventListener("offline", wentDown);
  window.addEventListener("online", function () { if (offlineSince !== null) scheduleRetry(); });

  // Plain forms (the shift log, parcels, the administration's and residents' pages) leave the page when sent:
  // sent while the server is away, the browser would show its own error page and what was typed would be
  // lost. While the banner says the server cannot be reached (the page's live stream broke, or a request
  // failed), such a form is held: it keeps its fields and the banner says why, until the server answers.
  // htmx's forms have their own path (htmx:error).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (offlineSince === null || event.defaultPrevented || form.hasAttribute("hx-post")) return;
    event.preventDefault();
    showOffline();
    scheduleRetry();
  });

  // Busy while a check-in is on its way: htmx drops a second send (hx-sync) and disables the button
  // (hx-disable); the button says what is happening.
  document.addEventListener("htmx:before:request", function (event) {
    var form = event.detail && event.detail.ctx && event.detail.ctx.sourceElement;
    if (!isCheckIn(form)) return;
    var button = form.querySelector("button[type=submit]");
    form.setAttribute("aria-busy", "true");
    if (button && button.dataset.busy) {
      button.dataset.idle = button.textContent;
      button.textContent = button.dataset.busy;
    }
  });

  document.addEventListener("htmx:finally:request", function (event) {
    var form = event.detail && event.detail.ctx && event.detail.ctx.sourceElement;
    if (!isCheckIn(form)) return;
    form.removeAttribute("aria-busy");
    var button = form.querySelector("button[type=submit]");
    if (button && button.dataset.idle) {
      button.textContent = button.dataset.idle;
      delete button.dataset.idle;
    }
  });

  // The draft: every field but the CSRF token, the idempotency key included (a check-in sent before a
  // reload is answered with its visit when sent again, never recorded twice).
  function saveDraft(form) {
    var draft = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.name !== "_csrf_token" && field.type !== "submit" && field.type !== "button") {
        draft[field.name] = field.value;
      }
    });
    try { sessionStorage.setItem(DRAFT, JSON.stringify(draft)); } catch (error) { /* storage full or off */ }
  }

  function forgetDraft() {
    try { sessionStorage.removeItem(DRAFT); } catch (error) { /* storage off */ }
  }

  function restoreDraft() {
    var form = document.getElementById("check-in");
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(DRAFT) || "null"); } catch (error) { saved = null; }
    // A form the server filled (an announcement, a returning visitor, an error) wins over an older draft.
    if (!form || !saved || window.location.pathname !== "/kiosk" || form.querySelector(".notice")) {
      return;
    }
    Object.keys(saved).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.name === name && typeof field.value === "string") field.value = saved[name];
    });
    var subject = form.querySelector("input[name=subject]");
    if (subject) subject.dispatchEvent(new Event("input", { bubbles: true }));
    var query = form.querySelector("[role=combobox]");
    // A change (not an input, which would clear the chosen resident) refreshes the gate's checks.
    if (query && query.value) query.dispatchEvent(new Event("change", { bubbles: true }));
  }

  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.form || (event.target.closest && event.target.closest("form"));
      if (isCheckIn(form)) saveDraft(form);
    });
  });
  document.addEventListener("click", function (event) {
    // The people stepper and the subject chips change values without an input event.
    var form = event.target.closest && event.target.closest("#check-in");
    if (form && event.target.closest("[data-step], [data-subject]")) saveDraft(form);
  });

  document.addEventListener("DOMContentLoaded", restoreDraft);

  // ---- A "+N more" that was opened (<details data-keep-open id=...>: the kiosk's "Expected today", a resident's
  // party inside) stays open when its list is refetched (a live event, the minute's poll). ----
  var keptOpen = {};
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.matches && details.matches("details[data-keep-open]")) keptOpen[details.id] = details.open;
  }, true);
  document.addEventListener("htmx:after:swap", function () {
    document.querySelectorAll("details[data-keep-open]").forEach(function (details) {
      if (keptOpen[details.id]) details.open = true;
    });
  });

  // ---- Fields with a limit (data-limit names their counter): near the limit, say how many characters are
  // typed, and at it that nothing more is kept, instead of cutting silently. ----
  function showCount(field) {
    var counter = document.getElementById(field.dataset.limit);
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!counter || !limit) return;
    var count = field.value.length;
    counter.hidden = count < Math.ceil(limit * 0.75);
    counter.classList.toggle("full", count >= limit);
    counter.textContent = count >= limit ? counter.dataset.full : counter.dataset.count.replace("{count}", count);
  }
  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.limit) showCount(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-limit]").forEach(showCount);
  });
  document.addEventListener("htmx:after:swap", function () {
    document.querySelectorAll("[data-limit]").forEach(showCount);
  });

  // ---- The bar's menus (<details data-nav-menu>): Escape closes an open one and gives its summary the focus
  // back; a click or focus outside it closes it, as a menu does. ----
  function closeMenus(except) {
    document.querySelectorAll("details[data-nav-menu][open]").forEach(function (menu) {
      if (menu !== except && !menu.contains(except)) menu.open = false;
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest("details[data-nav-menu][open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", function (event) { closeMenus(event.target); });
  document.addEventListener("focusin", function (event) { closeMenus(event.target); });

  document.addEventListener("DOMContentLoaded", startLiveBoard);
  document.addEventListener("DOMContentLoaded", autoSubmitLanguage);
})();
