// Steps: on a `build` slide the marked points appear one at a time before the deck moves on,
// and going back hides them again in reverse order. Listens to: slidechange,
// lectern:beforenext, lectern:beforeprev, lectern:go {n, step}. Dispatches:
// lectern:stepchange {current, step, steps}. Adds window.lectern.step.
const deck = document.getElementById('deck');
const slides = Array.from(deck.querySelectorAll(':scope > .slide'));
let n = 0;
let shown = 0;
let total = 0;

function apply() {
  const slide = slides[n - 1];
  if (!slide) return;
  for (const el of slide.querySelectorAll('[data-step]')) {
    el.classList.toggle('shown', Number(el.dataset.step) <= shown);
  }
  slide.dataset.shown = String(shown);
  document.dispatchEvent(new CustomEvent('lectern:stepchange', { detail: { current: n, step: shown, steps: total } }));
}

function clampStep(s) {
  s = Math.floor(Number(s));
  return Number.isFinite(s) ? Math.max(0, Math.min(total, s)) : 0;
}

document.addEventListener('slidechange', (e) => {
  n = e.detail.current;
  total = Number(slides[n - 1].dataset.steps) || 0;
  if (e.detail.step !== undefined && e.detail.step !== null) shown = clampStep(e.detail.step);
  else shown = e.detail.direction === 'backward' ? total : 0;
  apply();
});

document.addEventListener('lectern:beforenext', (e) => {
  if (shown < total) {
    shown += 1;
    apply();
    e.preventDefault();
  }
});

document.addEventListener('lectern:beforeprev', (e) => {
  if (shown > 0) {
    shown -= 1;
    apply();
    e.preventDefault();
  }
});

document.addEventListener('lectern:go', (e) => {
  const d = e.detail || {};
  if (d.n === n && d.step !== undefined && d.step !== null && clampStep(d.step) !== shown) {
    shown = clampStep(d.step);
    apply();
  }
});

Object.defineProperty(window.lectern || (window.lectern = {}), 'step', {
  get: () => shown, enumerable: true, configurable: true,
});
