/// `GET /docs`: the API reference, drawn in the browser from `/openapi.json` by
/// `/pages/docs.js`, so it is always the document the server actually serves.
enum DocsPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Auction API reference</title>
        <link rel="stylesheet" href="/pages/pages.css">
        <script src="/pages/docs.js" defer></script>
        </head>
        <body>
        <header><h1 id="title">Auction API reference</h1><div class="muted" id="version"></div></header>
        <main class="docs">
        <nav class="index" id="index" aria-label="Routes"></nav>
        <div id="reference"><p class="muted" id="loading">Loading /openapi.json…</p></div>
        </main>
        </body>
        </html>
        """#

    static let script = #"""
        "use strict";
        // Renders /openapi.json: routes grouped by their first path word, each with
        // method, path, summary, parameters, request fields and responses. Every
        // value goes in as text (textContent), never as markup.
        (function () {
          function el(tag, attributes, children) {
            const node = document.createElement(tag);
            for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
            for (const child of [].concat(children || [])) {
              node.append(typeof child === "string" ? document.createTextNode(child) : child);
            }
            return node;
          }

          function resolve(document, schema) {
            let seen = 0;
            while (schema && schema.$ref && seen++ < 10) {
              schema = schema.$ref.replace(/^#\//, "").split("/").reduce((at, key) => (at ? at[key] : undefined), document);
            }
            return schema || {};
          }

          function describe(document, schema) {
            schema = resolve(document, schema);
            if (schema.anyOf || schema.oneOf) {
              return (schema.anyOf || schema.oneOf).map((each) => describe(document, each)).join(" or ");
            }
            let text = schema.type || "object";
            if (schema.type === "array" && schema.items) text = "array of " + refName(schema.items, document);
            if (schema.enum) text += " (" + schema.enum.join(" | ") + ")";
            if (schema.format) text += ", " + schema.format;
            if (schema.minimum !== undefined) text += ", ≥ " + schema.minimum;
            if (schema.maximum !== undefined) text += ", ≤ " + schema.maximum;
            if (schema.minLength !== undefined) text += ", " + schema.minLength + " to " + (schema.maxLength ?? "∞") + " characters";
            if (schema.nullable) text += ", nullable";
            return text;
          }

          function refName(schema, document) {
            if (schema && schema.$ref) return schema.$ref.split("/").pop();
            return describe(document, schema);
          }

          function groupOf(path) {
            const word = path.split("/").filter(Boolean)[0] || "root";
            return ["healthz", "readyz", "metrics", "openapi.json"].includes(word) ? "operations" : word;
          }

          function parametersTable(parameters, document) {
            return el("table", {}, [
              el("tr", {}, [el("th", {}, "name"), el("th", {}, "in"), el("th", {}, "required"), el("th", {}, "schema")]),
              ...parameters.map((parameter) => el("tr", {}, [
                el("td", {}, el("code", {}, parameter.name)), el("td", {}, parameter.in),
                el("td", {}, parameter.required ? "yes" : "no"), el("td", {}, describe(document, parameter.schema)),
              ])),
            ]);
          }

          function fieldsTable(body, document) {
            const types = Object.keys(body.content || {});
            const schema = resolve(document, (body.content[types[0]] || {}).schema);
            const required = new Set(schema.required || []);
            const rows = Object.entries(schema.properties || {}).map(([name, field]) => el("tr", {}, [
              el("td", {}, el("code", {}, name)), el("td", {}, required.has(name) ? "yes" : "no"),
              el("td", {}, describe(document, field)),
            ]));
            return [
              el("p", { class: "muted" }, "As " + types.join(", ")),
              el("table", {}, [el("tr", {}, [el("th", {}, "field"), el("th", {}, "required"), el("th", {}, "schema")]), ...rows]),
            ];
          }

          function responsesTable(responses, document) {
            return el("table", {}, [
              el("tr", {}, [el("th", {}, "status"), el("th", {}, "meaning"), el("th", {}, "body")]),
              ...Object.entries(responses).map(([status, response]) => {
                const content = response.content || {};
                const type = Object.keys(content)[0];
                const body = type ? type + (content[type].schema ? ": " + refName(content[type].schema, document) : "") : "";
                return el("tr", {}, [
                  el("td", { class: "status" }, status), el("td", {}, response.description || ""), el("td", {}, body),
                ]);
              }),
            ]);
          }

          function operationCard(method, path, operation, document) {
            const id = operation.operationId || method + path.replace(/[^a-z0-9]+/gi, "_");
            const card = el("section", { class: "card operation", id: id }, [
              el("h3", {}, [el("span", { class: "method " + method }, method), el("span", { class: "path" }, path)]),
              el("p", {}, operation.summary || ""),
            ]);
            if (operation.security && operation.security.length) {
              card.append(el("p", { class: "muted" }, "Needs a bearer token (Authorization: Bearer …)."));
            }
            if (operation.parameters && operation.parameters.length) {
              card.append(el("h4", {}, "Parameters"), parametersTable(operation.parameters, document));
            }
            if (operation.requestBody) {
              card.append(el("h4", {}, "Request fields"), ...fieldsTable(operation.requestBody, document));
            }
            card.append(el("h4", {}, "Responses"), responsesTable(operation.responses || {}, document));
            return [id, card];
          }

          function render(document) {
            const info = document.info || {};
            if (info.title) window.document.getElementById("title").textContent = info.title;
            window.document.title = (info.title || "API") + " reference";
            window.document.getElementById("version").textContent =
              "OpenAPI " + document.openapi + (info.version ? " · version " + info.version : "");
            const groups = new Map();
            for (const [path, methods] of Object.entries(document.paths || {})) {
              for (const [method, operation] of Object.entries(methods)) {
                const group = groupOf(path);
                if (!groups.has(group)) groups.set(group, []);
                groups.get(group).push([method, path, operation]);
              }
            }
            const index = window.document.getElementById("index");
            const reference = window.document.getElementById("reference");
            reference.replaceChildren();
            for (const [group, operations] of groups) {
              const section = el("section", { class: "group", id: "group-" + group }, el("h2", {}, group));
              index.append(el("h2", {}, el("a", { href: "#group-" + group }, group)));
              for (const [method, path, operation] of operations) {
                const [id, card] = operationCard(method, path, operation, document);
                section.append(card);
                index.append(el("a", { href: "#" + id }, method.toUpperCase() + " " + path));
              }
              reference.append(section);
            }
            if (location.hash) {
              const target = window.document.getElementById(decodeURIComponent(location.hash.slice(1)));
              if (target) target.scrollIntoView();
            }
          }

          function start() {
            fetch("/openapi.json")
              .then((response) => {
                if (!response.ok) throw new Error("/openapi.json answered " + response.status);
                return response.json();
              })
              .then(render)
              .catch((error) => {
                document.getElementById("loading").textContent = "Could not load the API document: " + error.message;
              });
          }

          if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
          else start();
        })();
        """#
}
