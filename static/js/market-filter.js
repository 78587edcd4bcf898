// Progressive enhancement for market pickers: a box that narrows a long list of
// metros and states by name. Without this script the plain select still works.
for (const select of document.querySelectorAll("select[data-filterable]")) {
  const box = document.createElement("input");
  box.type = "search";
  box.className = "form-control form-control-sm mb-1";
  box.placeholder = "Type to filter by name";
  box.setAttribute("aria-label", `Filter: ${select.labels[0]?.textContent ?? "options"}`);
  box.setAttribute("aria-controls", select.id);
  select.before(box);
  box.addEventListener("input", () => {
    const wanted = box.value.trim().toLowerCase();
    for (const option of select.options) {
      option.hidden = option.value !== "" && !option.textContent.toLowerCase().includes(wanted);
    }
  });
}
