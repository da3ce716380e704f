/* Search without a server. Over http(s) the page asks Pagefind (its index is in pagefind/, in shards,
   built with the site); opened from the file system, where browsers refuse to let Pagefind load its
   index, it searches the same texts in search-index.js. Results link to the paragraph where the words occur.
   Result text is only ever inserted with textContent; the excerpt's <mark>s are rebuilt, not parsed
   into the page. */
(function () {
  "use strict";

  var form = document.querySelector("[data-search-form]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  if (!form || !status || !list) return;
  var input = form.querySelector("input[name=q]");
  var correspondent = form.querySelector("select[name=correspondent]");
  var type = form.querySelector("select[name=type]");
  var siteRoot = new URL(".", document.baseURI);
  var LIMIT = 50;

  var engine = null;

  function fileEngine() {
    return new Promise(function (resolve, reject) {
      if (window.editionSearchIndex) {
        resolve(fallbackEngine(window.editionSearchIndex));
        return;
      }
      var script = document.createElement("script");
      script.src = new URL("search-index.js", siteRoot).href;
      script.onload = function () {
        if (window.editionSearchIndex) resolve(fallbackEngine(window.editionSearchIndex));
        else reject(new Error("the search index is empty"));
      };
      script.onerror = function () {
        reject(new Error("the search index could not be loaded"));
      };
      document.head.appendChild(script);
    });
  }

  /* The Pagefind index is in shards (pagefind/shards.json lists their folders): the first is loaded
     with Pagefind's script, which it carries, and the others are merged into it, so one search covers
     every reading page. Result URLs are relative to the site root (baseUrl "/"). */
  function pagefindEngine() {
    var root = new URL("pagefind/", siteRoot);
    return fetch(new URL("shards.json", root).href, { cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) throw new Error("the search index is missing");
        return response.json();
      })
      .then(function (listing) {
        var folders = (listing && listing.shards) || [];
        if (!folders.length) throw new Error("the search index is empty");
        var shards = folders.map(function (folder) {
          return new URL(folder, root);
        });
        var options = { baseUrl: "/", excerptLength: 24 };
        return import(new URL("pagefind.js", shards[0]).href).then(function (pagefind) {
          return pagefind
            .options(Object.assign({ basePath: shards[0].pathname }, options))
            .then(function () {
              return Promise.all(
                shards.slice(1).map(function (shard) {
                  return pagefind.mergeIndex(shard.pathname, options);
                })
              );
            })
            .then(function () {
              return pagefindSearch(pagefind, shards.length > 1);
            });
        });
      });
  }

  function pagefindSearch(pagefind, sharded) {
    return {
      name: "pagefind",
      search: function (query, filters) {
        var wanted = {};
        if (filters.correspondent) wanted.correspondent = filters.correspondent;
        if (filters.type) wanted.type = filters.type;
        return pagefind
          .search(query, { filters: wanted })
          .then(function (found) {
            return sharded ? withoutFallbacks(pagefind, query, found.results) : found.results;
          })
          .then(function (results) {
            return Promise.all(
              results.slice(0, LIMIT).map(function (result) {
                return result.data();
              })
            ).then(function (data) {
              return { total: results.length, results: data.map(pagefindResult) };
            });
          });
      },
    };
  }

  /* A word that one shard's pages do not have makes Pagefind fall back, in that shard, to the longest
     start of the word that its pages do have ("offic" for "official"), although other shards have the
     word itself: one index of the whole edition would not fall back. So each word is also looked up on
     its own with no fallback (Pagefind's exact search, "word"), and only the pages found both ways are
     kept. A word that no page has is left to the fallback; a quoted phrase is exact already. */
  function withoutFallbacks(pagefind, query, results) {
    if (/^\s*".+"\s*$/.test(query)) return Promise.resolve(results);
    var words = query
      .split(/\s+/)
      .map(function (word) {
        return word.replace(/"/g, "");
      })
      .filter(Boolean);
    return Promise.all(
      words.map(function (word) {
        return pagefind.search('"' + word + '"');
      })
    ).then(function (exact) {
      var kept = results;
      exact.forEach(function (found) {
        if (!found.results.length) return;
        var pages = {};
        found.results.forEach(function (result) {
          pages[result.id] = true;
        });
        kept = kept.filter(function (result) {
          return pages[result.id];
        });
      });
      return kept;
    });
  }

  /* The paragraph (or note) a Pagefind match falls in: the last anchor before the first match. */
  function pagefindResult(data) {
    var anchor = "";
    var first = data.locations && data.locations.length ? data.locations[0] : -1;
    (data.anchors || []).forEach(function (candidate) {
      if (/^(p|n)[0-9]+$/.test(candidate.id) && candidate.location <= first) anchor = candidate.id;
    });
    var url = data.url.replace(/^\//, "");
    return {
      url: new URL(url + (anchor ? "#" + anchor : ""), siteRoot).href,
      title: (data.meta && data.meta.title) || url,
      meta: [data.meta && data.meta.date, data.filters && data.filters.type && data.filters.type[0]]
        .filter(Boolean)
        .join(" · "),
      anchor: anchor,
      excerpt: markedParts(data.excerpt || ""),
    };
  }

  /* Pagefind's excerpt is text with <mark> around the matches: split it into [text, marked] parts
     through an inert parser (DOMParser never runs scripts), keeping only text. */
  function markedParts(excerpt) {
    var parsed = new DOMParser().parseFromString("<body>" + excerpt + "</body>", "text/html");
    var parts = [];
    parsed.body.childNodes.forEach(function (node) {
      parts.push([node.textContent, node.nodeName === "MARK"]);
    });
    return parts;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function fallbackEngine(index) {
    return {
      name: "file",
      search: function (query, filters) {
        var words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
        if (!words.length) return Promise.resolve({ total: 0, results: [] });
        var patterns = words.map(function (word) {
          return new RegExp("(^|[^\\p{L}\\p{N}])" + escapeRegExp(word), "u");
        });
        var results = [];
        index.forEach(function (doc) {
          if (filters.correspondent && doc.correspondents.indexOf(filters.correspondent) === -1) return;
          if (filters.type && doc.type !== filters.type) return;
          var texts = [["", doc.summary]].concat(doc.passages);
          var all = fold(
            texts
              .map(function (t) {
                return t[1];
              })
              .join(" \n ")
          );
          if (!patterns.every(function (p) { return p.test(all); })) return;
          var hit = null;
          texts.forEach(function (t) {
            if (hit === null && patterns[0].test(fold(t[1]))) hit = t;
          });
          hit = hit || texts[0];
          results.push({
            url: new URL(doc.url + (hit[0] ? "#" + hit[0] : ""), siteRoot).href,
            title: doc.title,
            meta: doc.dateText + " · " + doc.type,
            anchor: hit[0],
            excerpt: excerptParts(hit[1], words),
          });
        });
        return Promise.resolve({ total: results.length, results: results.slice(0, LIMIT) });
      },
    };
  }

  function excerptParts(text, words) {
    var folded = fold(text);
    var at = -1;
    words.forEach(function (word) {
      var found = folded.indexOf(word);
      if (found !== -1 && (at === -1 || found < at)) at = found;
    });
    var start = Math.max(0, at - 80);
    var end = Math.min(text.length, (at === -1 ? 0 : at) + 160);
    var slice = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    var foldedSlice = fold(slice);
    var parts = [];
    var position = 0;
    var pattern = new RegExp(words.map(escapeRegExp).join("|"), "gu");
    var match;
    while ((match = pattern.exec(foldedSlice)) !== null) {
      if (match[0].length === 0) break;
      parts.push([slice.slice(position, match.index), false]);
      parts.push([slice.slice(match.index, match.index + match[0].length), true]);
      position = match.index + match[0].length;
    }
    parts.push([slice.slice(position), false]);
    return parts;
  }

  function show(found, query) {
    list.textContent = "";
    found.results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.title;
      item.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "result-meta";
      meta.textContent = (result.meta ? result.meta : "") + (result.anchor ? (result.meta ? " · " : "") + describe(result.anchor) : "");
      item.appendChild(meta);
      var excerpt = document.createElement("span");
      excerpt.className = "excerpt";
      result.excerpt.forEach(function (part) {
        if (!part[0]) return;
        if (part[1]) {
          var mark = document.createElement("mark");
          mark.textContent = part[0];
          excerpt.appendChild(mark);
        } else {
          excerpt.appendChild(document.createTextNode(part[0]));
        }
      });
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    var noun = found.total === 1 ? "document" : "documents";
    status.textContent = found.total
      ? found.total + " " + noun + " found for “" + query + "”" + (found.total > LIMIT ? "; the first " + LIMIT + " are shown." : ".")
      : "No document contains “" + query + "”.";
  }

  function describe(anchor) {
    var match = /^(p|n)([0-9]+)$/.exec(anchor);
    if (!match) return "";
    return (match[1] === "p" ? "paragraph " : "note ") + match[2];
  }

  function chooseEngine() {
    if (engine) return engine;
    if (window.location.protocol === "file:") {
      engine = fileEngine();
    } else {
      engine = pagefindEngine().catch(function () {
        return fileEngine();
      });
    }
    return engine;
  }

  function run() {
    var query = input.value.trim();
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    var filters = { correspondent: correspondent.value, type: type.value };
    var params = new URLSearchParams();
    params.set("q", query);
    if (filters.correspondent) params.set("correspondent", filters.correspondent);
    if (filters.type) params.set("type", filters.type);
    try {
      window.history.replaceState(null, "", "?" + params.toString());
    } catch (error) {
      /* some file:// contexts refuse history changes; the search still runs */
    }
    chooseEngine()
      .then(function (chosen) {
        document.body.setAttribute("data-search-engine", chosen.name);
        return chosen.search(query, filters);
      })
      .then(function (found) {
        show(found, query);
      })
      .catch(function (error) {
        status.textContent = "Search is not available: " + error.message;
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  [correspondent, type].forEach(function (select) {
    select.addEventListener("change", function () {
      if (input.value.trim()) run();
    });
  });

  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    input.value = params.get("q");
    if (params.get("correspondent")) correspondent.value = params.get("correspondent");
    if (params.get("type")) type.value = params.get("type");
    run();
  }
})();
