import type { EngineReport } from '../../shared/bridge/engine.ts';
import { cutText, PARTY_FORBIDDEN } from '../../shared/protocols/text.ts';

/**
 * Text from the wire (a display name, a reason phrase) made fit for the line table and the
 * log: every character a party may not hold (controls, invisibles) becomes U+FFFD, so the
 * call is still shown and `1001\u200B` stays visibly unlike `1001`, and the text is cut to
 * `limit` UTF-16 units. The core refuses an event holding such a character, which would
 * lose the call instead.
 */

const FORBIDDEN_EVERYWHERE = new RegExp(PARTY_FORBIDDEN.source, 'gu');

export function shownText(text: string, limit: number): string {
  return cutText(text.replace(FORBIDDEN_EVERYWHERE, '\uFFFD'), limit);
}

/** An integration-log report, its texts made to fit EngineReportSchema (512 each, one line). */
export function logReport(
  direction: 'in' | 'out',
  summary: string,
  error: string | null = null,
): Extract<EngineReport, { kind: 'log' }> {
  return {
    kind: 'log',
    direction,
    summary: shownText(summary, 512),
    error: error === null ? null : shownText(error, 512),
  };
}
