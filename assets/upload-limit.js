/* Refuse an oversized file in the browser, before it is read and sent (dcc.Upload would silently
   drop it with max_size). The wrapper of each upload names the limit and where to say so:
   data-max-bytes and data-message-id. The server checks the size again. */
(function () {
  function tooLarge(files, limit) {
    return Array.from(files || []).find(function (file) { return file.size > limit; });
  }
  function check(event, files) {
    var wrapper = event.target.closest && event.target.closest('[data-max-bytes]');
    if (!wrapper) { return; }
    var limit = Number(wrapper.getAttribute('data-max-bytes'));
    var file = tooLarge(files, limit);
    if (!file) { return; }
    event.preventDefault();
    event.stopPropagation();
    if (event.target.value !== undefined && event.type === 'change') { event.target.value = ''; }
    var mb = function (n) { return (n / 1048576).toFixed(1) + ' MB'; };
    var message = file.name + ' is ' + mb(file.size) + ', over the ' + mb(limit) +
      ' limit of this server: it was not uploaded. Your earlier data are unchanged.';
    var target = wrapper.getAttribute('data-message-id');
    if (window.dash_clientside && window.dash_clientside.set_props && target) {
      window.dash_clientside.set_props(target, {children: {
        type: 'Alert', namespace: 'dash_bootstrap_components',
        props: {children: message, color: 'danger', dismissable: true}}});
    }
  }
  document.addEventListener('drop', function (event) {
    check(event, event.dataTransfer && event.dataTransfer.files);
  }, true);
  document.addEventListener('change', function (event) {
    check(event, event.target && event.target.files);
  }, true);
})();
