/// The contact sheet's inline style sheet and self-check script.
extension ContactSheet {
    /// The page's CSS: light and dark colours, the responsive grid, square frames, the `missing`
    /// label on broken figures.
    static let css = """
    :root { --bg: #f6f6f4; --fg: #1d1d1f; --muted: #6b6b70; --card: #ffffff; --well: #e9e9e6; --line: #d8d8d4; --bad: #b3261e; --link: #1a5fb4; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #161618; --fg: #ececef; --muted: #9a9aa2; --card: #222226; --well: #2c2c31; --line: #3a3a40; --bad: #ff8a80; --link: #8ab4f8; }
    }
    * { box-sizing: border-box; }
    body { margin: 0; padding: 16px; background: var(--bg); color: var(--fg); font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
    a { color: var(--link); }
    header h1 { margin: 0 0 6px; font-size: 20px; overflow-wrap: anywhere; }
    .summary { margin: 0 0 16px; color: var(--muted); font: 12px/1.5 ui-monospace, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
    .summary div { white-space: pre-wrap; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; }
    figure { margin: 0; display: flex; flex-direction: column; background: var(--card); border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
    .frame { position: relative; display: block; aspect-ratio: 1 / 1; min-height: 0; overflow: hidden; background: var(--well); }
    .frame img, .frame video { position: absolute; inset: 0; display: block; width: 100%; height: 100%; object-fit: contain; }
    .frame.file { display: flex; align-items: center; justify-content: center; color: var(--muted); text-decoration: none; }
    .frame.play::before { content: "\\25B6"; position: absolute; right: 6px; bottom: 6px; padding: 1px 6px; border-radius: 4px; background: rgba(0, 0, 0, 0.6); color: #fff; font-size: 11px; }
    figure.broken .frame img { visibility: hidden; }
    figure.broken .frame::after { content: "missing"; position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; color: var(--bad); font-weight: 600; border: 2px dashed var(--bad); }
    figcaption { display: flex; flex-direction: column; gap: 2px; padding: 6px 8px 8px; }
    figcaption .name { font-size: 13px; overflow-wrap: anywhere; }
    figcaption .meta { color: var(--muted); font-size: 12px; }
    .kind { text-transform: uppercase; }
    .empty { color: var(--muted); }
    .failures { margin-top: 24px; }
    .failures h2 { font-size: 16px; color: var(--bad); margin: 0 0 8px; }
    .failures ul { margin: 0; padding-left: 20px; }
    .failures li { margin: 2px 0; overflow-wrap: anywhere; }
    code { font: 12px ui-monospace, Menlo, Consolas, monospace; }
    @media (max-width: 480px) {
      body { padding: 10px; }
      .grid { grid-template-columns: repeat(auto-fill, minmax(100px, 1fr)); gap: 6px; }
    }

    """

    /// The self-check: after `load`, makes every `img.shot` load eagerly, waits until each has
    /// loaded or failed (asking again for one that failed before it could listen, and giving up on
    /// one after 30 s), adds `broken` to a failed one's figure, then sets `data-images-loaded`,
    /// `data-images-broken` and `data-images-total` on `<body>` (all `0` at once when there are no images).
    static let script = """
    (function () {
      function run() {
        var shots = Array.prototype.slice.call(document.querySelectorAll("img.shot"));
        var ok = 0, broken = 0, pending = shots.length;
        function finish() {
          document.body.dataset.imagesLoaded = String(ok);
          document.body.dataset.imagesBroken = String(broken);
          document.body.dataset.imagesTotal = String(shots.length);
        }
        if (pending === 0) { finish(); return; }
        shots.forEach(function (img) {
          var done = false;
          function settle(good) {
            if (done) return;
            done = true;
            if (good) { ok += 1; } else { broken += 1; var figure = img.closest("figure"); if (figure) figure.classList.add("broken"); }
            pending -= 1;
            if (pending === 0) finish();
          }
          img.addEventListener("load", function () { settle(img.naturalWidth > 0); });
          img.addEventListener("error", function () { settle(false); });
          if (img.loading === "lazy") img.loading = "eager";
          if (img.complete && img.naturalWidth > 0) settle(true);
          else if (img.complete) img.src = img.src;
          setTimeout(function () { settle(img.complete && img.naturalWidth > 0); }, 30000);
        });
      }
      if (document.readyState === "complete") run(); else window.addEventListener("load", run);
    })();

    """
}
