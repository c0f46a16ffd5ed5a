/* The server sends each page with a static first screen (dashboard/first_screen.py) above Dash's
   root, which stays invisible meanwhile. Once the browser has painted the static copy at least
   once and Dash has drawn the page's own content, the copy goes: in one frame, so nothing moves
   and nothing is shown twice. (A tab that is not yet visible paints nothing; the copy then waits
   for its first frame, so what a visitor sees first is never a half-drawn page.) */
(function () {
  var painted = false;
  function drawn() {
    var content = document.getElementById('_pages_content');
    return content && content.children.length > 0;
  }
  function swap() {
    if (!painted || !drawn()) { return; }
    var frame = document.querySelector('.mi-first-screen');
    if (frame) { frame.remove(); }
    observer.disconnect();
  }
  var observer = new MutationObserver(swap);
  observer.observe(document.body, { childList: true, subtree: true });
  requestAnimationFrame(function () {
    setTimeout(function () { painted = true; swap(); }, 0);
  });
})();
