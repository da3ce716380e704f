/* Live preview (`edition serve --watch` only; never part of the built site).
 *
 * Listens to the preview server's event stream: reloads the page after a rebuild, and shows the errors
 * of a failed build in a box over the page until a build succeeds. Problems are shown as text
 * (textContent), never parsed as markup: messages quote what the TEI says, and the TEI is untrusted.
 * Styles are set through element.style, which the pages' Content Security Policy allows.
 */
(function () {
  "use strict";

  var BOX_ID = "edition-preview-problems";
  var script = document.currentScript;
  var served = script ? script.getAttribute("data-generation") : null;

  function element(tag, text, styles) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    Object.keys(styles || {}).forEach(function (name) {
      node.style[name] = styles[name];
    });
    return node;
  }

  function clear() {
    var old = document.getElementById(BOX_ID);
    if (old) {
      old.remove();
    }
  }

  function show(status) {
    clear();
    if (!status || status.state !== "failed") {
      return;
    }
    var box = element("section", null, {
      position: "fixed",
      left: "1rem",
      right: "1rem",
      bottom: "1rem",
      maxHeight: "60vh",
      overflow: "auto",
      zIndex: "2147483647",
      background: "#fff",
      color: "#1a1a1a",
      border: "3px solid #b00020",
      borderRadius: "4px",
      padding: "0.75rem 1rem",
      boxShadow: "0 2px 12px rgba(0, 0, 0, 0.35)",
      font: "14px/1.4 system-ui, sans-serif"
    });
    box.id = BOX_ID;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "Build errors");
    box.appendChild(
      element("p", "The edition did not build; this is the last good build.", {
        fontWeight: "bold",
        margin: "0 0 0.5rem"
      })
    );
    box.appendChild(element("p", status.message, { margin: "0 0 0.5rem" }));
    var list = element("ul", null, { margin: "0", paddingLeft: "1.25rem" });
    (status.problems || []).forEach(function (problem) {
      list.appendChild(
        element("li", problem.text, {
          fontFamily: "ui-monospace, monospace",
          whiteSpace: "pre-wrap",
          overflowWrap: "anywhere",
          margin: "0.25rem 0"
        })
      );
    });
    box.appendChild(list);
    var hide = element("button", "Hide", { marginTop: "0.5rem" });
    hide.type = "button";
    hide.addEventListener("click", clear);
    box.appendChild(hide);
    document.body.appendChild(box);
  }

  function refresh() {
    fetch("/_edition/status", { cache: "no-store" })
      .then(function (response) {
        return response.json();
      })
      .then(function (status) {
        if (status.state === "building") {
          return; /* keep what is shown until the build has an outcome */
        }
        if (served !== null && status.state === "ok" && String(status.generation) !== served) {
          window.location.reload();
          return;
        }
        show(status);
      })
      .catch(function () {
        /* the server is restarting: the event stream reconnects by itself */
      });
  }

  if (!window.EventSource) {
    return;
  }
  var events = new EventSource("/_edition/events");
  events.addEventListener("hello", function (event) {
    if (served !== null && event.data !== served) {
      window.location.reload(); /* a build finished while this page was loading */
      return;
    }
    refresh();
  });
  events.addEventListener("status", refresh);
  events.addEventListener("reload", function () {
    window.location.reload();
  });
})();
