/** Placeholder blocks for a detail page while it loads. */
export function DetailSkeleton() {
  return (
    <div aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading…
      </p>
      <span className="skeleton skeleton-title" />
      <div className="card">
        {Array.from({ length: 6 }, (_, index) => (
          <p key={index}>
            <span className="skeleton" />
          </p>
        ))}
      </div>
    </div>
  );
}
