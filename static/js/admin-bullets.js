/*
 * The role template editor's bullets (templates/admin/roles/role/bullets_inline.html).
 *
 * Each section is a list of bullets with an Order number. This script adds bullets
 * at the end of a section, moves them with "Move up"/"Move down" buttons (keyboard
 * and screen readers) or by dragging the handle (mouse or touch, with SortableJS:
 * django-admin-sortable2 does not load on Django 6.1), and renumbers Order to
 * match what the editor sees. Without it, the Order numbers decide the order.
 *
 * It also stops a save that would post more fields than the server accepts, before
 * anything is sent, so the editor keeps everything typed.
 */
"use strict";

(function () {
  function bullets(list) {
    return Array.from(list.querySelectorAll(":scope > [data-bullet]"));
  }

  function announce(section, message) {
    const status = section.querySelector("[data-bullet-status]");
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function renumber(section) {
    const noun = section.dataset.noun;
    const Noun = noun.charAt(0).toUpperCase() + noun.slice(1);
    bullets(section.querySelector("[data-bullet-list]")).forEach(function (bullet, index) {
      const position = bullet.querySelector(".bullet-position");
      if (position) position.value = index + 1;
      const label = bullet.querySelector("[data-bullet-label]");
      if (label) label.textContent = Noun + " " + (index + 1);
      bullet.querySelectorAll("[data-move]").forEach(function (button) {
        const way = button.dataset.move;
        button.setAttribute("aria-label", "Move " + noun + " " + (index + 1) + " " + way);
      });
    });
  }

  function addTools(section, bullet) {
    const tools = bullet.querySelector("[data-bullet-tools]");
    if (!tools || tools.childElementCount) return;
    ["up", "down"].forEach(function (way) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button bullet-move";
      button.dataset.move = way;
      button.textContent = way === "up" ? "↑" : "↓";
      button.title = "Move " + way;
      tools.appendChild(button);
    });
    bullet.querySelector(".bullet-handle").classList.add("ready");
  }

  function move(section, bullet, way, button) {
    const list = section.querySelector("[data-bullet-list]");
    const sibling = way === "up" ? bullet.previousElementSibling : bullet.nextElementSibling;
    if (!sibling) {
      announce(section, "Already " + (way === "up" ? "first" : "last") + ".");
      return;
    }
    if (way === "up") list.insertBefore(bullet, sibling);
    else list.insertBefore(sibling, bullet);
    renumber(section);
    button.focus();
    const place = bullets(list).indexOf(bullet) + 1;
    announce(section, "Moved to position " + place + " of " + bullets(list).length + ".");
  }

  function addBullet(section) {
    const prefix = section.dataset.prefix;
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const index = Number(total.value);
    const template = section.querySelector("[data-empty-bullet]");
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    const bullet = holder.querySelector("[data-bullet]");
    const list = section.querySelector("[data-bullet-list]");
    list.appendChild(bullet);
    total.value = index + 1;
    addTools(section, bullet);
    renumber(section);
    bullet.querySelector("textarea").focus();
  }

  function enableDragging(section) {
    // SortableJS (static/vendor/sortablejs): mouse and touch, from the handle only,
    // so text in the bullets stays selectable.
    window.Sortable.create(section.querySelector("[data-bullet-list]"), {
      handle: ".bullet-handle",
      draggable: "[data-bullet]",
      chosenClass: "dragging",
      animation: 120,
      onEnd: function (event) {
        renumber(section);
        if (event.oldIndex !== event.newIndex) {
          announce(section, "Moved to position " + (event.newIndex + 1) + ".");
        }
      },
    });
  }

  function guardFieldCount(marker) {
    const form = marker.closest("form");
    const limit = Number(marker.dataset.maxFields || 0);
    if (!form || !limit) return;
    form.addEventListener("submit", function (event) {
      const fields = Array.from(form.elements).filter(function (element) {
        return element.name && !element.disabled;
      }).length;
      if (fields <= limit) return;
      event.preventDefault();
      let note = document.getElementById("too-many-fields");
      if (!note) {
        note = document.createElement("p");
        note.id = "too-many-fields";
        note.className = "errornote";
        note.setAttribute("role", "alert");
        note.tabIndex = -1;
        form.prepend(note);
      }
      note.textContent = "This form has " + fields + " fields and the server accepts " + limit +
        ". Nothing was sent and nothing you typed is lost: remove some bullets, or save " +
        "part of the changes first.";
      note.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-bullets]").forEach(function (section) {
      bullets(section.querySelector("[data-bullet-list]")).forEach(function (bullet) {
        addTools(section, bullet);
      });
      renumber(section);
      enableDragging(section);
      section.addEventListener("click", function (event) {
        const button = event.target.closest("[data-move]");
        if (button) move(section, button.closest("[data-bullet]"), button.dataset.move, button);
        if (event.target.closest("[data-add-bullet]")) addBullet(section);
      });
      const add = section.querySelector("[data-add-bullet]");
      if (add) add.hidden = false;
    });
    document.querySelectorAll("[data-max-fields]").forEach(guardFieldCount);
  });
})();
