import type { FastifyInstance } from "fastify";
import type { NodeHealth } from "../../../shared/admin-api.js";

/** GET /api/node/health: this server process's samples of the last hour (the console's Health page). */
export function registerNodeHealthRoutes(app: FastifyInstance, options: { readonly nodeHealth: () => NodeHealth | Promise<NodeHealth> }): void {
  app.get("/node/health", async (): Promise<NodeHealth> => options.nodeHealth());
}
