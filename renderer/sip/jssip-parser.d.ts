/**
 * JsSIP's own message parser (lib/Parser.js, CommonJS, shipped without types): the one its
 * UA runs on every message from the transport. `ua` is only stored on a request.
 */
declare module 'jssip/lib/Parser.js' {
  export function parseMessage(data: string, ua: unknown): object | undefined;
}
