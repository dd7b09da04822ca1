import type { FastifyInstance } from "fastify";
import type { Store } from "../../store/store.js";

/** GET /healthz: 200 when the database answers, 503 otherwise (for load balancers and orchestrators). */
export function registerHealthRoute(app: FastifyInstance, store: Store): void {
  app.get("/healthz", async (request, reply) => {
    try {
      await store.read((session) => session.tenants.count());
      return reply.header("Cache-Control", "no-store").send({ status: "ok" });
    } catch (error) {
      request.log.error({ err: error }, "health check failed");
      return reply.code(503).header("Cache-Control", "no-store").send({ status: "unavailable" });
    }
  });
}
