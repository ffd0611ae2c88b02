// Speaker view (s): a second window showing the current slide, the next slide or step, the
// notes, the time spent against the lecture's duration, and the clock. Both windows run this
// same deck; each tells the other where it is with postMessage, so moving in either moves
// both, from file:// with no server. Listens to: keydown, slidechange, lectern:stepchange,
// message. Dispatches: lectern:go {n, step} for a move made in the other window,
// lectern:miniature, lectern:notice.
const NAME = 'lectern-speaker';
const deck = document.getElementById('deck');
const slides = Array.from(deck.querySelectorAll(':scope > .slide'));
const isSpeaker = window.name === NAME || /[?&]speaker\b/.test(location.search);
let peer = isSpeaker ? window.opener : null;
let remote = false;
let sent = '';
let at = { n: 1, step: 0, steps: 0 };
const L = (() => {
  try { return JSON.parse(document.getElementById('lectern-labels').textContent); } catch (e) { return {}; }
})();
const word = (k, d) => L[k] || d;

function post(msg) {
  if (!peer || peer.closed) return;
  try { peer.postMessage(msg, '*'); } catch (err) { peer = null; }
}

function tell() {
  if (remote) return;
  const key = at.n + '.' + at.step;
  if (key === sent) return;
  sent = key;
  post({ lectern: 'state', n: at.n, step: at.step });
}

window.addEventListener('message', (e) => {
  const d = e.data;
  if (!d || typeof d !== 'object' || typeof d.lectern !== 'string') return;
  if (e.source !== peer && e.source !== window.opener) return;
  peer = e.source;
  if (d.lectern === 'hello') { sent = ''; tell(); return; }
  if (d.lectern === 'state') {
    sent = d.n + '.' + d.step;
    remote = true;
    try {
      document.dispatchEvent(new CustomEvent('lectern:go', { detail: { n: d.n, step: d.step } }));
    } finally {
      remote = false;
    }
  }
});

document.addEventListener('slidechange', (e) => {
  if (at.n === e.detail.current && view) return;  // steps already reported this slide
  at = { n: e.detail.current, step: 0, steps: Number(slides[e.detail.current - 1].dataset.steps) || 0 };
  render();
});
document.addEventListener('lectern:stepchange', (e) => {
  at = { n: e.detail.current, step: e.detail.step, steps: e.detail.steps };
  render();
  tell();
});
document.addEventListener('slidechange', () => setTimeout(tell, 0));

function openSpeaker() {
  if (peer && !peer.closed) { peer.focus(); return; }
  const url = location.href.split('#')[0] + '#/' + at.n;
  peer = window.open(url, NAME, 'popup,width=1280,height=800');
  sent = '';
  if (!peer) {
    document.dispatchEvent(new CustomEvent('lectern:notice', { detail: { text: word('popup_blocked', 'The browser blocked the speaker window: allow pop-ups for this file.') } }));
  }
}

document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if ((e.key === 's' || e.key === 'S') && !isSpeaker) { openSpeaker(); e.preventDefault(); }
});

// ---- the speaker window itself ----
let view = null;
const started = Date.now();
let offset = 0;
const minutes = Number(deck.dataset.duration) || 0;

// A slide in miniature with `shown` steps in place, the rest faint if `dimPending`, from
// miniature.js (its links stay tabbable, as the speaker view's always were).
function miniature(slide, shown, dimPending) {
  const ask = { slide, shown, dim: dimPending, tabbable: true };
  document.dispatchEvent(new CustomEvent('lectern:miniature', { detail: ask }));
  return ask.box;
}

function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x) => String(x).padStart(2, '0');
  return (h ? h + ':' + pad(m) : pad(m)) + ':' + pad(s % 60);
}

function build() {
  document.documentElement.classList.add('speaker-mode');
  document.title = word('speaker_view', 'Speaker view') + ' · ' + document.title;
  view = document.createElement('div');
  view.className = 'speaker';
  view.setAttribute('role', 'region');
  view.setAttribute('aria-label', word('speaker_view', 'Speaker view'));
  const esc = (t) => String(t).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  view.innerHTML =
    '<section class="speaker-current"><p class="speaker-label">' + esc(word('now', 'Now')) + ' <span class="position"></span></p><div class="speaker-frame"></div></section>' +
    '<section class="speaker-next"><p class="speaker-label">' + esc(word('next_slide', 'Next slide')) + '</p><div class="speaker-frame"></div></section>' +
    '<section class="speaker-notes" aria-label="' + esc(word('notes', 'Notes')) + '" aria-live="polite"></section>' +
    '<div class="speaker-bar"><span><span class="speaker-elapsed">00:00</span>' +
    (minutes ? ' <span class="position">' + esc(word('of', 'of')) + ' ' + clock(minutes * 60000) + '</span>' : '') + '</span>' +
    '<div class="speaker-pace" role="progressbar" aria-label="' + esc(word('time_used', 'Time used')) + '"><span></span></div>' +
    '<span class="speaker-clock"></span><button type="button" class="speaker-reset">' + esc(word('restart', 'Restart timer')) + '</button></div>';
  document.body.appendChild(view);
  view.querySelector('.speaker-reset').addEventListener('click', () => { offset = Date.now() - started; tick(); });
  window.addEventListener('resize', render);
  tick();
  setInterval(tick, 1000);
  if (window.opener) post({ lectern: 'hello' });
}

function tick() {
  if (!view) return;
  const ms = Date.now() - started - offset;
  const el = view.querySelector('.speaker-elapsed');
  el.textContent = clock(ms);
  const pace = view.querySelector('.speaker-pace');
  if (minutes) {
    const ratio = ms / (minutes * 60000);
    pace.firstChild.style.width = Math.min(100, ratio * 100) + '%';
    pace.setAttribute('aria-valuenow', String(Math.round(ratio * 100)));
    el.classList.toggle('over', ratio > 1);
    pace.classList.toggle('over', ratio > 1);
  } else {
    pace.hidden = true;
  }
  view.querySelector('.speaker-clock').textContent =
    new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function fill(frame, slide, shown, dim) {
  frame.textContent = '';
  if (!slide) {
    const end = document.createElement('div');
    end.className = 'speaker-end';
    end.textContent = word('end', 'End of the deck');
    frame.appendChild(end);
    return;
  }
  const box = miniature(slide, shown, dim);
  box.style.setProperty('--mini-scale', String(frame.clientWidth / 1280));
  frame.appendChild(box);
}

function render() {
  if (!view) return;
  const slide = slides[at.n - 1];
  if (!slide) return;
  const [now, next] = view.querySelectorAll('.speaker-frame');
  fill(now, slide, at.step, true);
  if (at.step < at.steps) fill(next, slide, at.step + 1, false);
  else if (slides[at.n] && Number(slides[at.n].dataset.steps)) fill(next, slides[at.n], 1, true);  // a build slide: its first step, the rest faint
  else fill(next, slides[at.n], 0, false);
  view.querySelector('.speaker-next .speaker-label').textContent = at.step < at.steps ? word('next_step', 'Next step') : word('next_slide', 'Next slide');
  view.querySelector('.speaker-current .position').textContent =
    '· ' + at.n + ' / ' + slides.length + (at.steps ? ' · ' + word('step', 'step') + ' ' + at.step + ' ' + word('of', 'of') + ' ' + at.steps : '');
  const notes = view.querySelector('.speaker-notes');
  notes.textContent = '';
  const src = slide.querySelector('.notes');
  if (src) {
    for (const child of src.childNodes) notes.appendChild(child.cloneNode(true));
  } else {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = word('no_notes', 'No notes for this slide.');
    notes.appendChild(p);
  }
}

if (isSpeaker) build();
