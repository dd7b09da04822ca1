/**
 * Requests with exactly the headers given, as identity providers send them (Entra ID sends no Accept
 * and no User-Agent, ENT-03): the same client `muster replay` uses.
 */
export { sendRequest as rawRequest, type ClientResponse as RawResponse } from "../../../src/replay/http-client.js";
