// Lantern's pages work without this script; with it, results follow the query as it is typed,
// the arrow keys move through the hits, a wide screen previews the selected hit beside the list,
// "/" goes to the search box, and the match links follow the match in view. No framework,
// nothing from elsewhere: the server renders every result and document (escaped), and this
// script only moves the parts of its pages around; text it writes itself goes in as text.
"use strict";

(function () {
  var DEBOUNCE_MS = 150;
  // Wide enough for the list and a preview beside it (serve.css lays them out from there).
  var PREVIEW_MEDIA = "(min-width: 1100px)";
  // Narrow enough that the facets stand above the hits, folded (serve.css: 44rem).
  var PHONE_MEDIA = "(max-width: 44rem)";
  // A held arrow key runs through hits faster than their documents could be made: the pane
  // asks for the one the keys stop at.
  var PREVIEW_DEBOUNCE_MS = 80;

  // The links to the matches around match `at` (0: none in view) of a document page's match bar
  // `nav`: the bar's data says which matches this part holds (first to last; none when last is
  // 0) and where the matches before and after them are, on other parts.
  function matchNeighbours(nav, at) {
    var first = parseInt(nav.getAttribute("data-first"), 10) || 0;
    var last = parseInt(nav.getAttribute("data-last"), 10) || 0;
    var before = nav.getAttribute("data-previous");
    var after = nav.getAttribute("data-next");
    if (at < first || at > last) at = 0;
    var here = last > 0;
    return {
      previous: at > first ? "#m" + (at - 1) : before || (here ? "#m" + last : after),
      next: at === 0 && here ? "#m" + first : at > 0 && at < last ? "#m" + (at + 1) : after || (here ? "#m" + last : before),
    };
  }

  // Points the bar's previous and next links around match `at`, and says its page, if any.
  function showMatch(root, at) {
    var nav = root.querySelector("#match-nav");
    var previous = root.querySelector("#previous-match");
    var next = root.querySelector("#next-match");
    if (!nav || !previous || !next) return;
    var links = matchNeighbours(nav, at);
    if (links.previous) previous.setAttribute("href", links.previous);
    if (links.next) next.setAttribute("href", links.next);
    var mark = at > 0 ? root.querySelector("#m" + at) : null;
    var page = root.querySelector("#match-page");
    if (page && mark && mark.hasAttribute("data-page")) page.textContent = "p. " + mark.getAttribute("data-page");
  }

  // The preview pane of the search page: the selected hit's document page (its match bar and
  // marked lines) fetched and shown beside the list; its links move within the pane.
  function previewPane(pane) {
    var hint = pane.firstElementChild ? pane.firstElementChild.cloneNode(true) : null;
    var sequence = 0;
    var current = 0; // the match in view
    var shown = null; // the document page shown: its URL without the fragment
    var pending = null; // the timer of the next document to show

    function clear() {
      if (pending !== null) clearTimeout(pending);
      pending = null;
      sequence++;
      current = 0;
      shown = null;
      pane.replaceChildren();
      if (hint) pane.appendChild(hint.cloneNode(true));
    }

    // Scrolls the pane (only the pane) to match `at` and marks it as the current one.
    function goTo(at) {
      var mark = pane.querySelector("#m" + at);
      if (!mark) return;
      var old = pane.querySelector("mark.current");
      if (old) old.classList.remove("current");
      mark.classList.add("current");
      current = at;
      // Below the document's header, which stays at the top of the pane.
      var header = pane.querySelector("header.document");
      var covered = header ? header.getBoundingClientRect().height : 0;
      pane.scrollTop += mark.getBoundingClientRect().top - pane.getBoundingClientRect().top - covered - pane.clientHeight / 4;
      showMatch(pane, at);
    }

    function scrollToLine(id) {
      var line = pane.querySelector("#" + CSS.escape(id));
      var header = pane.querySelector("header.document");
      var covered = header ? header.getBoundingClientRect().height : 0;
      if (line) pane.scrollTop += line.getBoundingClientRect().top - pane.getBoundingClientRect().top - covered - pane.clientHeight / 4;
    }

    // Shows the document page at `href` (a `/doc` link, perhaps with `#mN`).
    function load(href) {
      var url = new URL(href, location.href);
      var wanted = /^#m(\d+)$/.exec(url.hash);
      url.hash = "";
      var mine = ++sequence;
      fetch(url.toString(), { headers: { Accept: "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          if (mine !== sequence) return;
          var page = new DOMParser().parseFromString(html, "text/html");
          var header = page.querySelector("header.document");
          var lines = page.querySelector("table.lines");
          pane.replaceChildren();
          pane.scrollTop = 0;
          current = 0;
          if (!header || !lines) {
            // An error page (the document left the index, the server is busy): its message.
            var problem = document.createElement("p");
            problem.className = "error";
            var message = page.querySelector(".error p");
            problem.textContent = message ? message.textContent : "This document cannot be shown.";
            pane.appendChild(problem);
            shown = null;
            return;
          }
          shown = url.toString();
          pane.appendChild(document.adoptNode(header));
          pane.appendChild(document.adoptNode(lines));
          var bar = pane.querySelector("#match-nav");
          if (bar) {
            var full = document.createElement("a");
            full.className = "full-page";
            full.href = shown;
            full.textContent = "full page";
            bar.appendChild(full);
          }
          var first = bar ? parseInt(bar.getAttribute("data-first"), 10) || 0 : 0;
          var at = wanted ? parseInt(wanted[1], 10) : first;
          if (at > 0) goTo(at);
          else showMatch(pane, 0);
        })
        .catch(function (error) { console.warn("lantern: preview failed", error); });
    }

    // Links inside the pane: a match or a line of this part moves the pane; a match on
    // another part loads that part; the full page, the original and the editor open as usual.
    pane.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      if (link.classList.contains("full-page")) return;
      var href = link.getAttribute("href");
      var match = /^#m(\d+)$/.exec(href);
      if (match) {
        event.preventDefault();
        goTo(parseInt(match[1], 10));
      } else if (/^#L\d+$/.test(href)) {
        event.preventDefault();
        scrollToLine(href.slice(1));
      } else if (href.indexOf("/doc?") === 0) {
        event.preventDefault();
        load(href);
      }
    });

    return {
      show: function (href) {
        if (pending !== null) clearTimeout(pending);
        pending = setTimeout(function () {
          pending = null;
          if (new URL(href, location.href).toString() !== shown) load(href);
        }, PREVIEW_DEBOUNCE_MS);
      },
      clear: clear,
      next: function () { var link = pane.querySelector("#next-match"); if (link) link.click(); },
      previous: function () { var link = pane.querySelector("#previous-match"); if (link) link.click(); },
      // The page of the match in view, when the pane shows the document page `href` and that
      // document has pages.
      page: function (href) {
        if (new URL(href, location.href).toString() !== shown) return null;
        var mark = current > 0 ? pane.querySelector("#m" + current) : null;
        return mark ? mark.getAttribute("data-page") : null;
      },
    };
  }

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
    var workspace = document.querySelector(".workspace");
    var paneElement = document.getElementById("preview");
    var pane = paneElement ? previewPane(paneElement) : null;
    var wide = window.matchMedia(PREVIEW_MEDIA);
    var phone = window.matchMedia(PHONE_MEDIA);

    var timer = null;
    var latest = 0; // sequence number of the newest request sent
    var inFlight = null; // its AbortController
    var selected = -1;

    function hits() { return results.querySelectorAll("li.hit"); }

    function previewing() { return pane !== null && wide.matches && hits().length > 0; }

    // The pane shows beside the list when the screen is wide and there are hits.
    function layOut() {
      if (!paneElement || !workspace) return;
      var on = previewing();
      paneElement.hidden = !on;
      workspace.classList.toggle("previewing", on);
    }

    // On a phone the facets stand above the hits, folded; a fresh list keeps the panel as the
    // reader left it.
    function foldFacets(before) {
      var facets = results.querySelector("details.facets");
      if (!facets) return;
      facets.open = before ? before.open : !phone.matches;
    }

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
          var facets = results.querySelector("details.facets");
          results.replaceWith(document.adoptNode(fresh));
          results = fresh;
          foldFacets(facets);
          selected = -1;
          if (pane) pane.clear();
          layOut();
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

    function select(index) {
      var all = hits();
      if (all.length === 0) return;
      index = Math.max(0, Math.min(all.length - 1, index));
      if (selected >= 0 && selected < all.length) all[selected].classList.remove("selected");
      selected = index;
      all[selected].classList.add("selected");
      all[selected].scrollIntoView({ block: "nearest" });
      var link = all[selected].querySelector("a.open");
      if (link && previewing()) pane.show(link.getAttribute("href"));
    }

    // Enter: with the preview, the original file (at the page of the match in view); without
    // it, the document page.
    function open() {
      var hit = hits()[selected];
      if (!hit) return false;
      var original = hit.querySelector("a.original");
      var link = hit.querySelector("a.open");
      if (previewing() && original) {
        var href = original.getAttribute("href");
        var page = link ? pane.page(link.getAttribute("href")) : null;
        if (page && href.indexOf("#page=") >= 0) href = href.replace(/#page=\d+$/, "#page=" + page);
        window.location.href = href;
        return true;
      }
      if (!link) return false;
      window.location.href = link.href;
      return true;
    }

    // A click on a hit selects it; with the preview, its path shows it there instead of
    // leaving the page (its other links, and clicks with a modifier key, work as usual).
    document.addEventListener("click", function (event) {
      var hit = event.target.closest ? event.target.closest("li.hit") : null;
      if (!hit || !results.contains(hit)) return;
      var link = event.target.closest("a[href]");
      if (link && !link.classList.contains("open")) return;
      if (link && (!previewing() || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0)) return;
      if (link) event.preventDefault();
      select(Array.prototype.indexOf.call(hits(), hit));
    });

    document.addEventListener("keydown", function (event) {
      var tag = event.target ? event.target.tagName : "";
      var typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
      if (tag === "SELECT") {
        // The arrows choose an order there.
        return;
      } else if (event.key === "/" && !typing) {
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
        if (open()) event.preventDefault();
      } else if (!typing && previewing() && event.key === "n") {
        pane.next();
      } else if (!typing && previewing() && (event.key === "p" || event.key === "N")) {
        pane.previous();
      }
    });

    wide.addEventListener("change", layOut);
    foldFacets(null);
    layOut();
  }

  function documentPage() {
    var nav = document.getElementById("match-nav");
    var previous = document.getElementById("previous-match");
    var next = document.getElementById("next-match");
    if (!nav || !previous || !next) return;

    function current() {
      var found = /^#m(\d+)$/.exec(window.location.hash);
      return found ? parseInt(found[1], 10) : 0;
    }

    // The links point at the matches around the one in the address: without this script they
    // lead to the part's last and first match.
    function follow() { showMatch(document, current()); }

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
