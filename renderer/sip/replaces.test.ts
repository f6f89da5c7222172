import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { replacesUriHeader, replacesValue } from './replaces.ts';

describe('replacesValue', () => {
  it("names the far end's tag as to-tag and ours as from-tag (RFC 3891 section 3)", () => {
    const dialog = { callId: 'a84b4c76e66710@pc33', localTag: 'ours', remoteTag: 'theirs' };
    assert.equal(replacesValue(dialog), 'a84b4c76e66710@pc33;to-tag=theirs;from-tag=ours');
  });

  it('percent-encodes the whole value for a Refer-To URI header', () => {
    const dialog = { callId: '1-2@127.0.0.1', localTag: 'L', remoteTag: 'R' };
    assert.equal(replacesUriHeader(dialog), '1-2%40127.0.0.1%3Bto-tag%3DR%3Bfrom-tag%3DL');
    assert.equal(decodeURIComponent(replacesUriHeader(dialog)), replacesValue(dialog));
  });
});
