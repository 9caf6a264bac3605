// A chat over server-sent events: messages are POSTed, and every open page receives them on
// one long response (`text/event-stream`) that the browser's EventSource reads.
// Run it with `npx frank examples/sse-chat/app.ts` and open http://localhost:4567/ twice.
//
// `c.sse()` sets the event-stream headers (no caching, no proxy buffering), frames each event,
// sends a heartbeat comment while the chat is quiet, and ends the stream cleanly when the server
// drains, so the page reconnects to a pod that stays and resumes after the last id it saw.
import { App, type EventStream, type ServerSentEvent } from "frank";

interface Message {
  id: number;
  name: string;
  text: string;
}

const app = new App();
const listeners = new Set<EventStream>();
const history: Message[] = []; // the last messages, for pages that join (or reconnect)
let nextId = 1;

/** One server-sent event: an id (EventSource sends it back as Last-Event-ID) and JSON data. */
function event(message: Message): ServerSentEvent {
  return { id: message.id, data: message };
}

app.get("/", (c) => c.html(PAGE));

app.get("/events", (c) =>
  c.sse(
    async (events) => {
      listeners.add(events);
      events.onClose(() => listeners.delete(events));
      const seen = Number(events.lastEventId ?? 0);
      for (const message of history) if (message.id > seen) await events.send(event(message));
    },
    { retry: 1000, keepOpen: true },
  ),
);

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
  for (const events of listeners) void events.send(event(message));
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
