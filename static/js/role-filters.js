// Progressive enhancement for the role filters: shareable links without empty
// parameters. The form works the same without this script.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches(".filter-form")) return;
  for (const field of form.elements) {
    if (field.name && field.value === "" && !field.disabled) field.disabled = true;
  }
  // Re-enable after the browser has read the form, for the back button.
  setTimeout(() => {
    for (const field of form.elements) field.disabled = false;
  });
});

// On wide screens the filter panel is always shown (CSS); mark it open so screen
// readers hear "expanded" there, and keep it so. On phones it stays folded.
(() => {
  const panel = document.querySelector("details.filters");
  if (!panel) return;
  const wide = window.matchMedia("(min-width: 992px)");
  const follow = () => {
    if (wide.matches) panel.open = true;
  };
  follow();
  wide.addEventListener("change", follow);
  panel.addEventListener("toggle", follow);
})();
