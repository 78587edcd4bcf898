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
