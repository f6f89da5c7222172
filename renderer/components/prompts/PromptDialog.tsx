import { useEffect, useId, useRef, useState } from 'react';
import type { Prompt } from '../../../shared/model/prompt.ts';
import { useBridge } from '../../bridge/context.ts';
import { useApp } from '../../store/app-store.ts';
import { selectFirstPrompt, selectPromptCount } from '../../store/prompts-slice.ts';

interface Outcome {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * The core's questions (a link asking to end a call, to set up the SIP account, or to dial
 * when "Ask before dialing links" is on), oldest first, one at a time, in every open Comms
 * Manager: the first answer anywhere counts and the question leaves every page. What Yes
 * does is the core's; the page only sends yes or no. Escape, like No, changes nothing.
 */
export function PromptDialogs() {
  const prompt = useApp(selectFirstPrompt);
  const count = useApp(selectPromptCount);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <>
      {prompt && (
        <PromptDialog key={prompt.id} prompt={prompt} waiting={count} onOutcome={setOutcome} />
      )}
      {outcome && (
        <p
          className={`prompt-outcome${outcome.ok ? '' : ' is-error'}`}
          role={outcome.ok ? 'status' : 'alert'}
        >
          {outcome.text}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setOutcome(null);
            }}
          >
            Dismiss
          </button>
        </p>
      )}
    </>
  );
}

function PromptDialog({
  prompt,
  waiting,
  onOutcome,
}: {
  readonly prompt: Prompt;
  readonly waiting: number;
  readonly onOutcome: (outcome: Outcome) => void;
}) {
  const bridge = useBridge();
  const dialog = useRef<HTMLDialogElement>(null);
  const [sending, setSending] = useState(false);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      element?.close();
    };
  }, []);

  const answer = (yes: boolean) => {
    if (sending) return;
    setSending(true);
    void bridge
      .invoke('answerPrompt', { id: prompt.id, answer: yes ? 'yes' : 'no' })
      .then((result) => {
        // Another page answering first is not this page's business to report.
        if (result.ok) onOutcome({ ok: true, text: result.value.outcome });
        else if (result.error.code !== 'refused')
          onOutcome({ ok: false, text: result.error.message });
      });
  };
  const minutes = Math.max(1, Math.round((prompt.expiresAt - prompt.askedAt) / 60_000));

  return (
    <dialog
      ref={dialog}
      role="alertdialog"
      className="transfer-dialog prompt-dialog"
      aria-labelledby={`${id}-question`}
      aria-describedby={`${id}-detail`}
      data-prompt={prompt.id}
      onCancel={(event) => {
        event.preventDefault();
        answer(false);
      }}
    >
      <h2 id={`${id}-question`}>{prompt.question}</h2>
      <p id={`${id}-detail`}>{prompt.detail}</p>
      <p className="muted">
        No answer within {minutes === 1 ? 'a minute' : `${minutes} minutes`} counts as No.
        {waiting > 1 && ` ${waiting - 1} more waiting after this one.`}
      </p>
      <div className="dialog-actions">
        {([false, true] as const).map((yes) => (
          <button
            key={String(yes)}
            type="button"
            className={yes ? 'button button-primary' : 'button'}
            disabled={sending}
            onClick={() => {
              answer(yes);
            }}
          >
            {yes ? 'Yes' : 'No'}
          </button>
        ))}
      </div>
    </dialog>
  );
}
