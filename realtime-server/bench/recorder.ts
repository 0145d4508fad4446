import { performance } from 'node:perf_hooks';

/** One move on its way: who sent it, when it started, how many teammates are still to receive it. */
export interface Flight {
  start: number;
  moverId: number;
  left: number;
  measured: boolean;
  responded: boolean;
  ok: boolean;
  /** Resolves when the answer came back and every teammate got the event (or the timeout hit). */
  done: Promise<void>;
  finish: () => void;
}

/** What one load generator saw during one run's measured window. */
export interface WindowResult {
  /** Request start -> teammate receipt, ms, one per delivery of a measured move. */
  latencies: Float64Array;
  /** Request start -> answer, ms, one per measured move. */
  answers: Float64Array;
  moves: number;
  failed: number;
  expected: number;
  delivered: number;
  sample?: unknown;
}

/** Matches every `opportunity:moved` receipt to the move that caused it, by deal id and new version. */
export class Recorder {
  private flights = new Map<string, Flight>();
  private latencies: number[] = [];
  private answers: number[] = [];
  private moves = 0;
  private failed = 0;
  private expected = 0;
  private delivered = 0;
  sample: unknown;

  constructor(
    private readonly window: { from: number; to: number },
    private readonly timeoutMs = 10_000,
  ) {}

  begin(key: string, moverId: number, start: number, audience: number): Flight {
    const measured = start >= this.window.from && start < this.window.to;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const flight: Flight = { start, moverId, left: audience, measured, responded: false, ok: false, done, finish };
    this.flights.set(key, flight);
    if (measured) {
      this.moves++;
      this.expected += audience;
    }
    const timer = setTimeout(() => this.settle(key, flight), this.timeoutMs);
    void done.then(() => clearTimeout(timer));
    return flight;
  }

  answered(key: string, flight: Flight, ok: boolean): void {
    flight.responded = true;
    flight.ok = ok;
    if (flight.measured) {
      this.answers.push(performance.now() - flight.start);
      if (!ok) this.failed++;
    }
    if (!ok || flight.left <= 0) this.settle(key, flight);
  }

  /** Called from every client's `opportunity:moved` listener. */
  receipt(key: string, receiverId: number, envelope: unknown): void {
    const now = performance.now();
    const flight = this.flights.get(key);
    if (!flight || receiverId === flight.moverId) return;
    this.sample ??= envelope;
    flight.left--;
    if (flight.measured) {
      this.delivered++;
      this.latencies.push(now - flight.start);
    }
    if (flight.left <= 0 && flight.responded) this.settle(key, flight);
  }

  private settle(key: string, flight: Flight): void {
    this.flights.delete(key);
    flight.finish();
  }

  /** Measured moves still waiting for receipts. */
  outstanding(): number {
    let n = 0;
    for (const f of this.flights.values()) if (f.measured) n++;
    return n;
  }

  result(): WindowResult {
    return {
      latencies: Float64Array.from(this.latencies),
      answers: Float64Array.from(this.answers),
      moves: this.moves,
      failed: this.failed,
      expected: this.expected,
      delivered: this.delivered,
      ...(this.sample ? { sample: this.sample } : {}),
    };
  }
}
