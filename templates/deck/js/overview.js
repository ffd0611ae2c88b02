// Overview (o): every slide as a thumbnail; arrows move, Enter or a click goes there, Esc or o
// closes. Listens to: keydown, slidechange. Dispatches: lectern:go {n}, lectern:miniature.
const deck = document.getElementById('deck');
const slides = Array.from(deck.querySelectorAll(':scope > .slide'));
let overlay = null;
let current = 1;
let returnFocus = null;
const L = (() => {
  try { return JSON.parse(document.getElementById('lectern-labels').textContent); } catch (e) { return {}; }
})();

// A slide in miniature with every step shown, from miniature.js.
function miniature(slide) {
  const ask = { slide };
  document.dispatchEvent(new CustomEvent('lectern:miniature', { detail: ask }));
  return ask.box;
}

function titleOf(slide) {
  const h = slide.querySelector('h1, h2');
  return h ? h.textContent.replace(/\s+/g, ' ').trim() : '';
}

function build() {
  overlay = document.createElement('div');
  overlay.className = 'overview';
  overlay.setAttribute('role', 'dialog');
  overlay.setAttribute('aria-modal', 'true');
  overlay.setAttribute('aria-label', L.all_slides || 'All slides');
  overlay.hidden = true;
  const head = document.createElement('div');
  head.className = 'overview-head';
  const h = document.createElement('h2');
  h.textContent = L.all_slides || 'All slides';
  const closer = document.createElement('button');
  closer.type = 'button';
  closer.className = 'overview-close';
  closer.textContent = L.close_esc || 'Close (Esc)';
  head.append(h, closer);
  head.querySelector('button').addEventListener('click', close);
  const grid = document.createElement('ol');
  grid.className = 'overview-grid';
  slides.forEach((slide, i) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'thumb';
    b.dataset.n = String(i + 1);
    const t = titleOf(slide);
    const frame = document.createElement('span');
    frame.className = 'thumb-frame';
    frame.appendChild(miniature(slide));
    // the button's name is its label as shown ("3 · Why 1953?"), read "Slide 3 · Why 1953?"
    const label = document.createElement('span');
    label.className = 'thumb-label';
    const word = document.createElement('span');
    word.className = 'visually-hidden';
    word.textContent = (L.slide || 'Slide') + ' ';
    label.append(word, (i + 1) + ' · ' + t);
    b.append(frame, label);
    b.addEventListener('click', () => {
      close();
      document.dispatchEvent(new CustomEvent('lectern:go', { detail: { n: i + 1 } }));
    });
    li.appendChild(b);
    grid.appendChild(li);
  });
  overlay.append(head, grid);
  document.body.appendChild(overlay);
}

function thumbs() {
  return Array.from(overlay.querySelectorAll('.thumb'));
}

function rescale() {
  if (!overlay || overlay.hidden) return;
  const frame = overlay.querySelector('.thumb-frame');
  if (frame) overlay.style.setProperty('--mini-scale', String(frame.clientWidth / 1280));
}

function open() {
  if (!overlay) build();
  returnFocus = document.activeElement;
  overlay.hidden = false;
  rescale();
  const all = thumbs();
  all.forEach((b, i) => b.classList.toggle('current', i + 1 === current));
  const b = all[current - 1];
  if (b) {
    b.focus({ preventScroll: true });
    b.scrollIntoView({ block: 'center' });
  }
  document.documentElement.classList.add('is-overview');
}

function close() {
  if (!overlay || overlay.hidden) return;
  overlay.hidden = true;
  document.documentElement.classList.remove('is-overview');
  if (returnFocus && returnFocus.focus && document.contains(returnFocus)) returnFocus.focus();
}

function columns(all) {
  if (all.length < 2) return 1;
  const top = all[0].offsetTop;
  const i = all.findIndex((b) => b.offsetTop !== top);
  return i === -1 ? all.length : i;
}

// While open, the overview takes every key before the deck sees it.
window.addEventListener('keydown', (e) => {
  if (!overlay || overlay.hidden) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  e.stopPropagation();
  if (e.key === 'Escape' || e.key === 'o' || e.key === 'O') { close(); e.preventDefault(); return; }
  const all = thumbs();
  const at = Math.max(0, all.indexOf(document.activeElement));
  const cols = columns(all);
  const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, Home: -all.length, End: all.length };
  if (e.key in moves) {
    const to = Math.max(0, Math.min(all.length - 1, at + moves[e.key]));
    all[to].focus();
    all[to].scrollIntoView({ block: 'nearest' });
    e.preventDefault();
  }
}, true);

document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === 'o' || e.key === 'O') { open(); e.preventDefault(); }
});
document.addEventListener('slidechange', (e) => { current = e.detail.current; });
window.addEventListener('resize', rescale);
