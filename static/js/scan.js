// The kiosk's Scan button: the camera reads a pass's (or a badge's) QR code into the Pass field, which is then
// sent as if a scanner had typed it. The browser's BarcodeDetector where it has one, else jsQR from static/vendor.
(() => {
  const JSQR = "/static/vendor/jsqr/jsQR.js";
  let scanning = null;

  const canScan = () => Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  const showButtons = () => {
    if (!canScan()) return;
    document.querySelectorAll("[data-scan]").forEach((button) => { button.hidden = false; });
  };

  const loadJsQR = () => new Promise((resolve, reject) => {
    if (window.jsQR) return resolve(window.jsQR);
    const script = document.createElement("script");
    script.src = JSQR;
    script.onload = () => resolve(window.jsQR);
    script.onerror = reject;
    document.head.appendChild(script);
  });

  const detector = async () => {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) {
          const found = new window.BarcodeDetector({ formats: ["qr_code"] });
          return async (video) => {
            const codes = await found.detect(video);
            return codes.length ? codes[0].rawValue : null;
          };
        }
      } catch { /* fall back to jsQR */ }
    }
    const jsQR = await loadJsQR();
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async (video) => {
      if (!video.videoWidth) return null;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return code ? code.data : null;
    };
  };

  const stop = () => {
    if (!scanning) return;
    scanning.stream.getTracks().forEach((track) => track.stop());
    scanning.video.hidden = true;
    scanning.button.textContent = scanning.label;
    scanning.button.setAttribute("aria-pressed", "false");
    scanning = null;
  };

  const start = async (button) => {
    const form = button.closest("form");
    const video = form.querySelector("[data-scan-video]");
    const field = form.querySelector("input[name=pass]");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch {
      field.setCustomValidity("");
      field.placeholder = button.dataset.noCamera;
      return;
    }
    scanning = { stream, video, button, label: button.textContent };
    button.textContent = button.dataset.stop;
    button.setAttribute("aria-pressed", "true");
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const read = await detector();
    const mine = scanning;
    const look = async () => {
      if (scanning !== mine) return;
      let text = null;
      try { text = await read(video); } catch { text = null; }
      if (text) {
        stop();
        field.value = text;
        form.requestSubmit();
        return;
      }
      window.setTimeout(look, 150);
    };
    look();
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-scan]");
    if (!button) return;
    if (scanning) stop(); else start(button);
  });
  document.addEventListener("DOMContentLoaded", showButtons);
  document.addEventListener("htmx:after:swap", showButtons);
  if (document.readyState !== "loading") showButtons();
})();
