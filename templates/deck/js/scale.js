// Scaling: fits the fixed 16:9 canvas into the window (letterboxed) and, as a last resort,
// shrinks the type of a slide whose content would not fit, so nothing is ever clipped.
// Listens to: resize, lectern:refit. Sets: --scale on #deck, --fit on a slide.
const root = document.documentElement;
root.classList.remove('no-js');
root.classList.add('js');

const deck = document.getElementById('deck');
const W = deck.offsetWidth || 1280;
const H = deck.offsetHeight || 720;
const MIN_FIT = 0.6;

function rescale() {
  const s = Math.min(window.innerWidth / W, window.innerHeight / H);
  deck.style.setProperty('--scale', String(s > 0 ? s : 1));
}

function overflows(slide) {
  if (slide.scrollHeight > slide.clientHeight + 1 || slide.scrollWidth > slide.clientWidth + 1) return true;
  for (const part of slide.querySelectorAll('.slide-body, .slide-body > *, .footnotes')) {
    if (part.scrollHeight > part.clientHeight + 1 || part.scrollWidth > part.clientWidth + 1) return true;
  }
  return false;
}

function fit(slides) {
  // Read all first (one layout), then shrink only the slides that need it.
  let pending = slides.filter(overflows);
  let f = 1;
  while (pending.length && f > MIN_FIT) {
    f = Math.max(MIN_FIT, Math.round((f - 0.05) * 100) / 100);
    for (const s of pending) s.style.setProperty('--fit', String(f));
    pending = pending.filter(overflows);
  }
}

function fitAll() {
  fit(Array.from(deck.querySelectorAll(':scope > .slide')));
}

window.addEventListener('resize', rescale);
document.addEventListener('lectern:refit', fitAll);
rescale();
fitAll();
if (document.fonts && document.fonts.ready) document.fonts.ready.then(fitAll);
