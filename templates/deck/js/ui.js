// Around the canvas: progress bar, the spoken announcement of each slide (aria-live), black
// screen (b or .), full screen (f), the typed slide number, and showing the help button
// while the pointer moves. Listens to: slidechange, lectern:typing, keydown.
const deck = document.getElementById('deck');
const slides = Array.from(deck.querySelectorAll(':scope > .slide'));
const bar = document.querySelector('.progress-bar');
const announcer = document.querySelector('.announcer');
const blackout = document.querySelector('.blackout');
let typed = null;
const L = (() => {
  try { return JSON.parse(document.getElementById('lectern-labels').textContent); } catch (e) { return {}; }
})();

function titleOf(slide) {
  const h = slide.querySelector('h1, h2');
  return h ? h.textContent.replace(/\s+/g, ' ').trim() : '';
}

document.addEventListener('slidechange', (e) => {
  const n = e.detail.current;
  const count = slides.length;
  if (bar) bar.style.width = (count > 1 ? ((n - 1) / (count - 1)) * 100 : 100) + '%';
  if (announcer) {
    const t = titleOf(slides[n - 1]);
    announcer.textContent = (L.slide || 'Slide') + ' ' + n + ' ' + (L.of || 'of') + ' ' + count + (t ? ': ' + t : '');
  }
});

document.addEventListener('lectern:typing', (e) => {
  if (!typed) {
    typed = document.createElement('div');
    typed.className = 'typed-number';
    typed.setAttribute('aria-hidden', 'true');
    typed.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:70;padding:6px 14px;border-radius:6px;' +
      'background:rgba(12,15,20,.8);color:#fff;font:700 28px var(--font-sans)';
    document.body.appendChild(typed);
  }
  typed.textContent = e.detail.digits;
  typed.hidden = !e.detail.digits;
});

function black(on) {
  if (!blackout) return;
  blackout.hidden = on === undefined ? !blackout.hidden : !on;
  document.documentElement.classList.toggle('is-black', !blackout.hidden);
}

function fullscreen() {
  const el = document.documentElement;
  try {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else if (el.requestFullscreen) el.requestFullscreen().catch(() => {});
  } catch (err) { /* not allowed here: nothing to do */ }
}

document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  if (e.key === 'b' || e.key === 'B' || e.key === '.') { black(); e.preventDefault(); }
  else if (e.key === 'Escape' && blackout && !blackout.hidden) { black(false); e.preventDefault(); }
  else if (e.key === 'f' || e.key === 'F') { fullscreen(); e.preventDefault(); }
});
if (blackout) blackout.addEventListener('click', () => black(false));

// lectern:notice {text}: a short message at the foot of the window (e.g. a blocked pop-up).
let notice = null;
let noticeTimer = 0;
document.addEventListener('lectern:notice', (e) => {
  if (!notice) {
    notice = document.createElement('div');
    notice.className = 'notice';
    notice.setAttribute('role', 'status');
    document.body.appendChild(notice);
  }
  notice.textContent = e.detail.text;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { notice.hidden = true; }, 5000);
});

let idle = 0;
document.addEventListener('mousemove', () => {
  document.body.classList.add('pointer-active');
  clearTimeout(idle);
  idle = setTimeout(() => document.body.classList.remove('pointer-active'), 2500);
});
