// Navigation and address: which slide shows, the keys that move, #/N, window.lectern and
// the `slidechange` event. Listens to: keydown, hashchange, lectern:go, lectern:next,
// lectern:prev. Asks first with cancelable lectern:beforenext / lectern:beforeprev (so steps
// can take the move). Dispatches: slidechange {current, previous, direction, step},
// lectern:typing {digits}.
const deck = document.getElementById('deck');
const slides = Array.from(deck.querySelectorAll(':scope > .slide'));
const count = slides.length;
let current = 0;
let digits = '';
for (const s of slides) s.setAttribute('aria-hidden', 'true');  // until shown

function emit(name, detail, cancelable) {
  return document.dispatchEvent(new CustomEvent(name, { detail, cancelable: !!cancelable }));
}

function clamp(n) {
  n = Math.floor(Number(n));
  if (!Number.isFinite(n) || n < 1) return 1;
  return Math.min(n, count);
}

function fromAddress() {
  const m = /^#\/(\d+)/.exec(location.hash);
  return m ? clamp(m[1]) : null;
}

function writeAddress() {
  const hash = '#/' + current;
  if (location.hash === hash) return;
  try {
    history.replaceState(history.state, '', hash);
  } catch (e) {
    location.hash = hash;
  }
}

// The slide left stays opaque under the new one while it fades in (deck.css: .leaving), until
// that fade ends or is cut short (a next move), or at once when there is none (reduced motion).
function leave(slide, incoming) {
  slide.classList.add('leaving');
  const done = () => slide.classList.remove('leaving');
  const fades = incoming.getAnimations().filter((a) => a.transitionProperty === 'opacity');
  if (!fades.length) { done(); return; }
  Promise.all(fades.map((a) => a.finished.catch(() => null))).then(done);
}

function show(n, direction, step) {
  n = clamp(n);
  if (!count || n === current) return false;
  const previous = current;
  if (previous) {
    const focused = document.activeElement;
    if (focused && slides[previous - 1].contains(focused)) focused.blur();  // keys go to the deck again
    slides[previous - 1].classList.remove('current');
    slides[previous - 1].setAttribute('aria-hidden', 'true');
  }
  slides[n - 1].classList.add('current');
  slides[n - 1].removeAttribute('aria-hidden');
  if (previous) leave(slides[previous - 1], slides[n - 1]);
  current = n;
  writeAddress();
  emit('slidechange', { current: n, previous: previous || null, direction: direction || 'jump', step });
  return true;
}

function next() {
  if (!emit('lectern:beforenext', { current }, true)) return;
  show(current + 1, 'forward');
}

function prev() {
  if (!emit('lectern:beforeprev', { current }, true)) return;
  show(current - 1, 'backward');
}

function type(d) {
  digits = d;
  emit('lectern:typing', { digits });
}

const KEYS = {
  ArrowRight: next, ArrowDown: next, PageDown: next, ' ': next, Spacebar: next,
  ArrowLeft: prev, ArrowUp: prev, PageUp: prev,
  Home: () => show(1, 'jump'), End: () => show(count, 'jump'),
};

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  const onControl = t && t.closest && t.closest('a[href], button');
  if (/^[0-9]$/.test(e.key)) {
    type((digits + e.key).slice(-6));
    e.preventDefault();
    return;
  }
  if (digits && e.key === 'Enter') {
    const n = Number(digits);
    type('');
    show(n, 'jump');
    e.preventDefault();
    return;
  }
  if (digits && (e.key === 'Escape' || e.key === 'Backspace')) {
    type(e.key === 'Backspace' ? digits.slice(0, -1) : '');
    e.preventDefault();
    return;
  }
  if (onControl && (e.key === ' ' || e.key === 'Enter')) return;
  const act = e.key === ' ' && e.shiftKey ? prev : KEYS[e.key];
  if (act) {
    if (digits) type('');
    act();
    e.preventDefault();
  }
}

document.addEventListener('keydown', onKey);
window.addEventListener('hashchange', () => {
  const n = fromAddress();
  if (n) show(n, 'jump');
  else writeAddress();
});
document.addEventListener('lectern:go', (e) => show(e.detail && e.detail.n, 'jump', e.detail && e.detail.step));
document.addEventListener('lectern:next', next);
document.addEventListener('lectern:prev', prev);

const api = window.lectern || (window.lectern = {});
Object.defineProperties(api, {
  slideCount: { get: () => count, enumerable: true, configurable: true },
  current: { get: () => current, enumerable: true, configurable: true },
});
api.go = (n) => { show(n, 'jump'); };
api.next = next;
api.prev = prev;

// Start once every module has registered its listeners.
setTimeout(() => show(fromAddress() || 1, 'jump'), 0);
