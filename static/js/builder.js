// The builder's copy buttons: one click puts a format's text on the clipboard. Without
// this script the buttons stay hidden and the text boxes above them still let people
// select and copy, or download the same text.
const status = document.getElementById("copy-status");

for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      status.textContent = `${button.textContent.replace(/^Copy /, "")} copied to the clipboard.`;
    } catch {
      source.select();
      status.textContent = "Copying was blocked: the text is selected, press Ctrl+C or ⌘+C.";
    }
  });
}

// A change to the form after a preview: say that the preview and copies show the last
// update (downloads and saves always take the form as it is).
const stale = document.querySelector(".stale-notice");
const form = document.querySelector(".builder-form");
if (stale && form) {
  const markStale = (event) => {
    if (event.target.closest(".take-away")) return; // the copy boxes are read-only output
    stale.hidden = false;
  };
  form.addEventListener("input", markStale);
  form.addEventListener("change", markStale);
}
