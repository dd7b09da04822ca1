import { Link } from "react-router";
import { useDocumentTitle } from "../hooks/use-document-title";

/** A console address that leads nowhere. */
export function NotFoundPage() {
  useDocumentTitle("Page not found");
  return (
    <div className="page page-narrow">
      <div className="alert alert-warning" role="alert">
        <p className="alert-title">There is no such page</p>
        <p>
          The address may be mistyped, or what it showed was deleted. <Link to="/tenants">Go to Tenants</Link>.
        </p>
      </div>
    </div>
  );
}
