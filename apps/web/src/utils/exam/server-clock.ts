/**
 * The exam clock follows the server, not the device: the local clock may be wrong or changed
 * during the exam. Each response carrying the server's time anchors the clock at the midpoint of
 * the request (half the round trip is the best guess of when the server read its clock); from
 * there time advances with the monotonic `performance.now()`, which wall-clock changes do not move.
 */
export class ServerClock {
  private anchorServer: number | null = null;
  private anchorMono = 0;
  /** Round trip of the current anchor: a later sync with a shorter one is more precise. */
  private anchorRtt = Infinity;
  private anchoredAt = 0;

  constructor(private readonly mono: () => number = () => performance.now()) {}

  /** Local monotonic time, to pass as `sentAt` before a request. */
  mark(): number {
    return this.mono();
  }

  /**
   * Anchors the clock on a server timestamp. A sync with a longer round trip than the current
   * anchor only replaces it when the anchor is old (a minute), so one slow response cannot skew it.
   */
  sync(serverTime: number, sentAt: number, receivedAt: number = this.mono()): void {
    const rtt = Math.max(0, receivedAt - sentAt);
    const stale = receivedAt - this.anchoredAt > 60_000;
    if (this.anchorServer !== null && rtt > this.anchorRtt && !stale) return;
    this.anchorServer = serverTime;
    this.anchorMono = sentAt + rtt / 2;
    this.anchorRtt = rtt;
    this.anchoredAt = receivedAt;
  }

  get synced(): boolean {
    return this.anchorServer !== null;
  }

  /** The server's time now (epoch ms), or null before the first sync. */
  now(): number | null {
    return this.anchorServer === null ? null : this.anchorServer + (this.mono() - this.anchorMono);
  }

  /** Time left until `deadline` (server epoch ms), never negative; null before the first sync. */
  remaining(deadline: number): number | null {
    const now = this.now();
    return now === null ? null : Math.max(0, deadline - now);
  }
}

/** 75 minutes → "1:15:00", 5 min 3 s → "05:03"; rounds up so "00:00" means time is really up. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** Warning level of the countdown: announced once when crossing 5 minutes and 1 minute. */
export function countdownLevel(ms: number): 'normal' | 'warning' | 'critical' {
  if (ms <= 60_000) return 'critical';
  if (ms <= 5 * 60_000) return 'warning';
  return 'normal';
}
