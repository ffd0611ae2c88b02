// Touch: a swipe left goes forward, a swipe right goes back (a step first, like the keys).
// Listens to: touchstart, touchend. Dispatches: lectern:next, lectern:prev.
let start = null;
const MIN = 40;

document.addEventListener('touchstart', (e) => {
  const t = e.changedTouches[0];
  const inOverlay = e.target.closest && e.target.closest('.overview, .help, .speaker');
  start = e.touches.length === 1 && !inOverlay ? { x: t.clientX, y: t.clientY } : null;
}, { passive: true });

document.addEventListener('touchend', (e) => {
  if (!start) return;
  const t = e.changedTouches[0];
  const dx = t.clientX - start.x;
  const dy = t.clientY - start.y;
  start = null;
  if (Math.abs(dx) < MIN || Math.abs(dx) < 1.5 * Math.abs(dy)) return;
  document.dispatchEvent(new CustomEvent(dx < 0 ? 'lectern:next' : 'lectern:prev'));
});
