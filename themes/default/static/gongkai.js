/* gongkai default theme: optional enhancement only.
   Font size (小/中/大) and high contrast already work without this script:
   they are plain radio/checkbox inputs styled by CSS. This script only
   remembers the reader's choice in localStorage and restores it on the next
   page. Nothing else depends on it. */
(function () {
  "use strict";
  var KEY = "gongkai-display";
  var SIZES = ["fs-s", "fs-m", "fs-l"];
  var store;
  try {
    store = window.localStorage;
    if (!store) { return; }
  } catch (e) {
    return; // storage disabled (private mode, strict settings): do nothing
  }

  function byId(id) { return document.getElementById(id); }

  function restore() {
    var saved;
    try { saved = JSON.parse(store.getItem(KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved !== "object") { return; }
    if (SIZES.indexOf(saved.fs) !== -1 && byId(saved.fs)) { byId(saved.fs).checked = true; }
    if (byId("hc")) { byId("hc").checked = saved.hc === true; }
  }

  function save() {
    var fs = "fs-m";
    for (var i = 0; i < SIZES.length; i++) {
      var el = byId(SIZES[i]);
      if (el && el.checked) { fs = SIZES[i]; }
    }
    var hc = byId("hc");
    try {
      store.setItem(KEY, JSON.stringify({ fs: fs, hc: !!(hc && hc.checked) }));
    } catch (e) { /* quota or disabled: the choice just is not remembered */ }
  }

  restore();
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t && (t.name === "fs" || t.id === "hc")) { save(); }
  });
})();
