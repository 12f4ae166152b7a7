import { once } from "node:events";
import { createServer } from "node:net";

/** A port nobody listens on now, so a bench does not collide with a demo or an e2e run. */
export const freePort = async () => {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("Could not find a free port");
  return address.port;
};
