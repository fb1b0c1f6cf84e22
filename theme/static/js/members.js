// Member directory filters. Without this script the directory is a plain
// list of every member (nojs.css leaves the form out). With it, the form,
// shown from the first paint, is enabled once the index is here and filters
// the cards at once; its state lives in the address (?sectors=games&q=vr), so a
// filtered view can be shared and reloads as it was.
//
// The data it filters on is the filter index written by plugins/members: a
// script (allowed by our Content-Security-Policy, which allows no fetch)
// that hands over one row per card, in the cards' order:
// [slug, searched text, values of each filter...].
(function () {
  "use strict";
  var form = document.getElementById("member-filters");
  var list = document.querySelector(".member-cards");
  if (!form || !list || !window.URLSearchParams || !history.replaceState) {
    return;
  }
  var cards = list.children;
  var status = document.querySelector(".directory__status");
  var none = document.querySelector(".directory__none");
  var search = form.elements.q;
  var boxes = form.querySelectorAll("input[type=checkbox]");
  var rows = null;
  var facets = [];

  // As the index folds its text: lower case, accents dropped (é -> e).
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function formState() {
    var params = new URLSearchParams();
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) {
        params.append(boxes[i].name, boxes[i].value);
      }
    }
    if (search.value.trim()) {
      params.set("q", search.value.trim());
    }
    return params;
  }

  function showState(params) {
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = params.getAll(boxes[i].name).indexOf(boxes[i].value) >= 0;
    }
    search.value = params.get("q") || "";
  }

  function matches(row, words, wanted) {
    for (var w = 0; w < words.length; w++) {
      if (row[1].indexOf(words[w]) < 0) {
        return false;
      }
    }
    for (var f = 0; f < wanted.length; f++) {
      var values = wanted[f];
      if (!values.length) {
        continue;
      }
      var found = false;
      for (var v = 0; v < values.length && !found; v++) {
        found = row[f + 2].indexOf(values[v]) >= 0;
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  function apply(announce) {
    if (!rows) {
      return;
    }
    var params = formState();
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
    var words = fold(params.get("q") || "").split(/\s+/).filter(Boolean);
    var wanted = facets.map(function (name) {
      return params.getAll(name);
    });
    if (announce || query) {
      // From the first filter on, cards out of view skip layout (site.css).
      list.classList.add("member-cards--filtered");
    }
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var match = matches(rows[i], words, wanted);
      if (cards[i].hidden === match) {
        cards[i].hidden = !match;
      }
      shown += match ? 1 : 0;
    }
    none.hidden = shown > 0;
    if (announce || query) {
      status.textContent = status.dataset.template
        .replace("{shown}", shown)
        .replace("{total}", rows.length);
    }
  }

  function start(event) {
    var index = event.detail;
    if (index.members.length !== cards.length) {
      return; // not this page's index: leave every card listed
    }
    for (var i = 0; i < cards.length; i++) {
      var link = cards[i].querySelector("a");
      if (!link || link.getAttribute("href").indexOf(index.members[i][0] + "/") < 0) {
        return;
      }
    }
    rows = index.members;
    facets = index.facets;
    showState(new URLSearchParams(location.search));
    form.querySelector(".member-filters__fields").disabled = false;
    apply(false);
  }

  document.addEventListener("members:index", start);
  form.addEventListener("input", function () {
    apply(true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // Enter in the search box: the list is up to date
  });
  // Phones: the filters open and close under their button (site.css hides
  // them from the first paint; wider screens never show the button).
  var toggle = form.querySelector(".member-filters__toggle");
  var groups = form.querySelector(".member-filters__groups");
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      groups.setAttribute("data-open", "");
    } else {
      groups.removeAttribute("data-open");
    }
  }
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  form.querySelector(".member-filters__clear").addEventListener("click", function () {
    form.reset();
    apply(true);
    search.focus();
  });
  var script = document.createElement("script");
  script.src = form.dataset.index;
  document.head.appendChild(script);
})();
