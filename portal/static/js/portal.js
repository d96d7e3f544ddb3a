/* Staffroom: the few behaviours that need script. No inline scripts anywhere (CSP). */
(function () {
  "use strict";

  // ---- Idle sign-out on shared screens --------------------------------------------------
  // The server ends the session on its own; this only warns first and then shows the sign-in
  // page. The server decides the clock: a whole page says how long is left (#session-info),
  // and so does every htmx answer (X-Session-Seconds-Left), a background poll included, which
  // does not count as use. Real use of the page (a touch, a key, the wheel, typing) is reported
  // to the server through the keepalive, at most once a minute, so that someone reading a long
  // SOP is never warned while they scroll it.
  var deadline = null, warningSeconds = 30, timer = null, keepaliveInFlight = false;
  var seenInfo = null, lastReport = Date.now(), usedSinceReport = false;

  function info() { return document.getElementById("session-info"); }

  function resetDeadline(secondsLeft) {
    var el = info();
    if (!el) { deadline = null; return; }
    warningSeconds = parseInt(el.dataset.warning, 10) || 30;
    var left = secondsLeft;
    if (left === undefined) {
      if (el === seenInfo) return;  // the same page: only the server's answers move the clock
      left = parseInt(el.dataset.secondsLeft, 10);
      seenInfo = el;
      lastReport = Date.now();  // a page the server has just drawn: that was use
      usedSinceReport = false;
    }
    deadline = Date.now() + left * 1000;
    if (left > warningSeconds) hideWarning(); else showWarning(left);  // a poll keeps it up
  }

  function warningBox() { return document.getElementById("idle-warning"); }

  function showWarning(left) {
    var box = warningBox();
    if (!box) return;
    var count = document.getElementById("idle-countdown");
    if (count) count.textContent = String(left);
    if (box.hidden) {
      box.hidden = false;
      var button = document.getElementById("idle-continue");
      if (button) button.focus();
    }
  }

  function hideWarning() {
    var box = warningBox();
    if (box && !box.hidden) box.hidden = true;
  }

  function reportEvery() {
    var el = info();
    return 1000 * ((el && parseInt(el.dataset.activityEvery, 10)) || 60);
  }

  function tick() {
    if (deadline === null) return;
    var left = Math.ceil((deadline - Date.now()) / 1000);
    if (usedSinceReport && (Date.now() - lastReport >= reportEvery() || left <= warningSeconds)) {
      keepAlive();  // the page was used since the last report: tell the server, once
    }
    if (left <= 0) {
      var el = info();
      deadline = null;
      // One second late on purpose: the server's own clock has ended the session by then.
      setTimeout(function () { leaveWithoutAsking(el.dataset.expiredUrl); }, 1000);
      return;
    }
    if (left <= warningSeconds && !keepaliveInFlight) showWarning(left); else hideWarning();
  }

  function keepAlive() {
    var el = info();
    if (!el || keepaliveInFlight) return;
    keepaliveInFlight = true;
    lastReport = Date.now();
    usedSinceReport = false;
    fetch(el.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": el.dataset.csrf, "Accept": "application/json" }
    }).then(function (response) {
      // Refused, or sent to the sign-in page: the server has ended the session already.
      if (!response.ok || response.redirected) {
        leaveWithoutAsking(el.dataset.expiredUrl);
        return null;
      }
      return response.json();
    }).then(function (data) {
      if (data) resetDeadline(data.seconds_left);
    }).catch(function () { /* offline: the server decides */ })
      .finally(function () { keepaliveInFlight = false; });
  }

  // What a person does, never what the page does by itself (a swap that moves the scroll
  // position fires "scroll", so scrolling counts through the wheel, touch and keys).
  // While the warning shows, any of it is "I am still here": a real request at once.
  ["pointerdown", "keydown", "wheel", "touchstart", "input"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (!event.isTrusted || !info()) return;
      usedSinceReport = true;
      var box = warningBox();
      if (box && !box.hidden) keepAlive();
    }, { capture: true, passive: true });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var left = xhr && xhr.getResponseHeader("X-Session-Seconds-Left");
    if (left !== null && left !== undefined && left !== "") resetDeadline(parseInt(left, 10));
  });

  // ---- Sign-in: the terminal's PIN pad, number keys for a PIN elsewhere -------------------
  // Progressive: without script the form is a plain form. On a terminal the pad types into the
  // PIN field, which then opens no on-screen keyboard of the system (a physical keyboard still
  // types); "Use the keyboard" brings the system's keyboard back for a password. Elsewhere the
  // PIN field shows number keys once the name looks like a staff number (E1001, 20931), with a
  // way back to all keys for a password.
  var STAFF_NUMBER = /^[A-Za-z]{0,3}-?[0-9]{3,}$/;

  function setKeys(field, mode) {
    if (mode) field.setAttribute("inputmode", mode); else field.removeAttribute("inputmode");
  }

  function flash(key) {
    key.classList.add("is-pressed");
    setTimeout(function () { key.classList.remove("is-pressed"); }, 150);
  }

  function pressPinKey(pad, field, name) {
    var max = field.maxLength > 0 ? field.maxLength : 128;
    if (name === "clear") field.value = "";
    else if (name === "back") field.value = field.value.slice(0, -1);
    else if (/^[0-9]$/.test(name) && field.value.length < max) field.value += name;
    var key = pad.querySelector('[data-pin-key="' + name + '"]');
    if (key) flash(key);
  }

  function setUpPinPad(pad) {
    if (pad.dataset.ready) return;
    var field = document.getElementById(pad.dataset.for);
    if (!field) return;
    pad.dataset.ready = "1";
    pad.hidden = false;
    setKeys(field, "none");
    var toggle = pad.querySelector("[data-keys-toggle]");
    pad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-pin-key]");
      if (key) {
        pressPinKey(pad, field, key.dataset.pinKey);
        field.focus({ preventScroll: true });  // a physical keyboard goes on typing, Enter signs in
        return;
      }
      if (toggle && event.target.closest("[data-keys-toggle]")) {
        var keyboard = toggle.getAttribute("aria-pressed") !== "true";
        toggle.setAttribute("aria-pressed", String(keyboard));
        setKeys(field, keyboard ? null : "none");
        field.blur();
        field.focus();
      }
    });
    // Digits typed on a physical keyboard while a key of the pad has the focus.
    pad.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var name = /^[0-9]$/.test(event.key) ? event.key
        : event.key === "Backspace" ? "back" : event.key === "Escape" ? "clear" : null;
      if (!name) return;
      event.preventDefault();
      pressPinKey(pad, field, name);
    });
    // The same keys light up when the digits come from a physical keyboard into the field.
    field.addEventListener("keydown", function (event) {
      if (!/^[0-9]$/.test(event.key)) return;
      var key = pad.querySelector('[data-pin-key="' + event.key + '"]');
      if (key) flash(key);
    });
  }

  function setUpPinGuess(field) {
    if (field.dataset.ready) return;
    var form = field.form;
    var name = form && form.querySelector("#identifier");
    var toggle = form && form.querySelector('[data-keys-toggle="' + field.id + '"]');
    if (!name || !toggle) return;
    field.dataset.ready = "1";
    var allKeys = false;
    function guess() {
      var pin = !allKeys && STAFF_NUMBER.test(name.value.trim());
      setKeys(field, pin ? "numeric" : null);
      toggle.hidden = !pin;
    }
    name.addEventListener("input", guess);
    toggle.addEventListener("click", function () {
      allKeys = true;
      toggle.setAttribute("aria-pressed", "true");
      guess();
      field.focus();
    });
    guess();
  }

  function setUpSignIn(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll(".portal-pinpad[data-for]").forEach(setUpPinPad);
    root.querySelectorAll('[data-pin-field="guess"]').forEach(setUpPinGuess);
  }

  // ---- Unsaved changes: leaving a form with changes asks first ---------------------------
  // A form marked data-unsaved-guard (the question to ask) has changes once something is typed
  // or chosen in it, a step dragged, or when the server sent it back with what was typed
  // (data-unsaved="true": a step added or moved, a refused save). Leaving it then asks first:
  // closing or reloading the page or a plain link (beforeunload: the browser's own question)
  // and boosted navigation (htmx: this question). A save that succeeds leaves without asking;
  // so does the idle sign-out, which must never leave a page on a shared screen.
  var leaving = false;

  function leaveWithoutAsking(url) {
    leaving = true;
    window.location.assign(url);
  }

  function guardedForm(el) {
    return el && el.closest ? el.closest("form[data-unsaved-guard]") : null;
  }

  function changedForm() {
    var forms = document.querySelectorAll("form[data-unsaved-guard]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].dataset.unsaved === "true") return forms[i];
    }
    return null;
  }

  function markChanged(form, changed) {
    form.dataset.unsaved = changed ? "true" : "false";
    var state = form.querySelector("[data-unsaved-state]");
    if (state) state.hidden = !changed;
    syncGuard();
  }

  function askBeforeUnload(event) {
    if (leaving || !changedForm()) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers ask only with a value set
  }

  // The browser's question is listened for only while there are changes: a page that has
  // such a listener may not be kept in the back/forward cache by some browsers.
  function syncGuard() {
    if (changedForm()) window.addEventListener("beforeunload", askBeforeUnload);
    else window.removeEventListener("beforeunload", askBeforeUnload);
  }

  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = guardedForm(event.target);
      if (form && form.dataset.unsaved !== "true") markChanged(form, true);
    });
  });

  // A plain submit (htmx did not take it): the form itself is leaving, with its changes.
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && guardedForm(event.target) === event.target) leaving = true;
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail || {};
    if (!detail.boosted || leaving) return;
    var form = changedForm();
    if (!form || form.contains(detail.elt)) return;
    if (!window.confirm(form.dataset.unsavedGuard)) event.preventDefault();
  });

  // The answer to a guarded form's own request: a redirect is a save that succeeded.
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var detail = event.detail || {};
    var xhr = detail.xhr;
    var form = guardedForm(detail.elt);
    if (form && xhr && xhr.getResponseHeader("HX-Redirect")) {
      markChanged(form, false);
      leaving = true;
    }
  });

  // ---- Text areas grow with their text ---------------------------------------------------
  // CSS does it (field-sizing: content) where the browser supports it; elsewhere this does.
  var growsByItself = !!(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"));

  function grow(area) {
    if (growsByItself) return;
    area.style.height = "auto";
    area.style.height = (area.scrollHeight + area.offsetHeight - area.clientHeight) + "px";
  }

  function growAll(root) {
    if (growsByItself || !root.querySelectorAll) return;
    root.querySelectorAll("textarea.form-control").forEach(grow);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea.form-control")) grow(event.target);
  });

  // ---- The SOP editor's steps: drag by the handle ------------------------------------------
  // Without script, a step's Up and Down buttons post the form and the server shows it again
  // in the new order (with script too: htmx swaps the form). Where there is a pointer, a
  // step's handle drags it (arrow keys on the handle move it too); once dropped, the steps'
  // fields are renamed in their new order (steps-0-..., steps-1-...), so that the form posts
  // them as they are shown, and their numbers, labels and buttons follow.
  var STEP_PREFIX = /steps-\d+-/g;
  var RENAMED = ["name", "id", "for", "aria-describedby"];

  function steps(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.matches("[data-step]");
    });
  }

  function renumberSteps(list) {
    var all = steps(list);
    all.forEach(function (step, i) {
      var n = String(i + 1);
      step.id = "step-" + n;
      step.querySelectorAll("*").forEach(function (el) {
        RENAMED.forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && value.indexOf("steps-") !== -1) {
            el.setAttribute(attr, value.replace(STEP_PREFIX, "steps-" + i + "-"));
          }
        });
        var move = el.dataset.move;
        if (move) {
          el.value = move + "-" + i;
          el.id = "move-" + move + "-" + i;
          el.disabled = move === "up" ? i === 0 : i === all.length - 1;
        }
        if (el.dataset.nText) el.textContent = el.dataset.nText.replace("__N__", n);
        if (el.dataset.nLabel) el.setAttribute("aria-label", el.dataset.nLabel.replace("__N__", n));
      });
    });
  }

  function stepsMoved(list, step, from) {
    var to = steps(list).indexOf(step);
    if (to === from) return;
    renumberSteps(list);
    var form = guardedForm(list);
    if (form) markChanged(form, true);
    var status = list.parentNode.querySelector("[data-step-status]");
    if (status && list.dataset.movedLabel) {
      status.textContent = list.dataset.movedLabel.replace("__FROM__", String(from + 1))
        .replace("__N__", String(to + 1));
    }
  }

  function dragStep(list, step, handle, down) {
    var from = steps(list).indexOf(step);
    var y = down.clientY, frame = null, pointer = down.pointerId;
    step.classList.add("is-dragging");
    document.body.classList.add("is-dragging-steps");

    function place() {
      var before = null, others = steps(list).filter(function (el) { return el !== step; });
      for (var i = 0; i < others.length; i++) {
        var box = others[i].getBoundingClientRect();
        if (y < box.top + box.height / 2) { before = others[i]; break; }
      }
      if (before === null) {
        if (list.lastElementChild !== step) list.appendChild(step);
      } else if (step.nextElementSibling !== before) {
        list.insertBefore(step, before);
      }
    }

    // Near the top or bottom of the screen the page scrolls, so a step goes anywhere.
    function scroll() {
      var edge = 80, bottom = window.innerHeight - 110;  // above the save bar
      var speed = y < edge ? -(edge - y) / 4 : y > bottom ? (y - bottom) / 4 : 0;
      if (speed) { window.scrollBy(0, Math.max(-30, Math.min(30, speed))); place(); }
      frame = window.requestAnimationFrame(scroll);
    }
    frame = window.requestAnimationFrame(scroll);

    // Listened to on the document: moving the step in the page releases a pointer capture.
    function moveTo(event) {
      if (event.pointerId !== pointer) return;
      y = event.clientY;
      place();
    }
    function drop(event) {
      if (event.pointerId !== pointer) return;
      window.cancelAnimationFrame(frame);
      document.removeEventListener("pointermove", moveTo);
      document.removeEventListener("pointerup", drop);
      document.removeEventListener("pointercancel", drop);
      step.classList.remove("is-dragging");
      document.body.classList.remove("is-dragging-steps");
      stepsMoved(list, step, from);
      handle.focus({ preventScroll: true });
    }
    document.addEventListener("pointermove", moveTo);
    document.addEventListener("pointerup", drop);
    document.addEventListener("pointercancel", drop);
  }

  function setUpSteps(root) {
    if (!root.querySelectorAll || !window.PointerEvent) return;
    root.querySelectorAll("[data-step-list]").forEach(function (list) {
      if (list.dataset.ready) return;
      list.dataset.ready = "1";
      list.querySelectorAll("[data-drag-handle]").forEach(function (handle) { handle.hidden = false; });
      list.addEventListener("pointerdown", function (event) {
        var handle = event.target.closest("[data-drag-handle]");
        if (!handle || event.button !== 0) return;
        event.preventDefault();  // no text selection, no scrolling: the step follows
        dragStep(list, handle.closest("[data-step]"), handle, event);
      });
      list.addEventListener("keydown", function (event) {
        var handle = event.target.closest("[data-drag-handle]");
        if (!handle || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
        event.preventDefault();
        var step = handle.closest("[data-step]"), from = steps(list).indexOf(step);
        var next = event.key === "ArrowUp" ? step.previousElementSibling : step.nextElementSibling;
        if (!next) return;
        list.insertBefore(step, event.key === "ArrowUp" ? next : next.nextElementSibling);
        stepsMoved(list, step, from);
        handle.focus();
      });
    });
  }

  // ---- After every swap: focus the first wrong field, fade success messages ---------------
  function afterSwap(root) {
    var form = root.querySelector ? root.querySelector("[data-focus]") : null;
    if (root.dataset && root.dataset.focus) form = root;
    if (form) {
      var field = document.getElementById(form.dataset.focus);
      if (field) field.focus();
    }
    document.querySelectorAll("#flash [data-autodismiss]").forEach(function (alert) {
      if (alert.classList.contains("alert-success")) {
        setTimeout(function () { alert.remove(); }, 6000);
      }
    });
  }

  // ---- Drill timer: counts from the alarm time the server recorded ------------------------
  // The server renders the elapsed time and its own clock (data-server-now), so a tablet whose
  // clock is wrong still shows the right time, and a reload or a tablet that slept shows where
  // the drill really is: the count is always taken from the stored alarm time, never kept here.
  function setUpTimers(root) {
    root.querySelectorAll("[data-timer-since]").forEach(function (el) {
      if (el.dataset.timerOn) return;
      el.dataset.timerOn = "1";
      var since = Date.parse(el.dataset.timerSince);
      var skew = Date.parse(el.dataset.serverNow) - Date.now();
      if (isNaN(since) || isNaN(skew)) return;
      var every = null;
      function draw() {
        if (!document.body.contains(el)) { clearInterval(every); return; }
        var seconds = Math.max(0, Math.floor((Date.now() + skew - since) / 1000));
        el.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      }
      every = setInterval(draw, 1000);
      draw();
    });
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    afterSwap(event.detail.elt || document);
    setUpSignIn(document);
    setUpSteps(document);
    growAll(event.detail.elt || document);
    setUpTimers(document);
    syncGuard();
    resetDeadline();  // a new page (boosted navigation) brings its own #session-info
  });

  document.addEventListener("DOMContentLoaded", function () {
    resetDeadline();
    afterSwap(document);
    setUpSignIn(document);
    setUpSteps(document);
    growAll(document);
    setUpTimers(document);
    syncGuard();
    if (timer === null) timer = setInterval(tick, 1000);
  });

  // Documents that take a while (a binder) open in a new tab: say so here while it prepares.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var note = form && form.dataset && form.dataset.preparing &&
      document.getElementById(form.dataset.preparing);
    if (!note) return;
    note.hidden = false;
    setTimeout(function () { note.hidden = true; }, 12000);
  });

  // ---- Polls only while someone can see them ---------------------------------------------
  // A board that polls (data-poll-when-seen) skips its polls while the tab is hidden or the
  // tablet sleeps; the next poll after it is seen again (within seconds) catches up. (htmx's
  // trigger filters need eval, which the portal's htmx config refuses.)
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-poll-when-seen") &&
        document.visibilityState === "hidden") event.preventDefault();
  });

  // ---- Weak Wi-Fi: a tap that did not reach the server is kept and sent again ------------
  // A form marked data-retry (a room's start, a checklist step, a finish) whose request fails
  // on the network shows "waiting for the network" and is sent again, sooner when the tablet
  // comes back online. Each of these requests says what the state should be (step 3 done, not
  // "toggle"), so one that arrives twice applies once. A refusal from the server (4xx) is an
  // answer, not a network failure: it is shown, never retried.
  var RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000];

  function retryLater(form) {
    var tries = parseInt(form.dataset.retries || "0", 10);
    form.dataset.retries = String(tries + 1);
    form.classList.add("is-pending");
    var note = form.querySelector("[data-pending-note]");
    if (note) note.hidden = false;
    var delay = RETRY_DELAYS[Math.min(tries, RETRY_DELAYS.length - 1)];
    clearTimeout(form._retryTimer);
    form._retryTimer = setTimeout(function () { sendAgain(form); }, delay);
  }

  function sendAgain(form) {
    if (!document.body.contains(form) || !form.classList.contains("is-pending")) return;
    if (navigator.onLine === false) { retryLater(form); return; }
    htmx.trigger(form, "submit");
  }

  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-retry]");
    if (form) retryLater(form);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-retry]");
    if (!form || !event.detail.xhr || event.detail.xhr.status === 0) return;
    form.classList.remove("is-pending");
    delete form.dataset.retries;
    var note = form.querySelector("[data-pending-note]");
    if (note) note.hidden = true;
  });
  window.addEventListener("online", function () {
    document.querySelectorAll("form[data-retry].is-pending").forEach(sendAgain);
  });

  // Leaving a page for the browser's back/forward cache must not keep it: reload instead.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });
})();
