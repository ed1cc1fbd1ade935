/**
 * Workers that a worker starts are started by the page ("brokered"), never nested.
 *
 * Why: Firefox builds a nested worker with a synchronous round trip through the main thread, and
 * that round trip sometimes never returns while another worker is shutting down: a run worker
 * that terminated its workers and started new ones froze for good inside `new Worker()` (the
 * multithreading chapter's `invariant-needs-a-lock` timed out in about one Firefox run in four).
 * The page builds workers asynchronously, in every engine.
 *
 * How: a worker's `Worker` is a {@link brokeredWorker} — a real `EventTarget` that is
 * `instanceof Worker` — whose `postMessage` goes on a MessageChannel ("link") and whose
 * `terminate` asks the page. The page's {@link WorkerBroker} starts a runner worker per request
 * and hands it the link's other end and a broker port of its own (its workers are brokered too),
 * and terminates every worker it started when the run ends: they are not nested, so they would
 * not die with the run's worker.
 */
import type { BrokerReply, BrokerRequest, LinkInit } from '../protocol.ts';

/** Page side: starts and stops the workers of one run's threads. */
export class WorkerBroker {
  /** Per requesting thread (its broker port): the workers it asked for, by its own ids. */
  private readonly threads = new Map<MessagePort, Map<number, Worker>>();
  private closed = false;
  private readonly newRunnerWorker: () => Worker;

  constructor(newRunnerWorker: () => Worker) {
    this.newRunnerWorker = newRunnerWorker;
  }

  /** A broker port for one worker thread, to transfer to it. */
  connect(): MessagePort {
    const channel = new MessageChannel();
    const port = channel.port1;
    const workers = new Map<number, Worker>();
    this.threads.set(port, workers);
    port.onmessage = (event: MessageEvent<BrokerRequest>) => {
      const request = event.data;
      if (request.type === 'start') this.start(request, port, workers);
      else workers.get(request.id)?.terminate();
    };
    return channel.port2;
  }

  /** Terminates every worker started through this broker and stops taking requests. */
  terminateAll(): void {
    this.closed = true;
    for (const [port, workers] of this.threads) {
      for (const worker of workers.values()) worker.terminate();
      port.close();
    }
    this.threads.clear();
  }

  private start(
    { id, link }: BrokerRequest & { type: 'start' },
    from: MessagePort,
    workers: Map<number, Worker>,
  ) {
    if (this.closed) return;
    const fail = (message: string) => from.postMessage({ type: 'error', id, message } satisfies BrokerReply);
    let worker: Worker;
    try {
      worker = this.newRunnerWorker();
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
      return;
    }
    workers.set(id, worker);
    worker.addEventListener('error', (event: Event) => {
      // Only a failure of the worker itself reaches here (its realm reports the snippet's errors).
      event.preventDefault();
      fail((event as Partial<ErrorEvent>).message ?? '');
    });
    const broker = this.connect();
    worker.postMessage({ __interleave: 'linked', link, broker } satisfies LinkInit, [link, broker]);
  }
}

/**
 * Worker side: given this thread's broker port, a function that starts a worker through it.
 * The `Worker` it returns behaves as a worker object does — `postMessage`, `terminate`,
 * `onmessage`/`onerror`/`onmessageerror`, listeners, `instanceof Worker` — and messages posted
 * before the worker runs wait in the link's port.
 */
export function brokeredWorkers(
  broker: MessagePort,
  // The realm's own (an iframe's, on the main thread), so that `instanceof Worker` holds there.
  prototype: object | undefined = (globalThis as { Worker?: typeof Worker }).Worker?.prototype,
): () => Worker {
  const targets = new Map<number, EventTarget>();
  let nextId = 0;
  broker.onmessage = (event: MessageEvent<BrokerReply>) => {
    const { id, message } = event.data;
    targets.get(id)?.dispatchEvent(new ErrorEvent('error', { message }));
  };
  return () => {
    const id = ++nextId;
    const target = new EventTarget();
    targets.set(id, target);
    if (prototype) Object.setPrototypeOf(target, prototype);
    const link = new MessageChannel();
    broker.postMessage({ type: 'start', id, link: link.port2 } satisfies BrokerRequest, [link.port2]);
    // Event handler attributes: the prototype's accessors accept only real workers.
    for (const type of ['message', 'messageerror', 'error']) {
      let handler: EventListener | null = null;
      Object.defineProperty(target, `on${type}`, {
        configurable: true,
        enumerable: true,
        get: () => handler,
        set(value: unknown) {
          if (handler) target.removeEventListener(type, handler);
          handler = typeof value === 'function' ? (value as EventListener) : null;
          if (handler) target.addEventListener(type, handler);
        },
      });
    }
    let terminated = false;
    Object.defineProperties(target, {
      postMessage: {
        configurable: true,
        value(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions) {
          if (!terminated) link.port1.postMessage(message, transfer as Transferable[]);
        },
      },
      terminate: {
        configurable: true,
        value() {
          if (terminated) return;
          terminated = true;
          targets.delete(id);
          link.port1.close();
          broker.postMessage({ type: 'terminate', id } satisfies BrokerRequest);
        },
      },
    });
    return target as Worker;
  };
}
