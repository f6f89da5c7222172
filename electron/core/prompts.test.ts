import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prompt } from '../../shared/model/prompt.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { PromptDesk, type Question } from './prompts.ts';

/** A question whose Yes is counted, answering `result`. */
function question(text: string, result: Result<string, string> = ok(`did ${text}`)) {
  let yes = 0;
  const asked: Question = {
    source: 'links',
    question: text,
    detail: `Yes does ${text}.`,
    onYes: () => {
      yes += 1;
      return Promise.resolve(result);
    },
  };
  return { asked, yesCount: () => yes };
}

function askOrFail(desk: PromptDesk, asked: Question) {
  const result = desk.ask(asked);
  if (!result.ok) assert.fail(result.error);
  return result.value;
}

describe('PromptDesk', () => {
  it('lists pending questions oldest first, and tells every change', () => {
    const desk = new PromptDesk({ now: () => 1_000, timeoutMs: 60_000 });
    const seen: (readonly Prompt[])[] = [];
    desk.changed.on((prompts) => seen.push(prompts));
    const first = askOrFail(desk, question('Call 187?').asked);
    const second = askOrFail(desk, question('End the call?').asked);
    assert.deepEqual(
      desk.pending().map((prompt) => prompt.question),
      ['Call 187?', 'End the call?'],
    );
    assert.deepEqual(first.prompt, {
      id: first.prompt.id,
      source: 'links',
      question: 'Call 187?',
      detail: 'Yes does Call 187?.',
      askedAt: 1_000,
      expiresAt: 61_000,
    });
    assert.notEqual(first.prompt.id, second.prompt.id);
    assert.deepEqual(
      seen.map((prompts) => prompts.length),
      [1, 2],
    );
    desk.close();
  });

  it('runs Yes once: the first answer counts, a second is refused', async () => {
    const desk = new PromptDesk();
    const { asked, yesCount } = question('Call 187?');
    const { prompt, settled } = askOrFail(desk, asked);
    const [one, two] = await Promise.all([
      desk.answer({ id: prompt.id, answer: 'yes' }),
      desk.answer({ id: prompt.id, answer: 'yes' }),
    ]);
    assert.deepEqual(one, ok({ outcome: 'did Call 187?' }));
    assert.equal(two.ok ? '' : two.error.code, 'refused');
    assert.equal(yesCount(), 1);
    assert.deepEqual(await settled, { answer: 'yes', result: ok('did Call 187?') });
    assert.deepEqual(desk.pending(), []);
  });

  it('changes nothing on No, and says so', async () => {
    const desk = new PromptDesk();
    const { asked, yesCount } = question('End the call?');
    const { prompt, settled } = askOrFail(desk, asked);
    assert.deepEqual(
      await desk.answer({ id: prompt.id, answer: 'no' }),
      ok({ outcome: 'Nothing was changed.' }),
    );
    assert.deepEqual(await settled, { answer: 'no' });
    assert.equal(yesCount(), 0);
    const late = await desk.answer({ id: prompt.id, answer: 'yes' });
    assert.equal(late.ok, false);
    assert.equal(yesCount(), 0);
  });

  it('answers why Yes could not be done, also when it throws', async () => {
    const desk = new PromptDesk();
    const failing = askOrFail(desk, question('Call 187?', err('not available')).asked);
    const failed = await desk.answer({ id: failing.prompt.id, answer: 'yes' });
    assert.deepEqual(failed, err({ code: 'failed', message: 'not available' }));
    const throwing = askOrFail(desk, {
      ...question('Set up?').asked,
      onYes: () => Promise.reject(new Error('disk full')),
    });
    const thrown = await desk.answer({ id: throwing.prompt.id, answer: 'yes' });
    assert.deepEqual(thrown, err({ code: 'failed', message: 'disk full' }));
    assert.deepEqual((await throwing.settled).answer, 'yes');
  });

  it('takes no answer within the time limit as No', async () => {
    const desk = new PromptDesk({ timeoutMs: 30 });
    const { asked, yesCount } = question('Call 187?');
    const { prompt, settled } = askOrFail(desk, asked);
    const gone = new Promise<void>((resolve) => {
      desk.changed.on((prompts) => {
        if (prompts.length === 0) resolve();
      });
    });
    assert.deepEqual(await settled, { answer: 'expired' });
    await gone;
    const late = await desk.answer({ id: prompt.id, answer: 'yes' });
    assert.equal(late.ok ? '' : late.error.code, 'refused');
    assert.equal(yesCount(), 0);
  });

  it('refuses a question beyond its capacity, and ends every pending one as No on close', async () => {
    const desk = new PromptDesk({ capacity: 2 });
    const first = askOrFail(desk, question('one').asked);
    askOrFail(desk, question('two').asked);
    const third = desk.ask(question('three').asked);
    assert.deepEqual(
      third,
      err('2 questions are already waiting for an answer in the Comms Manager'),
    );
    desk.close();
    assert.deepEqual(await first.settled, { answer: 'closed' });
    assert.deepEqual(desk.pending(), []);
  });
});
