// appwatch console: the few lines of script of its own. Pages work
// without it; with it, times are shown in the viewer's time zone (the
// UTC time stays in the title, shown on hover) and the language menu
// applies its choice at once.
(function () {
  "use strict";
  function localTimes(root) {
    var lang = document.documentElement.lang || undefined;
    var fmt;
    try {
      fmt = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" });
    } catch (e) {
      return;
    }
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      if (el.dataset.local) return;
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d.getTime())) return;
      el.title = el.textContent;
      el.textContent = fmt.format(d);
      el.dataset.local = "1";
    });
  }
  function autosubmit(root) {
    root.querySelectorAll("select.autosubmit").forEach(function (el) {
      el.addEventListener("change", function () { el.form.requestSubmit(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    autosubmit(document);
    document.body.addEventListener("htmx:afterSettle", function (ev) { localTimes(ev.target); });
  });
})();
