import { describe, expect, it } from 'vitest';
import { countdownLevel, formatCountdown, ServerClock } from './server-clock';

function clock() {
  let mono = 1_000;
  const c = new ServerClock(() => mono);
  return { c, advance: (ms: number) => (mono += ms), at: () => mono };
}

describe('ServerClock', () => {
  it('follows the server time from the midpoint of the request, whatever the device clock says', () => {
    const { c, advance, at } = clock();
    expect(c.now()).toBeNull();
    expect(c.remaining(5_000)).toBeNull();

    const sentAt = at();
    advance(200); // 200 ms round trip: the server read its clock ~100 ms after sending
    c.sync(1_700_000_000_000, sentAt);
    expect(c.now()).toBe(1_700_000_000_100);

    advance(60_000);
    expect(c.now()).toBe(1_700_000_060_100);
    expect(c.remaining(1_700_000_000_000 + 30 * 60_000)).toBe(30 * 60_000 - 60_100);
  });

  it('counts down to the deadline and stops at zero', () => {
    const { c, advance, at } = clock();
    c.sync(10_000, at(), at());
    const deadline = 10_000 + 90_000;
    advance(89_500);
    expect(c.remaining(deadline)).toBe(500);
    advance(10_000);
    expect(c.remaining(deadline)).toBe(0);
  });

  it('a later sync with a slower round trip does not replace a precise one, unless the anchor is old', () => {
    const { c, advance, at } = clock();
    let sent = at();
    advance(20);
    c.sync(100_000, sent); // anchor: 100_000 at mono 1_010
    advance(1_000);
    sent = at();
    advance(3_000);
    c.sync(999_999, sent); // slow and wrong by far: ignored
    expect(c.now()).toBe(100_000 + 4_010);

    advance(61_000);
    sent = at();
    advance(400);
    c.sync(500_000, sent); // slow but the anchor is over a minute old: taken
    expect(c.now()).toBe(500_200);
  });
});

describe('formatCountdown', () => {
  it('shows hours only when needed and rounds up', () => {
    expect(formatCountdown(75 * 60_000)).toBe('1:15:00');
    expect(formatCountdown(5 * 60_000 + 3_000)).toBe('05:03');
    expect(formatCountdown(1)).toBe('00:01');
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-5)).toBe('00:00');
  });

  it('warns in the last five minutes and the last minute', () => {
    expect(countdownLevel(10 * 60_000)).toBe('normal');
    expect(countdownLevel(5 * 60_000)).toBe('warning');
    expect(countdownLevel(60_000)).toBe('critical');
  });
});
