// make serve only (BUILD_PROBLEMS_PANEL): when the last save could not be
// built, the page (the last good build) lists its problems at the top, each
// with its file, line and what to do. It goes away once a save builds. The
// texts come from the script's data attributes (theme/strings.yaml); no
// inline script or style, so it works under the site's Content-Security-Policy.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!window.fetch || !script) return;
  var heading = script.getAttribute("data-heading");
  var fixLabel = script.getAttribute("data-fix");

  function show(problems) {
    if (!Array.isArray(problems) || problems.length === 0) return;
    var panel = document.createElement("section");
    panel.className = "build-problems";
    panel.setAttribute("role", "alert");
    var title = document.createElement("h2");
    title.textContent = heading;
    panel.appendChild(title);
    var list = document.createElement("ol");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = p.path + (p.line ? ":" + p.line : "");
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + p.field + ": " + p.message));
      if (p.allowed) {
        var fix = document.createElement("p");
        fix.textContent = fixLabel + " " + p.allowed;
        item.appendChild(fix);
      }
      list.appendChild(item);
    });
    panel.appendChild(list);
    document.body.insertBefore(panel, document.body.firstChild);
  }

  fetch("/_build/problems.json", { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(show)
    .catch(function () {});
})();
