// Progressive enhancement for market pickers: a box that narrows a long list of
// metros and states by name. Without this script the plain select still works.
// The template keeps the box's place (a `data-filter-slot` before the select, sized
// in site.css only when scripting is on), so adding it moves nothing on the page.
for (const select of document.querySelectorAll("select[data-filterable]")) {
  const box = document.createElement("input");
  box.type = "search";
  box.className = "form-control form-control-sm";
  box.placeholder = "Type to filter by name";
  box.setAttribute("aria-label", `Filter: ${select.labels[0]?.textContent ?? "options"}`);
  box.setAttribute("aria-controls", select.id);
  const slot = document.querySelector(`[data-filter-slot="${select.id}"]`);
  if (slot) {
    slot.append(box);
  } else {
    box.classList.add("mb-1");
    select.before(box);
  }
  box.addEventListener("input", () => {
    const wanted = box.value.trim().toLowerCase();
    for (const option of select.options) {
      option.hidden = option.value !== "" && !option.textContent.toLowerCase().includes(wanted);
    }
  });
}
