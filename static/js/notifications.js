/* The resident's pages as an installable app, and push on this device (the Notifications page).
   Every word shown comes from data-* attributes the page wrote in the reader's language. */
"use strict";

(function () {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }

  function base64UrlToBytes(text) {
    const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(padded);
    return Uint8Array.from(raw, (char) => char.charCodeAt(0));
  }

  function isIos() {
    return /iPad|iPhone|iPod/.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  }

  function isInstalled() {
    return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  }

  /* Why push cannot work here, as one of the states the page has words for; "" when it can. */
  function unavailable() {
    const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
    if (isIos() && !isInstalled()) return "ios";
    if (!supported) return "unsupported";
    if (!window.isSecureContext) return "insecure";
    if (Notification.permission === "denied") return "denied";
    return "";
  }

  function start(box) {
    const state = box.querySelector("[data-push-state]");
    const button = box.querySelector("[data-push-toggle]");
    const help = document.getElementById("install-help");
    const csrf = box.dataset.csrf;

    function show(name, detail) {
      box.dataset.state = name;
      state.textContent = (box.dataset["say" + name.charAt(0).toUpperCase() + name.slice(1)] || "").replace("{detail}", detail || "");
      button.hidden = !(name === "on" || name === "off" || name === "failed");
      button.textContent = name === "on" ? box.dataset.turnOff : box.dataset.turnOn;
      if (help) help.hidden = name !== "ios";
    }

    async function post(url, subscription) {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "x-csrftoken": csrf },
        body: JSON.stringify(subscription),
      });
      if (!response.ok) throw new Error(String(response.status));
      document.body.dispatchEvent(new CustomEvent("devices-changed", { bubbles: true }));
    }

    /* The server's list of devices says whether this browser's subscription is still one of them (the
       device may have been removed from the list, or by the push service). */
    function knownHere(endpoint) {
      let known = false;
      document.querySelectorAll("[data-endpoint]").forEach((row) => {
        const mine = row.dataset.endpoint === endpoint;
        row.classList.toggle("this-device", mine);
        known = known || mine;
      });
      return known;
    }

    async function current() {
      const registration = await navigator.serviceWorker.ready;
      return registration.pushManager.getSubscription();
    }

    async function turnOn() {
      show("working");
      const permission = await Notification.requestPermission();
      if (permission !== "granted") return show(permission === "denied" ? "denied" : "off");
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(box.dataset.vapidKey),
      });
      await post("/me/notifications/devices", subscription.toJSON());
      show("on");
    }

    async function turnOff() {
      show("working");
      const subscription = await current();
      if (subscription) {
        await post("/me/notifications/devices/unsubscribe", subscription.toJSON());
        await subscription.unsubscribe();
      }
      show("off");
    }

    button.addEventListener("click", () => {
      const action = box.dataset.state === "on" ? turnOff : turnOn;
      action().catch((error) => show("failed", error && error.message ? error.message : String(error)));
    });

    const reason = unavailable();
    if (reason) return show(reason);
    show("working");
    current()
      .then((subscription) => show(subscription && knownHere(subscription.endpoint) ? "on" : "off"))
      .catch((error) => show("failed", error && error.message ? error.message : String(error)));
  }

  function ready() {
    const box = document.getElementById("push");
    if (box) start(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
