import { useEffect, useState } from "react";

/** `value`, once it has stayed the same for `delayMillis` (search boxes ask the server after typing pauses). */
export function useDebouncedValue<T>(value: T, delayMillis = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMillis);
    return () => clearTimeout(timer);
  }, [value, delayMillis]);
  return settled;
}
