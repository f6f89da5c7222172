import { parseMessage } from 'jssip/lib/Parser.js';
import { shownText } from './shown-text.ts';

/**
 * What JsSIP cannot read it drops without a word: no reply, no event, only a debug line
 * nobody has enabled. A far end whose INVITE has a Contact no grammar accepts is then
 * never answered, and the integration log would not say why. This runs JsSIP's own
 * parser over the same text so the engine can say it.
 */

/** The longest start line the log keeps: enough for a request URI, not for a flood of bytes. */
const START_LINE_LIMIT = 160;

/** JsSIP's parser throws on some messages (a response whose CSeq it cannot read). */
function readable(data: string): boolean {
  try {
    return parseMessage(data, null) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The start line of `data` when it is a message JsSIP's parser refuses (so the UA drops
 * it); null for a message it reads and for the CRLF keep-alives its transport answers.
 */
export function unreadableStartLine(data: string): string | null {
  if (data === '\r\n' || data === '\r\n\r\n') return null;
  if (readable(data)) return null;
  const end = data.indexOf('\r\n');
  const startLine = shownText(end === -1 ? data : data.slice(0, end), START_LINE_LIMIT);
  return startLine.trim() === '' ? '(no start line)' : startLine;
}
