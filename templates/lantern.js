// Lantern's pages work without this script; with it, results follow the query as it is typed,
// the arrow keys move through the hits, "/" goes to the search box, and the document page's
// match links follow the match in view. No framework, nothing from elsewhere: the server renders every result (escaped), and
// this script only swaps in the part of the page that changed.
"use strict";

(function () {
  var DEBOUNCE_MS = 150;

  function searchPage() {
    var form = document.querySelector("form.search");
    var query = document.getElementById("q");
    var pathFilter = document.getElementById("path");
    var results = document.getElementById("results");
    if (!form || !query || !results) return;
    // The type, date, size and sort controls (serve/narrow.html).
    var narrowing = ["type", "modified", "size", "sort"]
      .map(function (id) { return document.getElementById(id); })
      .filter(function (control) { return control !== null; });

    var timer = null;
    var latest = 0; // sequence number of the newest request sent
    var inFlight = null; // its AbortController
    var selected = -1;

    function searchUrl() {
      var params = new URLSearchParams();
      params.set("q", query.value);
      if (pathFilter && pathFilter.value !== "") params.set("path", pathFilter.value);
      narrowing.forEach(function (control) {
        if (control.value !== "" && control.value !== "relevance") params.set(control.name, control.value);
      });
      return "/search?" + params.toString();
    }

    function update() {
      var url = searchUrl();
      var sequence = ++latest;
      if (inFlight) inFlight.abort();
      inFlight = new AbortController();
      // While typing, the last word counts as a prefix; the address keeps the query as typed,
      // which, submitted or reloaded, means exactly what it says.
      fetch(url + "&typing=1", { signal: inFlight.signal, headers: { Accept: "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          // An older response never replaces a newer one.
          if (sequence !== latest) return;
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById("results");
          if (!fresh) return;
          results.replaceWith(document.adoptNode(fresh));
          results = fresh;
          selected = -1;
          document.title = page.title;
          history.replaceState(null, "", url);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") console.warn("lantern: search failed", error);
        });
    }

    function schedule() {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(function () { timer = null; update(); }, DEBOUNCE_MS);
    }

    query.addEventListener("input", schedule);
    if (pathFilter) pathFilter.addEventListener("input", schedule);
    narrowing.forEach(function (control) {
      control.addEventListener(control.tagName === "SELECT" ? "change" : "input", schedule);
    });

    function hits() { return results.querySelectorAll("li.hit"); }

    function select(index) {
      var all = hits();
      if (all.length === 0) return;
      index = Math.max(0, Math.min(all.length - 1, index));
      if (selected >= 0 && selected < all.length) all[selected].classList.remove("selected");
      selected = index;
      all[selected].classList.add("selected");
      all[selected].scrollIntoView({ block: "nearest" });
    }

    document.addEventListener("keydown", function (event) {
      var typing = event.target && (event.target.tagName === "INPUT" || event.target.tagName === "TEXTAREA");
      if (event.key === "/" && !typing) {
        // As on GitHub and in less: "/" starts a search.
        event.preventDefault();
        query.focus();
        query.select();
      } else if (event.key === "ArrowDown") {
        select(selected + 1);
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        select(selected - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && selected >= 0) {
        var link = hits()[selected] && hits()[selected].querySelector("a.open");
        if (link) {
          event.preventDefault();
          window.location.href = link.href;
        }
      }
    });
  }

  function documentPage() {
    var nav = document.getElementById("match-nav");
    var previous = document.getElementById("previous-match");
    var next = document.getElementById("next-match");
    if (!nav || !previous || !next) return;
    // A long document is shown in parts: this page holds the matches first to last (none
    // when last is 0); data-previous and data-next lead to the matches around them, on other
    // parts.
    var first = parseInt(nav.getAttribute("data-first"), 10) || 0;
    var last = parseInt(nav.getAttribute("data-last"), 10) || 0;
    var before = nav.getAttribute("data-previous");
    var after = nav.getAttribute("data-next");

    function current() {
      var found = /^#m(\d+)$/.exec(window.location.hash);
      var at = found ? parseInt(found[1], 10) : 0;
      return at >= first && at <= last ? at : 0;
    }

    // The links point at the matches around the one in the address: without this script they
    // lead to the part's last and first match.
    function follow() {
      var at = current();
      var here = last > 0;
      var back = at > first ? "#m" + (at - 1) : before || (here ? "#m" + last : after);
      var on = at === 0 && here ? "#m" + first : at > 0 && at < last ? "#m" + (at + 1) : after || (here ? "#m" + last : before);
      if (back) previous.setAttribute("href", back);
      if (on) next.setAttribute("href", on);
    }

    window.addEventListener("hashchange", follow);
    follow();
    document.addEventListener("keydown", function (event) {
      if (event.target && event.target.tagName === "INPUT") return;
      if (event.key === "n") next.click();
      else if (event.key === "p" || event.key === "N") previous.click();
    });
  }

  searchPage();
  documentPage();
})();
