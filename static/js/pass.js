// The resident's pass page: Share opens the phone's share sheet (Web Share API), else copies the link.
// A badge's Print button opens the browser's print dialog.
(() => {
  const status = document.querySelector("[data-share-status]");
  const copy = async (button) => {
    try {
      await navigator.clipboard.writeText(button.dataset.url);
      if (status) status.textContent = button.dataset.copied;
    } catch {
      window.prompt("", button.dataset.url);
    }
  };
  document.addEventListener("click", async (event) => {
    const share = event.target.closest("[data-share-pass]");
    if (share) {
      if (navigator.share) {
        try {
          await navigator.share({ title: share.dataset.title, url: share.dataset.url });
        } catch (error) {
          if (error.name !== "AbortError") await copy(share);
        }
      } else {
        await copy(share);
      }
      return;
    }
    const copyButton = event.target.closest("[data-copy-pass]");
    if (copyButton) await copy(copyButton);
    if (event.target.closest("[data-print]")) window.print();
  });
})();
