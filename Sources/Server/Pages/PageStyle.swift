/// The one stylesheet of both pages, served at `/pages/pages.css`.
enum PageStyle {
    static let css = #"""
        :root { --ink: #1d232b; --muted: #5d6670; --line: #d9dee4; --accent: #0b63c5; --good: #137a3a; --bad: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f7f9; }
        header { background: #fff; border-bottom: 1px solid var(--line); padding: 14px 24px; }
        header h1 { margin: 0; font-size: 1.3rem; }
        main { max-width: 980px; margin: 0 auto; padding: 20px 24px 48px; }
        code, .path { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; }
        .muted { color: var(--muted); }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; color: var(--muted); font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; }

        /* /docs */
        .docs { display: grid; grid-template-columns: 240px 1fr; gap: 24px; max-width: 1200px; }
        nav.index { position: sticky; top: 12px; align-self: start; max-height: calc(100vh - 24px); overflow: auto; font-size: .9rem; }
        nav.index h2 { font-size: .8rem; text-transform: uppercase; color: var(--muted); margin: 12px 0 4px; }
        nav.index a { display: block; color: var(--ink); text-decoration: none; padding: 1px 0; }
        nav.index a:hover { color: var(--accent); }
        .group > h2 { margin: 24px 0 8px; }
        .operation h3 { margin: 0 0 4px; font-size: 1.05rem; }
        .method { display: inline-block; min-width: 4.2em; padding: 0 6px; margin-right: 6px; border-radius: 4px; color: #fff;
                  font-size: .8rem; text-align: center; text-transform: uppercase; background: #556; }
        .method.get { background: #1d6fb8; } .method.post { background: #137a3a; }
        .method.patch { background: #9a6700; } .method.delete { background: #b3261e; }
        .operation h4 { margin: 12px 0 4px; font-size: .9rem; }
        .status { font-weight: 600; }

        /* /lots/{id}/live */
        .lot-head { display: flex; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
        .lot-head h2 { margin: 0; }
        .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: .85rem; background: #e6f4ea; color: var(--good); }
        .badge.finished { background: #fde8e7; color: var(--bad); }
        .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin-top: 12px; }
        .figure .label { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
        .figure .value { font-size: 1.6rem; font-weight: 600; }
        .connection { font-size: .85rem; }
        .connection.live { color: var(--good); } .connection.down { color: var(--bad); }
        #history tr.fresh { animation: fresh 1.5s ease-out; }
        @keyframes fresh { from { background: #fff6c8; } to { background: transparent; } }
        """#
}
