// When a form comes back with errors, move focus to the error summary at its top, so keyboard
// and screen-reader users hear what to correct (WCAG 3.3.1); each item links to its field.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".ds-error-summary");
  if (summary) {
    summary.focus();
  }
});
