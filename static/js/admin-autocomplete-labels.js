/*
 * Names select2's controls after the field they stand for (axe `label`,
 * `aria-input-field-name`): select2 builds an unlabelled search box beside each
 * multiple select, and names a single select only by its current value, which is
 * empty until one is chosen. Runs once Django's autocomplete.js has set select2 up
 * on DOMContentLoaded (this file may load before it, so it waits a turn), and again
 * for added formset rows.
 */
"use strict";

(function () {
  function labelControls() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = document.querySelector('label[for="' + select.id + '"]');
      const container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) return;
      const name = label.textContent.replace(/:\s*$/, "").trim();
      if (!label.id) label.id = select.id + "-label";
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-label", "Search " + name.toLowerCase());
      });
      container.querySelectorAll(".select2-selection--single").forEach(function (combobox) {
        // Read as "Specialises: Machine Learning Engineer", the value from its text.
        const value = combobox.querySelector(".select2-selection__rendered");
        combobox.setAttribute("aria-labelledby", label.id + (value ? " " + value.id : ""));
        if (value) value.setAttribute("aria-labelledby", label.id);
      });
    });
  }

  function soon() { window.setTimeout(labelControls, 0); }

  document.addEventListener("DOMContentLoaded", soon);
  document.addEventListener("formset:added", soon);
})();
