// Help (?): the list of keys in a dialog; Esc, ? or its button closes it.
// Listens to: keydown, clicks on the help button.
const dialog = document.getElementById('help');
const button = document.querySelector('.help-button');
let returnFocus = null;

function open() {
  if (!dialog) return;
  returnFocus = document.activeElement;
  dialog.hidden = false;
  const close = dialog.querySelector('.help-close');
  if (close) close.focus();
}

function close() {
  if (!dialog || dialog.hidden) return;
  dialog.hidden = true;
  if (returnFocus && returnFocus.focus && document.contains(returnFocus)) returnFocus.focus();
}

window.addEventListener('keydown', (e) => {
  if (!dialog || dialog.hidden) return;
  if (e.key === 'Tab') { e.preventDefault(); return; }  // the close button is the only control
  e.stopPropagation();
  if (e.key === 'Escape' || e.key === '?' || e.key === 'Enter' || e.key === ' ') { close(); e.preventDefault(); }
}, true);

document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '?') { open(); e.preventDefault(); }
});
if (button) button.addEventListener('click', open);
if (dialog) {
  const c = dialog.querySelector('.help-close');
  if (c) c.addEventListener('click', close);
  dialog.addEventListener('click', (e) => { if (e.target === dialog) close(); });
}
