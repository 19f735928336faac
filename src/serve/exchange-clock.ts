// The exchange's clock as ITCH gives it: nanoseconds since midnight in the exchange's time zone (Nasdaq:
// America/New_York), read from the host clock. Against a message's Timestamp it gives the latency from the
// exchange stamping the message to now; meaningful only when the host clock is synchronised (PTP/NTP) and
// the feed is live. The time of day is the zone's wall clock (US daylight-saving changes fall on Sunday
// nights, when no market is open).

const MS_PER_DAY = 86_400_000;

/** Whether Intl knows `timeZone` (an IANA name such as America/New_York, or UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export class ExchangeClock {
  private readonly parts: Intl.DateTimeFormat;
  /** the zone's offset from UTC in ms, and when to look it up again */
  private offset = 0;
  private recheckAtMs = -Infinity;

  constructor(readonly timeZone: string) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  /** Nanoseconds since midnight in the zone, now (microsecond resolution). */
  nowNs(): number {
    const nowMs = performance.timeOrigin + performance.now();
    if (nowMs >= this.recheckAtMs) {
      this.offset = this.offsetMs(nowMs);
      this.recheckAtMs = nowMs + 60_000;
    }
    return this.timeOfDayNs(nowMs, this.offset);
  }

  /** Nanoseconds since midnight in the zone at Unix time `ms`. */
  sinceMidnightNs(ms: number): number {
    return this.timeOfDayNs(ms, this.offsetMs(ms));
  }

  private timeOfDayNs(ms: number, offset: number): number {
    const local = ms + offset;
    return (local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY) * 1e6;
  }

  /** The zone's offset from UTC at Unix time `ms`, in ms. */
  private offsetMs(ms: number): number {
    const f = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const p of this.parts.formatToParts(ms)) {
      if (p.type in f) f[p.type as keyof typeof f] = Number(p.value);
    }
    return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(ms / 1000) * 1000;
  }
}
