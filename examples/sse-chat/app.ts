// A chat over server-sent events: messages are POSTed, and every open page receives them on
// one long response (`text/event-stream`) that the browser's EventSource reads.
// Run it with `npx frank examples/sse-chat/app.ts` and open http://localhost:4567/ twice.
//
// The stream is Sinatra's `stream(:keep_open)`, in frank `c.stream(fn, { keepOpen: true })`,
// writing the event-stream format itself (frank has no SSE helper of its own yet).
import { App, type StreamWriter } from "frank";

interface Message {
  id: number;
  name: string;
  text: string;
}

const app = new App();
const listeners = new Set<StreamWriter>();
const history: Message[] = []; // the last messages, for pages that join (or reconnect)
let nextId = 1;

/** One server-sent event: an id (EventSource sends it back as Last-Event-ID) and JSON data. */
function event(message: Message): string {
  return `id: ${message.id}\ndata: ${JSON.stringify(message)}\n\n`;
}

app.get("/", (c) => c.html(PAGE));

app.get("/events", (c) => {
  c.type("text/event-stream");
  c.header("cache-control", "no-cache");
  c.header("x-accel-buffering", "no"); // nginx: pass events on as they come
  const seen = Number(c.req.headers.get("last-event-id") ?? 0);
  return c.stream(
    async (out) => {
      listeners.add(out);
      out.onClose(() => listeners.delete(out));
      await out.write("retry: 1000\n\n");
      for (const message of history) if (message.id > seen) await out.write(event(message));
      // A comment now and then keeps proxies from closing a quiet connection.
      const ping = setInterval(() => void out.write(": ping\n\n"), 15_000);
      out.onClose(() => clearInterval(ping));
    },
    { keepOpen: true },
  );
});

app.post("/messages", async (c) => {
  const form = await c.form();
  const name =
    String(form.name ?? "")
      .trim()
      .slice(0, 40) || "anonymous";
  const text = String(form.text ?? "")
    .trim()
    .slice(0, 500);
  if (text === "") return c.json({ error: "a message needs text" }, 422);
  const message = { id: nextId++, name, text };
  history.push(message);
  if (history.length > 50) history.shift();
  for (const out of listeners) void out.write(event(message));
  return 204;
});

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>frank chat</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; }
    #messages { list-style: none; padding: 0; min-height: 10rem; }
    #messages b { margin-right: .5rem; }
  </style>
</head>
<body>
  <h1>frank chat</h1>
  <ul id="messages"></ul>
  <form id="say">
    <input name="name" placeholder="your name" size="10">
    <input name="text" placeholder="say something" size="30" autocomplete="off">
    <button>Send</button>
  </form>
  <p id="status">connecting…</p>
  <script>
    const list = document.getElementById("messages");
    const status = document.getElementById("status");
    const events = new EventSource("/events");
    events.onopen = () => (status.textContent = "connected");
    events.onerror = () => (status.textContent = "reconnecting…");
    events.onmessage = (e) => {
      const message = JSON.parse(e.data);
      const item = document.createElement("li");
      const name = document.createElement("b");
      name.textContent = message.name; // text, never markup
      item.append(name, message.text);
      list.append(item);
    };
    document.getElementById("say").addEventListener("submit", async (e) => {
      e.preventDefault();
      const form = e.target;
      await fetch("/messages", { method: "POST", body: new URLSearchParams(new FormData(form)) });
      form.text.value = "";
    });
  </script>
</body>
</html>`;

export default app;
