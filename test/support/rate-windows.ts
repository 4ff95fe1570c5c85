/**
 * Rate limits count in fixed windows aligned to the epoch (`date_bin` on the database clock,
 * which is this machine's). A test that counts hits must not span two windows, or the hits
 * before the boundary are forgotten: when less than `needMs` of the current window is left,
 * wait for the next one.
 */
export async function startEarlyInWindow(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 200));
}
