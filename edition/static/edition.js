/* The edition's page behaviour: the reading switch, "Cite this document", and the sortable,
   filterable table of documents. Every page works without it; it only adds to what is there.
   Text from the pages is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  var STORAGE_KEY = "edition-reading";

  function remember(value) {
    try {
      window.localStorage.setItem(STORAGE_KEY, value);
    } catch (error) {
      /* storage may be refused (private windows, file://); the switch still works */
    }
  }

  function remembered() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      return null;
    }
  }

  /* --- Corrected or diplomatic reading ------------------------------------------------------- */
  function setupReadingSwitch() {
    var fieldset = document.querySelector("[data-reading-switch]");
    var reading = document.querySelector(".reading");
    if (!fieldset || !reading) return;
    var inputs = fieldset.querySelectorAll("input[name=reading]");
    function apply(value) {
      reading.setAttribute("data-reading", value);
      inputs.forEach(function (input) {
        input.checked = input.value === value;
      });
    }
    fieldset.hidden = false;
    var stored = remembered();
    if (stored === "corrected" || stored === "diplomatic") apply(stored);
    fieldset.addEventListener("change", function (event) {
      var value = event.target && event.target.value;
      if (value === "corrected" || value === "diplomatic") {
        apply(value);
        remember(value);
      }
    });
  }

  /* --- Cite this document (with the paragraph chosen, linked to or selected) ---------------- */
  function setupCitation() {
    var dataElement = document.getElementById("cite-data");
    var output = document.querySelector("[data-citation]");
    var controls = document.querySelector("[data-cite-controls]");
    if (!dataElement || !output || !controls) return;
    var data;
    try {
      data = JSON.parse(dataElement.textContent);
    } catch (error) {
      return;
    }
    var select = controls.querySelector("[data-cite-paragraph]");
    var copy = controls.querySelector("[data-cite-copy]");
    var status = controls.querySelector("[data-cite-status]");
    controls.hidden = false;

    function render(paragraph) {
      var note = (paragraph && data.paragraphs[paragraph]) || data.document;
      output.textContent = "";
      output.appendChild(document.createTextNode(note.before));
      var title = document.createElement("cite");
      title.textContent = note.title;
      output.appendChild(title);
      output.appendChild(document.createTextNode(note.after));
      if (select) select.value = paragraph && data.paragraphs[paragraph] ? paragraph : "";
      if (status) status.textContent = "";
    }

    function fromHash() {
      var match = /^#p([0-9]+)$/.exec(window.location.hash);
      if (match && data.paragraphs[match[1]]) render(match[1]);
    }

    function fromSelection() {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || !selection.anchorNode) return;
      var node = selection.anchorNode.nodeType === 1 ? selection.anchorNode : selection.anchorNode.parentElement;
      var paragraph = node && node.closest ? node.closest("p.para[data-n]") : null;
      if (paragraph) render(paragraph.getAttribute("data-n"));
    }

    if (select) {
      select.addEventListener("change", function () {
        render(select.value);
      });
    }
    if (copy) {
      copy.addEventListener("click", function () {
        var text = output.textContent;
        function selected() {
          var range = document.createRange();
          range.selectNodeContents(output);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          status.textContent = "Selected: press Ctrl+C (or ⌘C) to copy.";
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () {
            status.textContent = "Copied.";
          }, selected);
        } else {
          selected();
        }
      });
    }
    var text = document.querySelector(".tei-text");
    if (text) {
      text.addEventListener("mouseup", fromSelection);
      text.addEventListener("keyup", fromSelection);
    }
    window.addEventListener("hashchange", fromHash);
    fromHash();
  }

  /* --- The table of documents: sort by a column, filter by words and facets ----------------- */
  function setupTable() {
    var table = document.querySelector("table[data-sortable]");
    if (!table || !table.tBodies.length) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

    function value(row, index, kind) {
      var cell = row.cells[index];
      var raw = cell.getAttribute("data-value");
      if (raw === null) raw = cell.textContent.trim();
      if (kind === "number") return parseFloat(raw) || 0;
      return raw.toLocaleLowerCase();
    }

    function sortBy(index, direction) {
      var kind = headers[index].getAttribute("data-sort");
      var order = rows.slice().sort(function (a, b) {
        var x = value(a, index, kind);
        var y = value(b, index, kind);
        var result = x < y ? -1 : x > y ? 1 : 0;
        if (result === 0) result = value(a, 0, "number") - value(b, 0, "number");
        return direction === "descending" ? -result : result;
      });
      order.forEach(function (row) {
        body.appendChild(row);
      });
      headers.forEach(function (header, i) {
        if (i === index) header.setAttribute("aria-sort", direction);
        else header.removeAttribute("aria-sort");
      });
    }

    headers.forEach(function (header, index) {
      if (!header.hasAttribute("data-sort")) return;
      var button = document.createElement("button");
      button.type = "button";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () {
        var current = header.getAttribute("aria-sort");
        sortBy(index, current === "ascending" ? "descending" : "ascending");
      });
    });

    var form = document.querySelector("[data-table-filters]");
    if (!form) return;
    form.hidden = false;
    var fields = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-filter]"), function (field) {
      fields[field.getAttribute("data-filter")] = field;
    });
    var count = form.querySelector("[data-filter-count]");
    var params = new URLSearchParams(window.location.search);
    Object.keys(fields).forEach(function (name) {
      var wanted = params.get(name === "text" ? "q" : name);
      if (wanted !== null) fields[name].value = wanted;
    });

    function apply() {
      var words = (fields.text ? fields.text.value : "").toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLocaleLowerCase();
        var visible = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        ["from", "to", "type", "status"].forEach(function (name) {
          if (fields[name] && fields[name].value && row.getAttribute("data-" + name) !== fields[name].value) {
            visible = false;
          }
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (count) {
        count.textContent =
          shown === rows.length ? "Showing all " + rows.length + " documents." : "Showing " + shown + " of " + rows.length + " documents.";
      }
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    apply();
  }

  function start() {
    setupReadingSwitch();
    setupCitation();
    setupTable();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
