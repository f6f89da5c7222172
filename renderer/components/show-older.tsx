import { useState } from 'react';

/**
 * Long lists (history, integration log) render their newest rows only: every row on screen
 * costs layout and memory on each new call, and the alert must not wait on that.
 */
const PAGE = 50;

export function useNewestFirst<T>(items: readonly T[]) {
  const [count, setCount] = useState(PAGE);
  return {
    visible: items.slice(0, count),
    hidden: Math.max(0, items.length - count),
    showOlder: () => {
      setCount((current) => current + PAGE);
    },
  };
}

export function ShowOlderButton({
  hidden,
  what,
  onClick,
}: {
  hidden: number;
  what: string;
  onClick: () => void;
}) {
  if (hidden === 0) return null;
  return (
    <button type="button" className="button button-quiet show-more" onClick={onClick}>
      Show older {what} ({hidden} more)
    </button>
  );
}
