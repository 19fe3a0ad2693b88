/// `GET /lots/{lot_id}/live`: one lot, kept current over its WebSocket by
/// `/pages/live.js`. The HTML is the same for every lot (the script reads the id
/// from the path), so no user text ever passes through it.
enum LivePage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Live lot</title>
        <link rel="stylesheet" href="/pages/pages.css">
        <script src="/pages/live.js" defer></script>
        </head>
        <body>
        <header><h1>Live auction</h1></header>
        <main>
        <section class="card">
          <div class="lot-head">
            <div><h2 id="title">Loading…</h2><p class="muted" id="description"></p></div>
            <div><span class="badge" id="status"></span>
              <div class="connection" id="connection">connecting…</div></div>
          </div>
          <div class="figures">
            <div class="figure"><div class="label">Price</div><div class="value" id="price">–</div></div>
            <div class="figure"><div class="label">Leader</div><div class="value" id="leader">–</div></div>
            <div class="figure"><div class="label">Time left</div><div class="value" id="time-left">–</div></div>
            <div class="figure"><div class="label">Bids</div><div class="value" id="bid-count">–</div></div>
          </div>
          <p class="muted" id="owner"></p>
        </section>
        <section class="card">
          <h2>Bids, newest first</h2>
          <table>
            <thead><tr><th>bidder</th><th>amount</th><th>at</th></tr></thead>
            <tbody id="history"></tbody>
          </table>
          <p class="muted" id="no-bids">No bids yet.</p>
        </section>
        </main>
        </body>
        </html>
        """#

    static let notFound = #"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Lot not found</title><link rel="stylesheet" href="/pages/pages.css"></head>
        <body><header><h1>Live auction</h1></header>
        <main><section class="card"><h2>Lot not found</h2>
        <p>There is no lot at this address. Lot ids are positive whole numbers.</p></section></main>
        </body>
        </html>
        """#

    static let script = #"""
        "use strict";
        // Shows one lot and applies its events as they come: GET /lots/{id} (whose
        // seq is the last event it includes), GET /lots/{id}/bids, then the socket
        // from ?since=<that seq>. Each event is applied once, in seq order; after a
        // drop the socket reopens with ?since=<last seq applied>, with backoff.
        // User text is only ever set as textContent.
        (function () {
          const match = /^\/lots\/(\d+)\/live\/?$/.exec(location.pathname);
          const lotID = match ? match[1] : null;
          const state = {
            lot: null,
            bids: new Map(),  // bidder -> {amount, at}: one bid per bidder, raised in place
            lastSeq: 0,
            applied: [],      // the seqs applied, in order (read by the browser test)
            connections: 0,
            socket: null,
            attempt: 0,
          };
          window.auctionLive = state;

          const $ = (id) => document.getElementById(id);
          const money = (value) => Number(value).toFixed(2);
          const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

          function renderLot() {
            const lot = state.lot;
            document.title = lot.title + " · live";
            $("title").textContent = lot.title;
            $("description").textContent = lot.description;
            $("owner").textContent = "Offered by " + lot.owner + " · starting price " + money(lot.starting_price) +
              " · minimum increment " + money(lot.min_increment);
            $("status").textContent = lot.status;
            $("status").className = "badge" + (lot.status === "finished" ? " finished" : "");
            $("price").textContent = money(lot.highest_price);
            $("leader").textContent = lot.highest_bidder || "no bids yet";
            $("bid-count").textContent = String(state.bids.size);
            renderTimeLeft();
          }

          function renderTimeLeft() {
            const lot = state.lot;
            if (!lot) return;
            let text;
            if (lot.status === "finished") text = "ended";
            else if (!lot.ends_at) text = "no end set";
            else {
              const seconds = Math.max(0, Math.floor((Date.parse(lot.ends_at) - Date.now()) / 1000));
              const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
              text = (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
            }
            $("time-left").textContent = text;
          }

          function renderHistory(fresh) {
            const rows = [...state.bids.entries()].sort((a, b) => Date.parse(b[1].at) - Date.parse(a[1].at));
            $("history").replaceChildren(...rows.map(([bidder, bid]) => {
              const row = document.createElement("tr");
              if (bidder === fresh) row.className = "fresh";
              for (const text of [bidder, money(bid.amount), when(bid.at)]) {
                const cell = document.createElement("td");
                cell.textContent = text;
                row.append(cell);
              }
              return row;
            }));
            $("no-bids").hidden = rows.length > 0;
          }

          function apply(event) {
            if (typeof event.seq !== "number" || event.seq <= state.lastSeq) return;  // already shown
            state.lastSeq = event.seq;
            state.applied.push(event.seq);
            const lot = state.lot;
            let fresh = null;
            switch (event.type) {
              case "bid_placed":
                state.bids.set(event.bidder, { amount: event.amount, at: event.at });
                lot.highest_price = event.amount;
                lot.highest_bidder = event.bidder;
                fresh = event.bidder;
                break;
              case "lot_status_changed":
                lot.status = event.status;
                break;
              case "lot_extended":
                lot.ends_at = event.ends_at;
                break;
              case "lot_closed":
                lot.status = "finished";
                break;
            }
            renderLot();
            renderHistory(fresh);
          }

          function setConnection(text, className) {
            $("connection").textContent = text;
            $("connection").className = "connection " + className;
          }

          function connect() {
            // Relative to the page's own host: behind the proxy the socket is on the same address.
            const scheme = location.protocol === "https:" ? "wss:" : "ws:";
            const socket = new WebSocket(scheme + "//" + location.host + "/ws/lots/" + lotID + "?since=" + state.lastSeq);
            state.socket = socket;
            socket.onopen = () => {
              state.connections += 1;
              state.attempt = 0;
              setConnection("live", "live");
            };
            socket.onmessage = (message) => {
              if (message.data === "pong") return;
              try { apply(JSON.parse(message.data)); } catch (error) { console.error("bad event", error); }
            };
            socket.onclose = () => {
              if (state.socket !== socket) return;
              // 0.5 s doubling to 15 s, with jitter so a restarted server is not hit by every page at once.
              const delay = Math.min(15000, 500 * 2 ** state.attempt) * (0.5 + Math.random() / 2);
              state.attempt += 1;
              setConnection("reconnecting…", "down");
              setTimeout(connect, delay);
            };
          }

          async function getJSON(path) {
            const response = await fetch(path, { headers: { Accept: "application/json" } });
            if (!response.ok) throw new Error(path + " answered " + response.status);
            return response.json();
          }

          async function start() {
            try {
              state.lot = await getJSON("/lots/" + lotID);
              // After the lot, so that every bid it does not count comes over the socket.
              for (const bid of await getJSON("/lots/" + lotID + "/bids")) {
                state.bids.set(bid.bidder, { amount: bid.amount, at: bid.updated_at });
              }
              state.lastSeq = state.lot.seq;
              renderLot();
              renderHistory(null);
              connect();
              setInterval(renderTimeLeft, 1000);
            } catch (error) {
              $("title").textContent = "Could not load the lot";
              $("description").textContent = error.message;
            }
          }

          if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
          else start();
        })();
        """#
}
