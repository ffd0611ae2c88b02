// Miniature: a copy of a slide to show small, for the overview and the speaker view. The copy
// has no ids and no notes, is marked current and sits in an aria-hidden .mini box that the
// asker scales with --mini-scale. Its steps up to `shown` are in place (every step when
// `shown` is not given); with `dim` the later ones are drawn faint instead of hidden. Unless
// `tabbable`, its links and buttons stop being controls (no href, disabled). A live page
// (`embed`) is its title and address in a copy, a video its still frame.
// Listens to: lectern:miniature {slide, shown, dim, tabbable}, and answers in its detail.box
// (an event runs its listeners at once, so the asker reads box when dispatchEvent returns).

function miniature(slide, shown, dim, tabbable) {
  const all = shown === undefined || shown === null;
  const copy = slide.cloneNode(true);
  copy.removeAttribute('id');
  copy.removeAttribute('aria-hidden');
  copy.classList.add('current');
  copy.style.setProperty('transition', 'none');
  for (const el of copy.querySelectorAll('[id]')) el.removeAttribute('id');
  for (const el of copy.querySelectorAll('.notes')) el.remove();
  // a live page is its title and address in a copy (never a second frame); a video, its poster
  for (const el of copy.querySelectorAll('.embed')) { el.classList.remove('live'); el.querySelector('iframe')?.remove(); }
  for (const el of copy.querySelectorAll('video')) { el.removeAttribute('controls'); el.preload = 'none'; }
  for (const el of copy.querySelectorAll('[data-step]')) {
    const on = all || Number(el.dataset.step) <= shown;
    el.classList.toggle('shown', on || dim);
    el.classList.toggle('pending', !on && dim);
  }
  if (!tabbable) {
    // a picture of the slide, not controls nested in the control that shows it (an overview
    // thumbnail is a button): links lose their href (they look the same), buttons are disabled
    for (const el of copy.querySelectorAll('a[href]')) el.removeAttribute('href');
    for (const el of copy.querySelectorAll('button')) el.disabled = true;
    for (const el of copy.querySelectorAll('[tabindex]')) el.removeAttribute('tabindex');
  }
  const box = document.createElement('div');
  box.className = 'mini';
  box.setAttribute('aria-hidden', 'true');
  box.appendChild(copy);
  return box;
}

document.addEventListener('lectern:miniature', (e) => {
  const d = e.detail;
  d.box = miniature(d.slide, d.shown, !!d.dim, !!d.tabbable);
});
