// The dashboard of `tickgate serve`: live figures and one symbol's book over the same WebSocket as any
// client (the token from the page's ?token=), decoded with the service's own schema; the publish and feed
// latencies from /metrics. Served by the service itself: no CDN.
/* global protobuf */
(async () => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? '';
  const root = protobuf.parse(await (await fetch('/proto/tickgate.proto')).text(), { keepCase: true }).root;
  const Batch = root.lookupType('tickgate.v1.Batch');
  const Subscribe = root.lookupType('tickgate.v1.Subscribe');
  const counts = { messages: 0, books: 0, gaps: 0, errors: 0 };
  const latest = new Map();   // stock -> its last BookUpdate
  let chosen = params.get('symbol') ?? '';
  let lastMessages = 0;

  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/stream?token=${encodeURIComponent(token)}`);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    $('status').textContent = 'live';
    ws.send(Subscribe.encode(Subscribe.create({ kinds: ['itch', 'gap', 'error', 'book'] })).finish());
  };
  ws.onclose = (e) => { $('status').textContent = `closed (${e.code}${e.reason ? `: ${e.reason}` : ''})`; };
  ws.onmessage = (m) => {
    const batch = Batch.decode(new Uint8Array(m.data));
    for (const e of batch.events) {
      if (e.itch) counts.messages++;
      else if (e.gap) counts.gaps++;
      else if (e.error) counts.errors++;
      else if (e.book) {
        counts.books++;
        if (!latest.has(e.book.stock)) addSymbol(e.book.stock);
        latest.set(e.book.stock, e.book);
      }
    }
  };

  function addSymbol(stock) {
    const option = document.createElement('option');
    option.textContent = stock;
    $('symbol').append(option);
    if (!chosen) chosen = stock;
    $('symbol').value = chosen;
  }
  $('symbol').onchange = () => { chosen = $('symbol').value; };

  const fmt = (n) => Number(n).toLocaleString('en-US');
  const price = (p) => (Number(p) / 10000).toFixed(4);
  function rows(levels, bid) {
    return levels.map((l) => (bid
      ? `<tr><td>${fmt(l.orders)}</td><td>${fmt(l.shares)}</td><td class="price">${price(l.price)}</td></tr>`
      : `<tr><td class="price">${price(l.price)}</td><td>${fmt(l.shares)}</td><td>${fmt(l.orders)}</td></tr>`)).join('');
  }
  function render() {
    for (const k of Object.keys(counts)) $(k).textContent = fmt(counts[k]);
    const book = latest.get(chosen);
    if (book) {
      $('bids').innerHTML = rows(book.bids, true);
      $('asks').innerHTML = rows(book.asks, false);
      $('bookSeq').textContent = `after message ${book.seq}`;
    }
  }
  setInterval(render, 250);
  setInterval(() => {
    $('rate').textContent = fmt(counts.messages - lastMessages);
    lastMessages = counts.messages;
  }, 1000);

  // p50 and p99 of a latency histogram from /metrics, from its cumulative buckets: the publish latency, and
  // the feed latency (exchange Timestamp to socket write; live and demo feeds only)
  function quantiles(text, name) {
    const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => [Number(m[1]), Number(m[2])]);
    const total = buckets.at(-1)?.[1] ?? 0;
    if (!total) return undefined;
    const q = (p) => buckets.find(([, n]) => n >= p * total)?.[0];
    const ms = (s) => (!Number.isFinite(s) ? '> 1 s' : `≤ ${s * 1000 >= 10 ? (s * 1000).toFixed(0) : (s * 1000).toPrecision(2)} ms`);
    return `${ms(q(0.5))} / ${ms(q(0.99))}`;
  }
  async function latency() {
    const text = await (await fetch('/metrics')).text();
    $('latency').textContent = quantiles(text, 'tickgate_publish_latency_seconds') ?? '–';
    $('feedLatency').textContent = quantiles(text, 'tickgate_feed_latency_seconds') ?? '–';
  }
  setInterval(() => { latency().catch(() => undefined); }, 2000);
})();
