// Husly's little page script (no inline scripts: the Content Security Policy forbids them).
// A table wider than the screen scrolls inside its wrapper; the wrapper then takes keyboard
// focus so that keyboard users can scroll it too (WCAG 2.1.1), named by the table's caption.
(() => {
  const mark = () => {
    document.querySelectorAll(".husly-table-wrap").forEach((wrap, index) => {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        const caption = wrap.querySelector("caption");
        if (caption) {
          caption.id = caption.id || `husly-table-caption-${index}`;
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-labelledby", caption.id);
        }
      } else if (wrap.hasAttribute("tabindex")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-labelledby");
      }
    });
  };
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", mark);
  window.addEventListener("resize", mark);
})();
