// Phone menu: the menu button (shown on narrow screens by site.css) opens
// and closes the list. Nothing changes when the page loads, so nothing
// moves; without scripts nojs.css shows the list and hides the button.
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) {
    return;
  }

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      nav.setAttribute("data-open", "");
    } else {
      nav.removeAttribute("data-open");
    }
  }

  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      if (toggle.offsetParent !== null) {
        toggle.focus();
      }
    }
  });
})();

// Copy buttons (the feeds page): a feed's address to the clipboard, said
// in the page's status line for screen readers. A <button>, so it works
// with the keyboard as with the mouse.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button || !navigator.clipboard) {
      return;
    }
    var address = button.getAttribute("data-copy");
    navigator.clipboard.writeText(address).then(function () {
      if (status) {
        status.textContent = button.getAttribute("data-copied").replace("{address}", address);
      }
    });
  });
})();

// "On this page" (longer pages): the link of the section being read is
// marked (aria-current="location"): the last section whose heading is in
// the upper third of the window or above it. Only colours change: nothing
// moves.
(function () {
  "use strict";
  var links = [];
  document.querySelectorAll(".page-contents a[href^='#']").forEach(function (link) {
    var heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (heading) {
      links.push({link: link, heading: heading});
    }
  });
  if (!links.length) {
    return;
  }
  var pending = false;

  function update() {
    pending = false;
    var current = null;
    links.forEach(function (entry) {
      if (entry.heading.getBoundingClientRect().top < window.innerHeight / 3) {
        current = entry;
      }
    });
    links.forEach(function (entry) {
      if (entry === current) {
        entry.link.setAttribute("aria-current", "location");
      } else {
        entry.link.removeAttribute("aria-current");
      }
    });
  }

  window.addEventListener("scroll", function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(update);
    }
  }, {passive: true});
  update();
})();
