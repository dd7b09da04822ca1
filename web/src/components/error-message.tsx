import { ApiRequestError } from "../api/api-client";

/** The sentence to show for a failed request. */
export function errorText(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  if (error instanceof Error) return `Something went wrong in the console: ${error.message}`;
  return "Something went wrong in the console.";
}

/** Props of ErrorMessage. */
export interface ErrorMessageProps {
  readonly error: unknown;
  readonly title?: string;
  /** Shows a "Try again" button. */
  readonly onRetry?: () => void;
}

/** A failed request, explained in words, with a way to try again. */
export function ErrorMessage({ error, title = "This could not be loaded", onRetry }: ErrorMessageProps) {
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{title}</p>
      <p>{errorText(error)}</p>
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
