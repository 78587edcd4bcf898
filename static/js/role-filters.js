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
