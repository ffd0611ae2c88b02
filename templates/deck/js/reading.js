// Reading: on a narrow portrait screen (a phone) the deck becomes a scroll of readable cards,
// one a slide, at the phone's own type size, with every step shown; rotated to landscape (or on
// any wider screen) it is the slide deck again, at the card being read. A button switches by
// hand. The card read is the current slide (#/N names it; the keys still move, and scroll).
// Listens to: the media query's change, the cards' visibility, slidechange, the button.
// Dispatches: lectern:go (the card scrolled to), lectern:reading {on}.
const root = document.documentElement;
const deck = document.getElementById('deck');
const slides = Array.from(deck.querySelectorAll(':scope > .slide'));
const narrow = window.matchMedia('(max-width: 599px) and (orientation: portrait)');
const L = (() => {
  try { return JSON.parse(document.getElementById('lectern-labels').textContent); } catch (e) { return {}; }
})();
let chosen = null;  // the reader's own choice (the button), until the screen turns
let current = 1;
let scrolling = false;  // a card came into view: its slidechange needs no scroll back

const button = document.createElement('button');
button.type = 'button';
button.className = 'reading-switch';
document.body.appendChild(button);

function reading() { return chosen === null ? narrow.matches : chosen; }

function label() {
  const on = root.classList.contains('reading');
  button.textContent = on ? (L.slide_view || 'Slides') : (L.read_view || 'Read');
  button.title = button.textContent;
  button.hidden = !(narrow.matches || on);
}

function toCard(n) {
  const card = slides[n - 1];
  if (card) card.scrollIntoView({ block: 'start' });
}

function apply() {
  const on = reading();
  if (on !== root.classList.contains('reading')) {
    root.classList.toggle('reading', on);
    document.dispatchEvent(new CustomEvent('lectern:reading', { detail: { on } }));
    if (on) toCard(current);
    else { window.scrollTo(0, 0); window.dispatchEvent(new Event('resize')); }
  }
  label();
}

// The card read is the first of those in the top quarter of the screen.
const atTop = new Set();
const seen = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    const n = slides.indexOf(entry.target) + 1;
    if (entry.isIntersecting) atTop.add(n); else atTop.delete(n);
  }
  if (!root.classList.contains('reading') || !atTop.size) return;
  const n = Math.min(...atTop);
  if (n !== current) {
    scrolling = true;
    document.dispatchEvent(new CustomEvent('lectern:go', { detail: { n } }));
    scrolling = false;
  }
}, { rootMargin: '0px 0px -75% 0px' });
for (const s of slides) seen.observe(s);

document.addEventListener('slidechange', (e) => {
  current = e.detail.current;
  if (root.classList.contains('reading') && !scrolling) toCard(current);
});
narrow.addEventListener('change', () => { chosen = null; apply(); });
button.addEventListener('click', () => { chosen = !root.classList.contains('reading'); apply(); });
apply();
