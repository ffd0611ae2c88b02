// Media: a slide's video and live page (`embed`). A video pauses when its slide is left. A live
// page is framed only once its slide is shown and its origin answers (a no-cors request, which
// the deck's content policy allows to the course's embed_origins alone); until then, offline,
// or when it does not answer, the slide shows the page's title and address, with a note once
// the origin has failed to answer. Listens to: slidechange, the window's online event.
// Dispatches: nothing.
const deck = document.getElementById('deck');
const slides = Array.from(deck.querySelectorAll(':scope > .slide'));
const answered = new Set();  // origins that answered once: framed again without asking
let current = deck.querySelector(':scope > .slide.current');

function answers(url) {
  const origin = new URL(url, document.baseURI).origin;
  if (answered.has(origin)) return Promise.resolve(true);
  if (navigator.onLine === false) return Promise.resolve(false);
  return fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' })
    .then(() => { answered.add(origin); return true; }, () => false);
}

function wake(slide) {
  for (const frame of slide.querySelectorAll('.embed iframe[data-src]')) {
    const box = frame.closest('.embed');
    if (box.classList.contains('live')) continue;
    answers(frame.dataset.src).then((ok) => {
      box.classList.toggle('unreachable', !ok);
      if (ok && !box.classList.contains('live')) {
        frame.src = frame.dataset.src;
        box.classList.add('live');
      }
    });
  }
}

document.addEventListener('slidechange', (e) => {
  current = slides[e.detail.current - 1] || null;
  for (const video of deck.querySelectorAll('video')) {
    if (!current || !current.contains(video)) video.pause();
  }
  if (current) wake(current);
});
window.addEventListener('online', () => { if (current) wake(current); });
if (current) wake(current);
