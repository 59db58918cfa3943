// The print pages' "Print" button; the pages print just as well with the browser's own command.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
