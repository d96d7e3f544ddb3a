/* Staffroom: the few behaviours that need script. No inline scripts anywhere (CSP). */
(function () {
  "use strict";

  // ---- Idle sign-out on shared screens --------------------------------------------------
  // The server ends the session on its own; this only warns first and then shows the sign-in
  // page. The deadline is reset by every request the page makes.
  var deadline = null, warningSeconds = 30, timer = null, keepaliveInFlight = false;
  var seenInfo = null;

  function info() { return document.getElementById("session-info"); }

  function resetDeadline(secondsLeft) {
    var el = info();
    if (!el) { deadline = null; return; }
    warningSeconds = parseInt(el.dataset.warning, 10) || 30;
    var left = secondsLeft;
    if (left === undefined) {
      // A freshly rendered page knows exactly; after a partial update, a full idle period
      // (less the server's touch interval) has begun.
      left = parseInt(el !== seenInfo ? el.dataset.secondsLeft : el.dataset.idle, 10);
      seenInfo = el;
    }
    deadline = Date.now() + left * 1000;
    hideWarning();
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

  function tick() {
    if (deadline === null) return;
    var left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) {
      var el = info();
      deadline = null;
      // One second late on purpose: the server's own clock has ended the session by then.
      setTimeout(function () { window.location.assign(el.dataset.expiredUrl); }, 1000);
      return;
    }
    if (left <= warningSeconds) showWarning(left); else hideWarning();
  }

  function keepAlive() {
    var el = info();
    if (!el || keepaliveInFlight) return;
    keepaliveInFlight = true;
    fetch(el.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": el.dataset.csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { window.location.assign(el.dataset.expiredUrl); return null; }
      return response.json();
    }).then(function (data) {
      if (data) resetDeadline(data.seconds_left);
    }).catch(function () { /* offline: the server decides */ })
      .finally(function () { keepaliveInFlight = false; });
  }

  // Any touch, click or key while the warning shows is "I am still here": a real request.
  ["pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () {
      var box = warningBox();
      if (box && !box.hidden) keepAlive();
    }, true);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status < 400) resetDeadline();
  });

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

  document.addEventListener("htmx:afterSettle", function (event) {
    afterSwap(event.detail.elt || document);
    resetDeadline();
  });

  document.addEventListener("DOMContentLoaded", function () {
    resetDeadline();
    afterSwap(document);
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

  // Leaving a page for the browser's back/forward cache must not keep it: reload instead.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });
})();
