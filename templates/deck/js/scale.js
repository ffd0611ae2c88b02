// Scaling: fits the fixed 16:9 canvas into the window (letterboxed) and, as a last resort,
// shrinks the type of a slide whose content would not fit, so nothing is ever clipped.
// Only the slide shown and the next are measured (others are not even laid out), and every
// slide before printing. Listens to: resize, slidechange, beforeprint, lectern:refit.
// Sets: --scale on #deck, --fit on a slide.
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

const slides = Array.from(deck.querySelectorAll(':scope > .slide'));
const fitted = new WeakSet();

function fit(list, again) {
  list = list.filter((s) => s && (again || !fitted.has(s)));
  if (!list.length) return;
  for (const s of list) {
    s.classList.add('measuring');
    if (again) s.style.removeProperty('--fit');  // measure afresh (fonts may have changed)
  }
  // Read all first (one layout), then shrink only the slides that need it.
  let pending = list.filter(overflows);
  let f = 1;
  while (pending.length && f > MIN_FIT) {
    f = Math.max(MIN_FIT, Math.round((f - 0.05) * 100) / 100);
    for (const s of pending) s.style.setProperty('--fit', String(f));
    pending = pending.filter(overflows);
  }
  for (const s of list) {
    s.classList.remove('measuring');
    fitted.add(s);
  }
}

let at = 1;
function fitAround(again) {
  fit([slides[at - 1], slides[at]], again);
}

window.addEventListener('resize', rescale);
document.addEventListener('slidechange', (e) => { at = e.detail.current; fitAround(false); });
document.addEventListener('lectern:refit', () => fit(slides, true));
window.addEventListener('beforeprint', () => fit(slides, false));
rescale();
if (document.fonts && document.fonts.ready) document.fonts.ready.then(() => fitAround(true));
