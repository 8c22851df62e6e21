// The playground: pick a model, an alias or version and tasks, type texts, and run the same
// request at the edge (POST …/infer) and on this device (@chimera/client/browser: a Web
// Worker with onnxruntime-web on WebGPU, or WASM), side by side with both latencies and
// the largest difference between their scores. One routing key goes with both runs, so a
// split alias sends them to the same version.
import { createBrowserRunner } from '@chimera/client/browser';
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../api.ts';
import { PageTitle } from '../components/layout.tsx';
import { type Choice, ModelPicker, routeBody } from '../components/model-picker.tsx';
import { Problem } from '../components/problem.tsx';
import { currentLocation } from '../router.tsx';
import { type Session, useSession } from '../session.tsx';
import { type Answer, Comparison } from './playground-results.tsx';

const SAMPLE = 'a gripping , beautifully shot film\nthe plot is a mess\nI would not watch it again';

// one runner per signed-in key for the tab's life: loaded models and the runtime stay warm
// across visits to the page
const runners = new Map<string, ReturnType<typeof createBrowserRunner>>();
function runnerFor(session: Session) {
  let r = runners.get(session.credentials.token);
  if (!r) {
    r = createBrowserRunner({ chimera: session.chimera, runtime: { manifestUrl: '/console/ort/runtime.json' } });
    runners.set(session.credentials.token, r);
  }
  return r;
}

export function Playground() {
  const session = useSession();
  const [choice, setChoice] = useState<Choice>({ model: currentLocation().query.get('model') ?? '', route: 'alias:prod', tasks: [] });
  const [texts, setTexts] = useState(SAMPLE);
  const [routingKey, setRoutingKey] = useState(() => `console-${crypto.randomUUID().slice(0, 8)}`);
  const [webgpu, setWebgpu] = useState(true);
  const [adapter, setAdapter] = useState<string | null | undefined>();
  const [edge, setEdge] = useState<Answer | undefined>();
  const [browser, setBrowser] = useState<Answer | undefined>();
  useEffect(() => {
    runnerFor(session)
      .adapter()
      .then(setAdapter, () => setAdapter(null));
  }, []);

  const inputs = texts.split('\n').filter((t) => t.trim());
  const body = () => ({ inputs, ...(choice.tasks.length ? { tasks: choice.tasks } : {}), ...routeBody(choice.route) });
  const runEdge = useAction(async () => {
    setEdge(undefined);
    const started = performance.now();
    const out = await session.chimera.infer(choice.model, body(), { routingKey });
    setEdge({ where: 'edge', roundTripMs: performance.now() - started, response: out });
  });
  const runBrowser = useAction(async () => {
    setBrowser(undefined);
    const started = performance.now();
    const out = await runnerFor(session).infer(choice.model, body(), { routingKey, webgpu });
    setBrowser({ where: 'browser', roundTripMs: performance.now() - started, response: out });
  });
  const busy = runEdge.pending || runBrowser.pending;
  const ready = Boolean(choice.model) && inputs.length > 0 && !busy;

  return (
    <>
      <PageTitle>Playground</PageTitle>
      <p class="muted">
        The same request at the edge and in this browser, on your own device's GPU where it has one. Browser runs download the model once
        (kept in this browser by its sha256) and are reported as client-reported usage.
      </p>
      <form
        class="panel"
        aria-label="Request"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ready) return;
          void runEdge.run();
          void runBrowser.run();
        }}
      >
        <ModelPicker id="play" choice={choice} onChange={setChoice} />
        <div class="field">
          <label for="play-texts">
            Texts <span class="hint">(one per line)</span>
          </label>
          <textarea id="play-texts" value={texts} onInput={(e) => setTexts(e.currentTarget.value)} />
        </div>
        <div class="row field">
          <div>
            <label for="play-routing">
              Routing key <span class="hint">(keeps both runs on one version of a split alias)</span>
            </label>
            <input id="play-routing" value={routingKey} onInput={(e) => setRoutingKey(e.currentTarget.value)} />
          </div>
          <label class="check">
            <input type="checkbox" checked={webgpu} onChange={(e) => setWebgpu(e.currentTarget.checked)} />
            Use WebGPU in the browser when there is an adapter
          </label>
        </div>
        <p class="muted" role="status">
          {adapter === undefined
            ? 'Looking for a WebGPU adapter…'
            : adapter
              ? `WebGPU adapter: ${adapter}.`
              : 'No WebGPU adapter here: browser runs use WebAssembly.'}
        </p>
        <div class="actions">
          <button type="submit" disabled={!ready}>
            Run both
          </button>
          <button type="button" class="secondary" disabled={!ready} onClick={() => runEdge.run()}>
            Run at the edge
          </button>
          <button type="button" class="secondary" disabled={!ready} onClick={() => runBrowser.run()}>
            Run in this browser
          </button>
        </div>
      </form>
      <Problem error={runEdge.error} action="The edge run" />
      <Problem error={runBrowser.error} action="The browser run" />
      {busy ? (
        <p role="status" class="muted">
          Running{runBrowser.pending ? ' (the first browser run downloads the model and the runtime)' : ''}…
        </p>
      ) : null}
      <Comparison inputs={inputs} edge={edge} browser={browser} />
    </>
  );
}
