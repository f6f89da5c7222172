/**
 * The browser target opened without its token (a bookmark, a typed address). Nothing can
 * be shown without the core, so say how to get the right address.
 */
export function NoTokenPage() {
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <div>
            <p className="brand-name">Callbridge</p>
            <h1>Comms Manager</h1>
          </div>
        </div>
      </header>
      <main className="no-token">
        <section className="panel" aria-labelledby="no-token-heading">
          <h2 id="no-token-heading">Open the Comms Manager from the address Callbridge printed</h2>
          <p>
            This page needs the access token that the Callbridge core hands out, and the address you
            opened does not carry one.
          </p>
          <ol>
            <li>
              In a terminal, run <code>callbridge serve</code> (or look at the one already running).
            </li>
            <li>
              Copy the whole address after <code>Comms Manager:</code>. It ends in{' '}
              <code>#token=…</code>.
            </li>
            <li>Open that address in this browser.</li>
          </ol>
          <p className="muted">
            The token keeps other web pages and local programs from driving your phone; it stays on
            this computer.
          </p>
        </section>
      </main>
    </div>
  );
}
