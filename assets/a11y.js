/* Names and tab order that Dash 4's own components leave out (axe-core: "label",
   "aria-hidden-focus", "aria-valid-attr-value"). Re-applied whenever React adds elements.
   - dcc.Dropdown: its keyboard entry is a hidden input that forwards focus to the visible button;
     the button takes the Tab stop itself and is named by its field's label and its value.
   - dcc.Slider: the handle and the value box are named by the field's label, or by the nearest
     data-label attribute.
   - dcc.Upload: the file input is named by the upload's visible text.
   - dbc.Progress: the bar is named by the nearest data-label (a job's block says what it does).
   - dbc.Tabs used as plain navigation point aria-controls at panes that do not exist. */
(function () {
  function fieldLabel(element) {
    var field = element.closest('.mi-field');
    var label = field && field.querySelector(':scope > label[id]');
    return label ? label.id : null;
  }
  function nameFrom(element, fallback) {
    var holder = element.closest('[data-label]');
    return holder ? holder.getAttribute('data-label') : fallback;
  }
  function name(element, fallback) {
    if (element.hasAttribute('aria-label') || element.getAttribute('data-mi-named')) { return; }
    var labelId = fieldLabel(element);
    if (labelId) {
      var own = element.getAttribute('aria-labelledby');
      element.setAttribute('aria-labelledby', own ? labelId + ' ' + own : labelId);
    } else {
      element.setAttribute('aria-label', nameFrom(element, fallback));
    }
    element.setAttribute('data-mi-named', '1');
  }
  function fix(root) {
    root.querySelectorAll('.dash-dropdown-focus-target').forEach(function (target) {
      if (target.tabIndex !== -1) { target.tabIndex = -1; }
    });
    root.querySelectorAll('button.dash-dropdown').forEach(function (button) {
      if (button.tabIndex !== 0 && !button.disabled) { button.tabIndex = 0; }
      name(button, 'choose an option');
    });
    root.querySelectorAll('[role="slider"], input.dash-range-slider-input').forEach(function (el) {
      name(el, 'value');
    });
    root.querySelectorAll('[role="progressbar"]').forEach(function (bar) {
      name(bar, 'progress');
    });
    root.querySelectorAll('input[type="file"]:not([aria-label])').forEach(function (input) {
      var text = (input.parentElement && input.parentElement.textContent || '').trim();
      input.setAttribute('aria-label', text || 'choose a file');
    });
    root.querySelectorAll('[role="tab"][aria-controls]').forEach(function (tab) {
      if (!document.getElementById(tab.getAttribute('aria-controls'))) {
        tab.removeAttribute('aria-controls');
      }
    });
  }
  var queued = false;
  function schedule() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () { queued = false; fix(document); });
  }
  function start() {
    fix(document);
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ['tabindex']
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
