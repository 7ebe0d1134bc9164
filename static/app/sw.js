/* Gatehouse's service worker, served from the site root as /sw.js (scope /).
   A push carries a notice as JSON (app/domain/notifications/service.py): title, body, url, tag, actions
   (each {action, title, url}), and the words to show after an answer given from a button. */
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  if (!event.data) return;
  let notice;
  try {
    notice = event.data.json();
  } catch (error) {
    return;
  }
  const actions = Array.isArray(notice.actions) ? notice.actions : [];
  event.waitUntil(
    self.registration.showNotification(notice.title || "Gatehouse", {
      body: notice.body || "",
      tag: notice.tag || undefined,
      renotify: Boolean(notice.tag),
      requireInteraction: actions.length > 0,
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      actions: actions.map((item) => ({ action: item.action, title: item.title })),
      data: {
        url: notice.url || "/me",
        tag: notice.tag || "",
        actions: actions,
        answered: notice.answered || "",
        notAnswered: notice.notAnswered || "",
      },
    })
  );
});

async function focusOrOpen(url) {
  const target = new URL(url, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (client.url === target && "focus" in client) return client.focus();
  }
  for (const client of windows) {
    if ("navigate" in client && "focus" in client) {
      await client.navigate(target);
      return client.focus();
    }
  }
  return self.clients.openWindow(target);
}

/* An answer from the notification's own button: POST to the action's signed single-use url. The answer
   may say what happened as JSON {title, body}; else the words sent with the notice are shown. When it
   cannot be sent, the action's page opens (GET shows the confirm page). */
async function answer(item, data) {
  try {
    const response = await fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    let said = {};
    try {
      said = await response.json();
    } catch (error) {
      said = {};
    }
    // A refusal that says why (answered already, expired) is shown as it is; any other failure opens the page.
    if (!response.ok && !said.body) throw new Error(String(response.status));
    await self.registration.showNotification(said.title || "Gatehouse", {
      body: said.body || data.answered,
      tag: data.tag || undefined,
      icon: "/static/icons/icon-192.png",
      data: { url: data.url, actions: [] },
    });
  } catch (error) {
    await self.registration.showNotification("Gatehouse", {
      body: data.notAnswered,
      tag: data.tag || undefined,
      icon: "/static/icons/icon-192.png",
      data: { url: item.url, actions: [] },
    });
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const item = (data.actions || []).find((candidate) => candidate.action === event.action);
  event.waitUntil(item ? answer(item, data) : focusOrOpen(data.url || "/me"));
});
